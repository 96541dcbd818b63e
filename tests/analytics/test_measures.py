"""The metric declarations (analytics.measures) and the planner's choice of rollup through the
grain declarations (analytics.query.rollup / family); numbers worked out by hand."""

from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from dashapp.analytics import measures, query


def totals(**sums):
    return SimpleNamespace(**sums)


@pytest.mark.parametrize(
    "revenue_cents, orders, aov",
    [
        (38500, 2, Decimal("192.50")),  # 385.00 / 2
        (68499, 5, Decimal("137.00")),  # 684.99 / 5 = 136.998
        (25, 2, Decimal("0.13")),  # 0.125: a half goes away from zero
        (-25, 2, Decimal("-0.13")),  # a refund-heavy period: -0.125
        (1, 3, Decimal("0.00")),  # 0.00333...
        (500, 0, Decimal("0.00")),  # no orders: 0, not a division error
    ],
)
def test_a_ratio_is_the_exact_quotient_rounded_half_up_to_2_places(revenue_cents, orders, aov):
    assert measures.AOV.rounded(totals(revenue_cents=revenue_cents, orders=orders)) == aov


def test_a_rate_is_exact():
    # 1 cancelled of 3 orders; no orders at all gives 0.
    assert measures.CANCELLATION_RATE.exact(totals(cancelled_orders=1, all_orders=3)) == Fraction(
        1, 3
    )
    assert measures.CANCELLATION_RATE.exact(totals(cancelled_orders=0, all_orders=0)) == 0


def test_the_planner_finds_its_tables_by_their_keys():
    assert query.rollup("country").name == "rollup_day_country"
    assert query.rollup("country", "category", period="month").name == (
        "rollup_month_category_country"
    )
    assert query.rollup("customer_id", "country", period=None).name == "rollup_customer"
    assert dict(query.family("country", "product_id", "category")).keys() == {
        "day",
        "week",
        "month",
    }  # product per country has no all-time table
    assert set(query.family(*query.PRODUCT_KEYS)) == {"day", "week", "month", "all"}


def test_asking_for_keys_no_rollup_has_says_so():
    with pytest.raises(LookupError, match=r"no rollup of week is keyed by \['country'\]"):
        query.rollup("country", period="week")
    assert dict(query.family("customer_id")) == {}
