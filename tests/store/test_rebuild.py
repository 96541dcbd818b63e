"""`rollups.rebuild` sums each order once per level of line keys (grains.ORDER_KEYS): lines
that disagree with their order, which the app never writes but hand-written SQL can, still
give the exact rows. Shop of rollup_shop.py; the arithmetic is in the comments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from dashapp.store import rollups
from dashapp.store.models import OrderLine, RollupDayCountry, RollupMonthCountry
from tests.store.rollup_shop import seed_orders

D05, MAR = date(2024, 3, 5), date(2024, 3, 1)
lines = OrderLine.__table__


def _rebuilt_rows(engine, change) -> tuple[list, list]:
    """Seed the shop, change order 1's bike line (product 2) by hand, rebuild; the rows of
    rollup_day_country on Tue 5 March and of rollup_month_country in March."""
    with engine.begin() as conn:
        seed_orders(conn)
        bike = (lines.c.order_id == 1) & (lines.c.product_id == 2)
        conn.execute(update(lines).where(bike).values(**change))
        rollups.rebuild(conn)
        assert rollups.check(conn) == []
        day, month = RollupDayCountry.__table__, RollupMonthCountry.__table__
        return (
            conn.execute(select(*_pinned(day)).where(day.c.order_date == D05)).all(),
            conn.execute(select(*_pinned(month)).where(month.c.order_date == MAR)).all(),
        )


def _pinned(table) -> list:
    """The key and the counts these tests are about (the shop has no returns or costs)."""
    names = ("order_date", "country", "revenue_cents", "units", "orders", "all_orders")
    return [table.c[n] for n in (*names, "cancelled_orders")]


def test_a_line_in_another_country_than_its_order(engine):
    day, month = _rebuilt_rows(engine, {"country": "USA"})
    # Order 1 (5 March): the cars (200.00, 2 units) stay in France, the bike (50.00, 1) is in
    # the USA: the order counts once in each country.
    # (day, country, revenue, units, orders, all orders, cancelled orders)
    assert sorted(day) == [(D05, "France", 20000, 2, 1, 1, 0), (D05, "USA", 5000, 1, 1, 1, 0)]
    # March: France = order 1's cars + order 2 (100.00, 1): 300.00, 3 units, 2 orders.
    # USA = order 6 (100.00, 1) + order 1's bike (50.00, 1) + order 3 (cancelled, in all and
    # cancelled only): 150.00, 2 units, 2 orders, 3 in all, 1 cancelled. '' = order 5.
    assert sorted(month) == [
        (MAR, "", 9000, 1, 1, 1, 0),
        (MAR, "France", 30000, 3, 2, 2, 0),
        (MAR, "USA", 15000, 2, 2, 3, 1),
    ]


def test_a_cancelled_line_in_an_order_that_is_not(engine):
    day, month = _rebuilt_rows(engine, {"status": "Cancelled"})
    # Order 1: the cars count (200.00, 2 units); the bike only makes the order one with a
    # cancelled line. One order in all three counts.
    assert day == [(D05, "France", 20000, 2, 1, 1, 1)]
    # March, France: order 1 (200.00, 2) + order 2 (100.00, 1), 2 orders, one with a
    # cancelled line. USA: order 6 + order 3 (cancelled). '' = order 5.
    assert sorted(month) == [
        (MAR, "", 9000, 1, 1, 1, 0),
        (MAR, "France", 30000, 3, 2, 2, 1),
        (MAR, "USA", 10000, 1, 1, 2, 1),
    ]
