"""The Overview's progress card and target line, built from hand-made progress values (no
database, no browser): what a tile says, what an empty view shows to whom, and the line."""

from __future__ import annotations

from datetime import date

from dashapp.targets.progress import Progress, Projection
from dashapp.targets.records import StoredTarget
from dashapp.targets.view import ViewProgress
from dashapp.ui.figures import figure
from dashapp.ui.target_card import add_target_line, progress_card

MARCH = StoredTarget(7, "month", date(2024, 3, 1), "revenue", "category", "<b>Ships</b>", 1_000_000)


def _text(component) -> str:
    """Every string in a component tree, in order."""
    if isinstance(component, str):
        return component
    if isinstance(component, list | tuple):
        return " ".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else _text(children)


def test_a_tile_says_how_far_and_where_it_is_heading():
    # 4,000.00 of 10,000.00 by day 10 of 31; projected 12,400.00 (11,000.00 - 13,800.00).
    p = Progress(
        MARCH, date(2024, 3, 10), 10, 31, 400_000, 1_240_000,
        Projection(1_240_000, 1_100_000, 1_380_000, "forecast", "Seasonal naive", "forecast"),
        "on track",
    )  # fmt: skip
    card = progress_card(ViewProgress(date(2024, 3, 10), ("category", "<b>Ships</b>"), (p,)), True)
    text = _text(card)
    assert "Category <b>Ships</b> · to 10 Mar 2024" in text  # markup stays a string
    assert "$4,000.00" in text and "of $10,000.00 target" in text
    assert "40% of target · day 10 of 31" in text
    assert "Projected $12.40k by 31 Mar ($11.00k – $13.80k)" in text
    assert "on track" in text and "Edit targets" in text


def test_a_view_without_targets_invites_an_editor_and_shows_nothing_to_others():
    empty = ViewProgress(date(2024, 3, 10), ("business", ""), ())
    assert "No target for the business in March 2024." in _text(progress_card(empty, True))
    assert _text(progress_card(empty, False)) == ""
    # Filters no target can have (a country): nothing at all.
    assert _text(progress_card(ViewProgress(date(2024, 3, 10), None, ()), True)) == ""


def test_the_target_line_skips_periods_without_a_target():
    fig = add_target_line(
        figure([]), [date(2024, 2, 1), date(2024, 3, 1)], [None, 1_000_000], "month"
    )
    (trace,) = fig["data"]
    assert trace["name"] == "Target" and list(trace["y"]) == [None, 10000.0]
    assert add_target_line(figure([]), [date(2024, 2, 1)], [None], "month")["data"] == []
