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


def line(**values):
    """One order line's fields, as the write path reads them."""
    return SimpleNamespace(**{"cost_cents": None, "discount_bp": 0, **values})


@pytest.mark.parametrize(
    "fields, returned, discount, costed_sale",
    [
        # 2 x 100.00 at 10 % off = 180.00: 20.00 off; a sale with a cost
        (dict(quantity=2, unit_price_cents=10000, amount_cents=18000, discount_bp=1000,
              cost_cents=12000), False, 2000, True),
        # its return: -1 x 100.00 at 10 % off = -90.00: -10.00 (the discount given back)
        (dict(quantity=-1, unit_price_cents=10000, amount_cents=-9000, discount_bp=1000,
              cost_cents=-6000), True, -1000, False),
        # no discount: nothing off even where the capped price x 2 (200.00) is below 250.00
        (dict(quantity=2, unit_price_cents=10000, amount_cents=25000), False, 0, False),
    ],
)  # fmt: skip
def test_the_line_rules_in_python(fields, returned, discount, costed_sale):
    from dashapp.store import grains

    one = line(**fields)
    assert grains.RETURN_LINE.python(one) is returned
    assert grains.DISCOUNT_VALUE.python(one) == discount
    assert grains.COSTED_SALE_LINE.python(one) is costed_sale


def test_gross_sales_profit_margin_and_coverage_from_the_sums():
    # Net 140.00 with 90.00 returned: gross 230.00. Cost 60.00 on costed revenue 90.00:
    # profit 30.00, margin 1/3; costed sales 180.00 of 230.00 gross: 18/23.
    sums = totals(
        revenue_cents=14000,
        returns_cents=-9000,
        cost_cents=6000,
        costed_revenue_cents=9000,
        costed_sales_cents=18000,
    )
    assert measures.GROSS_SALES.of(sums) == 23000
    assert measures.PROFIT.of(sums) == 3000
    sums.gross_sales_cents, sums.profit_cents = 23000, 3000
    assert measures.MARGIN.exact(sums) == Fraction(1, 3)
    assert measures.COST_COVERAGE.exact(sums) == Fraction(18, 23)
