"""Periods as people write them, which targets a page's filters show, and the revenue target
spread over the trend's periods (hand-worked fractions in the comments)."""

from __future__ import annotations

from datetime import date

import pytest

from dashapp.filters import Filters
from dashapp.targets import parse_period, period_end, period_key, scope_of_view, target_per_period
from dashapp.targets.records import StoredTarget
from dashapp.validation import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03", ("month", date(2024, 3, 1))),
        ("2024-3", ("month", date(2024, 3, 1))),
        ("2024-03-01", ("month", date(2024, 3, 1))),
        ("2024-Q1", ("quarter", date(2024, 1, 1))),
        ("2024q4", ("quarter", date(2024, 10, 1))),
        ("Q2 2024", ("quarter", date(2024, 4, 1))),
        (date(2024, 3, 17), ("month", date(2024, 3, 1))),
    ],
)
def test_periods_as_written(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["", "2024-03-15", "2024-Q5", "1899-01", "next month", None])
def test_periods_that_are_refused(text):
    with pytest.raises(InputError):
        parse_period(text)


def test_period_ends_and_keys():
    assert period_end("month", date(2024, 2, 1)) == date(2024, 2, 29)
    assert period_end("quarter", date(2024, 10, 1)) == date(2024, 12, 31)
    assert period_key("quarter", date(2024, 10, 1)) == "2024-Q4"
    assert period_key("month", date(2024, 3, 1)) == "2024-03"


def test_the_scope_a_page_shows():
    assert scope_of_view(Filters()) == ("business", "")
    assert scope_of_view(Filters(start=date(2024, 1, 1))) == ("business", "")
    assert scope_of_view(Filters(categories=("Planes",))) == ("category", "Planes")
    assert scope_of_view(Filters(created_by="sam")) == ("user", "sam")
    assert scope_of_view(Filters(categories=("Planes", "Ships"))) is None
    assert scope_of_view(Filters(countries=("France",))) is None
    assert scope_of_view(Filters(created_by="sam", categories=("Planes",))) is None
    # A region has targets; a state, a city, a segment, a sub-category or a ship mode
    # narrows below any target's scope.
    assert scope_of_view(Filters(regions=("West",))) == ("region", "West")
    assert scope_of_view(Filters(regions=("West",), states=("CA",))) is None
    for narrower in ("states", "cities", "segments", "subcategories", "ship_modes"):
        assert scope_of_view(Filters(**{narrower: ("x",)})) is None


def _target(period, start, amount, metric="revenue"):
    return StoredTarget(1, period, start, metric, "business", "", amount)


def test_the_target_per_trend_period():
    march = _target("month", date(2024, 3, 1), 3_100_000)  # 31,000.00: 1,000.00 a day
    q2 = _target("quarter", date(2024, 4, 1), 9_100_000)  # 91,000.00 over 91 days
    orders = _target("month", date(2024, 2, 1), 50, "orders")  # not on the revenue trend
    months = [date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1), date(2024, 7, 1)]
    # February has only an orders target; April is a third of Q2's 91 days: 30 x 1,000.00.
    assert target_per_period([march, q2, orders], months, "month") == [
        None,
        3_100_000,
        3_000_000,
        None,
    ]
    # A view from 11 March: March's bucket holds its last 21 days, 21,000.00.
    assert target_per_period([march], months[1:2], "month", start=date(2024, 3, 11)) == [2_100_000]
    # Weeks: Mon 25 March - Sun 31 March is 7 days of March; the next week runs into April,
    # which has no target in this list, so none is drawn.
    weeks = [date(2024, 3, 25), date(2024, 4, 1)]
    assert target_per_period([march], weeks, "week") == [700_000, None]
    # A month's own target wins over its share of the quarter: 1 April .. 30 June with a
    # 10,000.00 April: 10,000.00 + 61 days x 1,000.00 = 71,000.00 for the quarter.
    april = _target("month", date(2024, 4, 1), 1_000_000)
    assert target_per_period([q2, april], [date(2024, 4, 1)], "quarter") == [7_100_000]
    # A third of a cent rounds half up: 100 cents over 3 days, one day is 33.33.. -> 33.
    feb3 = _target("month", date(2024, 2, 1), 2_900)  # 29 days: 100 cents a day
    assert target_per_period([feb3], [date(2024, 2, 10)], "day") == [100]
