"""The page pieces of drill-through and the loss finder that need no database: which day or month
a calendar click means, the way back from the order history (a path of this site only), the
threshold typed, and the scatter's names kept as text (issue 19 items 4 and 5)."""

from __future__ import annotations

from datetime import date

import pytest

from dashapp.analytics.losses import SubCategoryMargin
from dashapp.ui import drill, loss_finder


def test_a_calendar_cell_is_a_day_or_a_month():
    # Weekday x week from Wed 6 Mar 2024: the grid starts on Mon 4 Mar; row 2 (Wed) of column
    # 1 is Wed 13 Mar. The hover text says it directly when the click carries it.
    cell = {"points": [{"pointNumber": [2, 1], "x": "11 Mar", "y": "Wed"}]}
    assert drill.calendar_period(cell, date(2024, 3, 6), False) == ("day", "2024-03-13")
    text = {"points": [{"text": "Mon 11 Mar 2024", "pointNumber": [0, 1]}]}
    assert drill.calendar_period(text, date(2024, 3, 6), False) == ("day", "2024-03-11")
    month = {"points": [{"x": "Mar", "y": "2024"}]}
    assert drill.calendar_period(month, date(2023, 1, 1), True) == ("month", "2024-03")
    # A folded run of empty years, a forged cell, nothing clicked: no drill.
    assert drill.calendar_period({"points": [{"x": "Mar", "y": "x"}]}, None, True) is None
    assert (
        drill.calendar_period({"points": [{"pointNumber": [9, -1]}]}, date(2024, 3, 6), False)
        is None
    )
    assert drill.calendar_period({}, date(2024, 3, 6), False) is None


@pytest.mark.parametrize(
    "fragment, target",
    [
        ("#back=%2F%3Fcategory%3DTrains", "/?category=Trains"),
        ("#back=%2Flosses", "/losses"),
        ("#back=%2F%2Fevil.example%2F", None),  # another host
        ("#back=https%3A%2F%2Fevil.example", None),
        ("#back=javascript%3Aalert(1)", None),
        ("#back=%2F%5Cevil.example", None),
        ("", None),
        (None, None),
    ],
)
def test_back_goes_to_a_path_of_this_site_only(fragment, target):
    assert drill.back_target(fragment) == target


@pytest.mark.parametrize(
    "typed, threshold",
    [(0, 0), (25, 25), ("-10", -10), (100, 100), (101, None), (2.5, None), ("x", None)],
)
def test_the_threshold_is_a_whole_percent(typed, threshold):
    assert loss_finder.threshold_of(typed) == threshold


def test_the_scatter_shows_names_as_text_and_losses_in_red():
    # Tables: 100.00 off 400.00 of list value (25 %), margin -40 / 300; Art: 10 off 150, 80 / 140.
    points = [
        SubCategoryMargin("<b>Tables</b>", 10000, 30000, 30000, 34000),
        SubCategoryMargin("Art", 1000, 14000, 14000, 6000),
        SubCategoryMargin("Lighting", 0, 5000, 0, 0),  # no cost: no dot
    ]
    trace = loss_finder.scatter(points)["data"][0]
    assert trace["text"] == ["&lt;b&gt;Tables&lt;/b&gt;", "Art"]
    assert trace["x"] == [0.25, 10 / 150]
    assert trace["y"] == [-40 / 300, 80 / 140]
    assert trace["marker"]["color"] == ["#dc2626", "#2563eb"]
    assert trace["customdata"][0] == ["&lt;b&gt;Tables&lt;/b&gt;", "$300.00"]
