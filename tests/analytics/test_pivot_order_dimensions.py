"""The pivot by the order's own dimensions (status, channel, segment, ship-to) read from the
monthly rollups by them (migration 0026), on the shop of tests/store/test_order_dimension_rollups
.py (its table is in that file's docstring), worked out by hand on both backends. Profit 0.00
(order 2: sold at cost) and "n/a" (no line with a cost: order 4) stay apart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dashapp.analytics.pivot import DIMENSIONS, MEASURES, _rollup_rows, as_table, pivot
from dashapp.filters import Filters
from dashapp.store import rollups
from tests.conftest import seeded_on_each_backend
from tests.store.test_order_dimension_rollups import seed_dimension_shop


def _seed(engine) -> None:
    with engine.begin() as conn:
        seed_dimension_shop(conn)
        rollups.rebuild(conn)


dimension_shop = seeded_on_each_backend("dimension_shop", _seed, "The dimension shop, read-only.")


def _table(engine, *args, f=Filters()):
    with engine.connect() as conn:
        return as_table(pivot(conn, f, *args))


def _from_rollups(measure, *dims, f=Filters()) -> bool:
    return _rollup_rows(MEASURES[measure], [DIMENSIONS[d] for d in dims], f) is not None


def test_profit_by_region_and_month_keeps_zero_apart_from_no_cost(dimension_shop):
    assert _from_rollups("profit", "region", "month")
    header, body = _table(dimension_shop, "region", "month", "profit")
    assert header == ["Region", "2024-03", "2024-04", "Total"]
    assert body == [
        # East: 1's chair 100.00 - 60.00 (3 is cancelled) in March, 5: 10.00 - 4.00 in April.
        ["East", Decimal("40.00"), Decimal("6.00"), Decimal("46.00")],
        ["West", Decimal("0.00"), None, Decimal("0.00")],  # 2: 100.00 at cost 100.00
        ["(none)", None, None, None],  # 4: no line with a cost, n/a (last)
        ["Total", Decimal("40.00"), Decimal("6.00"), Decimal("46.00")],
    ]


def test_margin_by_channel(dimension_shop):
    assert _from_rollups("margin", "channel")
    # Web: (40.00 + 6.00) / (100.00 + 10.00) = 41.818..% -> 41.82; Store: 0.00 / 100.00.
    # All: 46.00 / 210.00 = 21.904..% -> 21.90.
    assert _table(dimension_shop, "channel", None, "margin")[1] == [
        ["Web", Decimal("41.82")],
        ["Store", Decimal("0.00")],
        ["Total", Decimal("21.90")],
    ]


def test_discounts_by_channel_and_category(dimension_shop):
    assert _from_rollups("discount", "channel", "category")
    # Only 1's pens have a discount: 2 x 10.00 - 18.00 = 2.00. Largest total first.
    assert _table(dimension_shop, "channel", "category", "discount") == (
        ["Channel", "Office", "Furniture", "Total"],
        [
            ["Web", Decimal("2.00"), Decimal("0.00"), Decimal("2.00")],
            ["Store", None, Decimal("0.00"), Decimal("0.00")],
            ["Total", Decimal("2.00"), Decimal("0.00"), Decimal("2.00")],
        ],
    )


def test_orders_by_status_and_category_count_an_order_once_in_a_total(dimension_shop):
    """Order 1 has a chair and pens: once in each category, once in Shipped's total."""
    assert _from_rollups("orders", "status", "category")
    header, body = _table(dimension_shop, "status", "category", "orders")
    assert header == ["Status", "Office", "Furniture", "Total"]
    assert body == [
        ["Shipped", 3, 2, 4],  # Office: 1, 4, 5; Furniture: 1, 2; all: 1, 2, 4, 5
        ["Cancelled", None, 0, 0],  # 3: cancelled, counted in no order
        ["Total", 3, 2, 4],
    ]


def test_revenue_by_city_and_segment_over_whole_months(dimension_shop):
    """City from rollup_month_orders; April alone (whole month) leaves March out."""
    april = Filters(start=date(2024, 4, 1), end=date(2024, 4, 30))
    assert _from_rollups("revenue", "city", "segment", f=april)
    assert _table(dimension_shop, "city", "segment", "revenue", f=april)[1] == [
        ["(none)", Decimal("30.00"), None, Decimal("30.00")],  # 4: 3 x 10.00
        ["Buffalo", None, Decimal("10.00"), Decimal("10.00")],  # 5
        ["Total", Decimal("30.00"), Decimal("10.00"), Decimal("40.00")],
    ]


def test_a_range_that_cuts_a_month_reads_the_lines_and_agrees(dimension_shop):
    """From 10 March: the monthly rows cannot answer, the lines do (orders 2 to 5)."""
    cut = Filters(start=date(2024, 3, 10))
    assert not _from_rollups("profit", "region", f=cut)
    assert _table(dimension_shop, "region", None, "profit", f=cut)[1] == [
        ["East", Decimal("6.00")],  # 5 (3 is cancelled)
        ["West", Decimal("0.00")],  # 2
        ["(none)", None],  # 4
        ["Total", Decimal("6.00")],
    ]
