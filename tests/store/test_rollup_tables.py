"""Every rollup table, row by row, on the tiny shop of rollup_shop.py, worked out by hand.

Each table is filled four ways and must hold exactly the rows below each time: by the
migrations (their frozen fill SQL), by `rollups.rebuild` (the SQL contributions), by the
write path (`rollups.add_orders`, the per-order Python path) and by the bulk write path
(`rollups.add_orders_in_bulk`, set-based). The arithmetic is in the comments; nothing here is
recomputed with the code under test.

Measures, in column order: revenue_cents, units, orders (distinct orders with a line not
cancelled), all_orders (distinct orders), and cancelled_orders where the table has it; then,
in the order-level tables, returns, returned units, discounts, cost, costed revenue and costed
sales, all 0 here (the shop has none: tests/store/test_finance_rollups.py pins them).
A missing country is the key ''.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select, update

from dashapp.store import rollups
from dashapp.store.models import Base, Order, OrderLine
from tests.store.rollup_shop import ORDER_IDS, seed_orders
from tests.store.test_migrations import migrate_from_0004

D01, D05, D07 = date(2024, 3, 1), date(2024, 3, 5), date(2024, 3, 7)
APR1 = date(2024, 4, 1)
FEB26, MAR4 = date(2024, 2, 26), date(2024, 3, 4)  # Mondays
MAR = date(2024, 3, 1)  # first day of the month
NONE = date(1, 1, 1)  # models.NO_PREVIOUS_DAY: a first active day has no previous one
CC, M = "Classic Cars", "Motorcycles"
NO_MONEY = (0, 0, 0, 0, 0, 0)  # returns, returned units, discounts, cost, costed revenue and sales

EXPECTED: dict[str, list[tuple]] = {
    # (day, country): one row per order day and country, each order counted once.
    "rollup_day_country": [
        (D01, "USA", 10000, 1, 1, 1, 0, *NO_MONEY),  # order 6
        (D05, "France", 25000, 3, 1, 1, 0, *NO_MONEY),  # order 1: 200.00 + 50.00, 2 + 1 units
        (D07, "", 9000, 1, 1, 1, 0, *NO_MONEY),  # order 5, no country
        (D07, "France", 10000, 1, 1, 1, 0, *NO_MONEY),  # order 2
        (
            D07,
            "USA",
            0,
            0,
            0,
            1,
            1,
            *NO_MONEY,
        ),  # order 3, cancelled: counted in all and cancelled only
        (
            APR1,
            "USA",
            20000,
            4,
            1,
            1,
            0,
            *NO_MONEY,
        ),  # order 4: 50.00 + 150.00, 1 + 3 units, one order
    ],
    # (day, category, country): an order counts once in each category it has lines in.
    "rollup_day_category_country": [
        (D01, CC, "USA", 10000, 1, 1, 1, 0, *NO_MONEY),  # 6
        (D05, CC, "France", 20000, 2, 1, 1, 0, *NO_MONEY),  # 1's car
        (D05, M, "France", 5000, 1, 1, 1, 0, *NO_MONEY),  # 1's bike
        (D07, CC, "", 9000, 1, 1, 1, 0, *NO_MONEY),  # 5
        (D07, CC, "France", 10000, 1, 1, 1, 0, *NO_MONEY),  # 2
        (D07, M, "USA", 0, 0, 0, 1, 1, *NO_MONEY),  # 3, cancelled
        (APR1, M, "USA", 20000, 4, 1, 1, 0, *NO_MONEY),  # 4
    ],
    # (day, product, category)
    "rollup_day_product": [
        (D01, 1, CC, 10000, 1, 1, 1),  # 6
        (D05, 1, CC, 20000, 2, 1, 1),  # 1
        (D05, 2, M, 5000, 1, 1, 1),  # 1
        (D07, 1, CC, 19000, 2, 2, 2),  # 2 (100.00) + 5 (90.00)
        (D07, 2, M, 0, 0, 0, 1),  # 3, cancelled
        (APR1, 2, M, 20000, 4, 1, 1),  # 4: two lines of one product, one order
    ],
    # (day, country, category, product)
    "rollup_day_product_country": [
        (D01, "USA", CC, 1, 10000, 1, 1, 1),  # 6
        (D05, "France", CC, 1, 20000, 2, 1, 1),  # 1
        (D05, "France", M, 2, 5000, 1, 1, 1),  # 1
        (D07, "", CC, 1, 9000, 1, 1, 1),  # 5
        (D07, "France", CC, 1, 10000, 1, 1, 1),  # 2
        (D07, "USA", M, 2, 0, 0, 0, 1),  # 3, cancelled
        (APR1, "USA", M, 2, 20000, 4, 1, 1),  # 4
    ],
    # (day, customer, country)
    "rollup_day_customer": [
        (D01, 2, "USA", 10000, 1, 1, 1),  # 6
        (D05, 1, "France", 25000, 3, 1, 1),  # 1
        (D07, 1, "France", 10000, 1, 1, 1),  # 2
        (D07, 2, "USA", 0, 0, 0, 1),  # 3, cancelled
        (D07, 9, "", 9000, 1, 1, 1),  # 5
        (APR1, 2, "USA", 20000, 4, 1, 1),  # 4
    ],
    # (day, category, customer, country)
    "rollup_day_category_customer": [
        (D01, CC, 2, "USA", 10000, 1, 1, 1),  # 6
        (D05, CC, 1, "France", 20000, 2, 1, 1),  # 1
        (D05, M, 1, "France", 5000, 1, 1, 1),  # 1
        (D07, CC, 1, "France", 10000, 1, 1, 1),  # 2
        (D07, CC, 9, "", 9000, 1, 1, 1),  # 5
        (D07, M, 2, "USA", 0, 0, 0, 1),  # 3, cancelled
        (APR1, M, 2, "USA", 20000, 4, 1, 1),  # 4
    ],
    # (month, country): March holds orders 1, 2, 3, 5, 6; April order 4.
    "rollup_month_country": [
        (MAR, "", 9000, 1, 1, 1, 0, *NO_MONEY),  # 5
        (MAR, "France", 35000, 4, 2, 2, 0, *NO_MONEY),  # 1 (250.00, 3 units) + 2 (100.00, 1)
        (MAR, "USA", 10000, 1, 1, 2, 1, *NO_MONEY),  # 6 + 3 (cancelled: in all and cancelled only)
        (APR1, "USA", 20000, 4, 1, 1, 0, *NO_MONEY),  # 4
    ],
    # (month, category, country)
    "rollup_month_category_country": [
        (MAR, CC, "", 9000, 1, 1, 1, 0, *NO_MONEY),  # 5
        (MAR, CC, "France", 30000, 3, 2, 2, 0, *NO_MONEY),  # 1's cars (200.00, 2) + 2 (100.00, 1)
        (MAR, CC, "USA", 10000, 1, 1, 1, 0, *NO_MONEY),  # 6
        (MAR, M, "France", 5000, 1, 1, 1, 0, *NO_MONEY),  # 1's bike
        (MAR, M, "USA", 0, 0, 0, 1, 1, *NO_MONEY),  # 3, cancelled
        (APR1, M, "USA", 20000, 4, 1, 1, 0, *NO_MONEY),  # 4
    ],
    # (product, category), all time
    "rollup_product": [
        # cars: 1 (200.00, 2) + 2 (100.00, 1) + 5 (90.00, 1) + 6 (100.00, 1)
        (1, CC, 49000, 5, 4, 4),
        # bikes: 1 (50.00, 1) + 4 (200.00, 4); 3 cancelled counts in all_orders only
        (2, M, 25000, 5, 2, 3),
    ],
    # (customer, country), all time
    "rollup_customer": [
        (1, "France", 35000, 4, 2, 2),  # 1 + 2
        (2, "USA", 30000, 5, 2, 3),  # 6 (100.00, 1) + 4 (200.00, 4) + 3 cancelled
        (9, "", 9000, 1, 1, 1),  # 5
    ],
    # (category, customer, country), all time
    "rollup_category_customer": [
        (CC, 1, "France", 30000, 3, 2, 2),  # 1's cars + 2
        (CC, 2, "USA", 10000, 1, 1, 1),  # 6
        (CC, 9, "", 9000, 1, 1, 1),  # 5
        (M, 1, "France", 5000, 1, 1, 1),  # 1's bike
        (M, 2, "USA", 20000, 4, 1, 2),  # 4 + 3 cancelled
    ],
    # (week, product, category): 6 in the week of 26 Feb; 1, 2, 3, 5 of 4 March; 4 of 1 April.
    "rollup_week_product": [
        (FEB26, 1, CC, 10000, 1, 1, 1),  # 6
        (MAR4, 1, CC, 39000, 4, 3, 3),  # 1 (200.00, 2) + 2 (100.00, 1) + 5 (90.00, 1)
        (MAR4, 2, M, 5000, 1, 1, 2),  # 1's bike + 3 cancelled
        (APR1, 2, M, 20000, 4, 1, 1),  # 4
    ],
    # (week, customer, country)
    "rollup_week_customer": [
        (FEB26, 2, "USA", 10000, 1, 1, 1),  # 6
        (MAR4, 1, "France", 35000, 4, 2, 2),  # 1 + 2
        (MAR4, 2, "USA", 0, 0, 0, 1),  # 3, cancelled
        (MAR4, 9, "", 9000, 1, 1, 1),  # 5
        (APR1, 2, "USA", 20000, 4, 1, 1),  # 4
    ],
    # (week, category, customer, country)
    "rollup_week_category_customer": [
        (FEB26, CC, 2, "USA", 10000, 1, 1, 1),  # 6
        (MAR4, CC, 1, "France", 30000, 3, 2, 2),  # 1's cars + 2
        (MAR4, CC, 9, "", 9000, 1, 1, 1),  # 5
        (MAR4, M, 1, "France", 5000, 1, 1, 1),  # 1's bike
        (MAR4, M, 2, "USA", 0, 0, 0, 1),  # 3, cancelled
        (APR1, M, 2, "USA", 20000, 4, 1, 1),  # 4
    ],
    # (week, country, category, product)
    "rollup_week_product_country": [
        (FEB26, "USA", CC, 1, 10000, 1, 1, 1),  # 6
        (MAR4, "", CC, 1, 9000, 1, 1, 1),  # 5
        (MAR4, "France", CC, 1, 30000, 3, 2, 2),  # 1's cars + 2
        (MAR4, "France", M, 2, 5000, 1, 1, 1),  # 1's bike
        (MAR4, "USA", M, 2, 0, 0, 0, 1),  # 3, cancelled
        (APR1, "USA", M, 2, 20000, 4, 1, 1),  # 4
    ],
    # (month, product, category)
    "rollup_month_product": [
        (MAR, 1, CC, 49000, 5, 4, 4),  # 1 (200.00, 2) + 2 + 5 + 6 (one unit each)
        (MAR, 2, M, 5000, 1, 1, 2),  # 1's bike + 3 cancelled
        (APR1, 2, M, 20000, 4, 1, 1),  # 4
    ],
    # (month, customer, country)
    "rollup_month_customer": [
        (MAR, 1, "France", 35000, 4, 2, 2),  # 1 + 2
        (MAR, 2, "USA", 10000, 1, 1, 2),  # 6 + 3 cancelled
        (MAR, 9, "", 9000, 1, 1, 1),  # 5
        (APR1, 2, "USA", 20000, 4, 1, 1),  # 4
    ],
    # (month, category, customer, country)
    "rollup_month_category_customer": [
        (MAR, CC, 1, "France", 30000, 3, 2, 2),  # 1's cars + 2
        (MAR, CC, 2, "USA", 10000, 1, 1, 1),  # 6
        (MAR, CC, 9, "", 9000, 1, 1, 1),  # 5
        (MAR, M, 1, "France", 5000, 1, 1, 1),  # 1's bike
        (MAR, M, 2, "USA", 0, 0, 0, 1),  # 3, cancelled
        (APR1, M, 2, "USA", 20000, 4, 1, 1),  # 4
    ],
    # (month, country, category, product)
    "rollup_month_product_country": [
        (MAR, "", CC, 1, 9000, 1, 1, 1),  # 5
        (MAR, "France", CC, 1, 30000, 3, 2, 2),  # 1's cars + 2
        (MAR, "France", M, 2, 5000, 1, 1, 1),  # 1's bike
        (MAR, "USA", CC, 1, 10000, 1, 1, 1),  # 6
        (MAR, "USA", M, 2, 0, 0, 0, 1),  # 3, cancelled
        (APR1, "USA", M, 2, 20000, 4, 1, 1),  # 4
    ],
    # (month, status, channel, segment, country, ship-to region, state, city): the shop's
    # orders have no channel, segment or ship-to (''); no discount or cost (the last four
    # columns: discounts, cost, costed revenue, orders with a costed line).
    "rollup_month_orders": [
        (MAR, "Cancelled", "", "", "USA", "", "", "", 0, 0, 0, 1, 0, 0, 0, 0),  # 3
        (MAR, "Shipped", "", "", "", "", "", "", 9000, 1, 1, 1, 0, 0, 0, 0),  # 5
        # 1 (250.00, 3 units) + 2 (100.00, 1)
        (MAR, "Shipped", "", "", "France", "", "", "", 35000, 4, 2, 2, 0, 0, 0, 0),
        (MAR, "Shipped", "", "", "USA", "", "", "", 10000, 1, 1, 1, 0, 0, 0, 0),  # 6
        (APR1, "Shipped", "", "", "USA", "", "", "", 20000, 4, 1, 1, 0, 0, 0, 0),  # 4
    ],
    # (month, category, status, channel, segment, country, region, state)
    "rollup_month_category_orders": [
        (MAR, CC, "Shipped", "", "", "", "", "", 9000, 1, 1, 1, 0, 0, 0, 0),  # 5
        # 1's cars (200.00, 2) + 2 (100.00, 1)
        (MAR, CC, "Shipped", "", "", "France", "", "", 30000, 3, 2, 2, 0, 0, 0, 0),
        (MAR, CC, "Shipped", "", "", "USA", "", "", 10000, 1, 1, 1, 0, 0, 0, 0),  # 6
        (MAR, M, "Shipped", "", "", "France", "", "", 5000, 1, 1, 1, 0, 0, 0, 0),  # 1's bike
        (MAR, M, "Cancelled", "", "", "USA", "", "", 0, 0, 0, 1, 0, 0, 0, 0),  # 3
        (APR1, M, "Shipped", "", "", "USA", "", "", 20000, 4, 1, 1, 0, 0, 0, 0),  # 4
    ],
    # Customer activity chains (dashapp.store.reach). Active days (a non-cancelled order):
    #   Acme (France): 5 March (car, bike), 7 March (car)
    #   Bolt (USA): 1 March (car), 1 April (bike); 7 March is cancelled, so not active
    #   Nowhere (no country): 7 March (car); with no country it joins only the "any" chains
    # (category, country, day, previous active day in the chain, customers); '' = any.
    "rollup_customer_days": [
        ("", "", D01, NONE, 1),  # Bolt's first day
        ("", "", D05, NONE, 1),  # Acme's first day
        ("", "", D07, NONE, 1),  # Nowhere's first day
        ("", "", D07, D05, 1),  # Acme again
        ("", "", APR1, D01, 1),  # Bolt again
        ("", "France", D05, NONE, 1),  # Acme
        ("", "France", D07, D05, 1),
        ("", "USA", D01, NONE, 1),  # Bolt
        ("", "USA", APR1, D01, 1),
        (CC, "", D01, NONE, 1),  # Bolt's car
        (CC, "", D05, NONE, 1),  # Acme's cars
        (CC, "", D07, NONE, 1),  # Nowhere's car
        (CC, "", D07, D05, 1),
        (CC, "France", D05, NONE, 1),
        (CC, "France", D07, D05, 1),
        (CC, "USA", D01, NONE, 1),
        (M, "", D05, NONE, 1),  # Acme's bike
        (M, "", APR1, NONE, 1),  # Bolt's first (not cancelled) bike
        (M, "France", D05, NONE, 1),
        (M, "USA", APR1, NONE, 1),
    ],
    # (category, country, day, customers, first in week, month, quarter, year): a link counts
    # in a period when its previous day lies before the period's first day. Acme's 7 March
    # (previous 5 March) is in the same week (from Mon 4 March), month, quarter and year;
    # Bolt's 1 April (previous 1 March) starts a new week, month and quarter, not a new year.
    "rollup_customer_reach": [
        ("", "", D01, 1, 1, 1, 1, 1),
        ("", "", D05, 1, 1, 1, 1, 1),
        ("", "", D07, 2, 1, 1, 1, 1),  # Acme (again) and Nowhere (first)
        ("", "", APR1, 1, 1, 1, 1, 0),
        ("", "France", D05, 1, 1, 1, 1, 1),
        ("", "France", D07, 1, 0, 0, 0, 0),
        ("", "USA", D01, 1, 1, 1, 1, 1),
        ("", "USA", APR1, 1, 1, 1, 1, 0),
        (CC, "", D01, 1, 1, 1, 1, 1),
        (CC, "", D05, 1, 1, 1, 1, 1),
        (CC, "", D07, 2, 1, 1, 1, 1),
        (CC, "France", D05, 1, 1, 1, 1, 1),
        (CC, "France", D07, 1, 0, 0, 0, 0),
        (CC, "USA", D01, 1, 1, 1, 1, 1),
        (M, "", D05, 1, 1, 1, 1, 1),
        (M, "", APR1, 1, 1, 1, 1, 1),
        (M, "France", D05, 1, 1, 1, 1, 1),
        (M, "USA", APR1, 1, 1, 1, 1, 1),
    ],
    # (category, country, first active day of all, first day in the chain, customers).
    # First days of all: Bolt 1 March, Acme 5 March, Nowhere 7 March.
    "rollup_customer_firsts": [
        ("", "", D01, D01, 1),  # Bolt
        ("", "", D05, D05, 1),  # Acme
        ("", "", D07, D07, 1),  # Nowhere
        ("", "France", D05, D05, 1),
        ("", "USA", D01, D01, 1),
        (CC, "", D01, D01, 1),
        (CC, "", D05, D05, 1),
        (CC, "", D07, D07, 1),
        (CC, "France", D05, D05, 1),
        (CC, "USA", D01, D01, 1),
        (M, "", D01, APR1, 1),  # Bolt's first bike came a month after his first order
        (M, "", D05, D05, 1),
        (M, "France", D05, D05, 1),
        (M, "USA", D01, APR1, 1),
    ],
}


def test_every_rollup_table_is_pinned_here():
    assert set(EXPECTED) == set(rollups.TABLE_NAMES)
    assert len(EXPECTED) == 24  # 22 until issue 19's two tables by the order's dimensions


def _fill(engine, how: str) -> None:
    if how == "migration":
        migrate_from_0004(engine)
        return
    with engine.begin() as conn:
        seed_orders(conn)
        if how == "rebuild":
            rollups.rebuild(conn)
        elif how == "bulk":
            # Set-based, into empty tables and then into filled ones: orders 2, 3, 4 first,
            # then 1, 5, 6, which come before them: Acme's first active day moves from 7 to 5
            # March and Bolt's from 1 April to 1 March, so stored links are replaced.
            rollups.add_orders_in_bulk(conn, [2, 3, 4])
            rollups.add_orders_in_bulk(conn, [1, 5, 6])
        else:  # the write path, one order at a time as the app saves them
            for order_id in ORDER_IDS:
                rollups.add_orders(conn, [order_id])


@pytest.mark.parametrize("how", ["migration", "rebuild", "write path", "bulk"])
def test_every_rollup_table_holds_the_hand_computed_rows(engine, how):
    _fill(engine, how)
    with engine.connect() as conn:
        got = {
            name: sorted(tuple(r) for r in conn.execute(select(Base.metadata.tables[name])))
            for name in EXPECTED
        }
    for name, rows in EXPECTED.items():
        assert got[name] == sorted(rows), name


def test_removing_every_order_empties_every_rollup(engine):
    """The write path's subtraction: rows whose orders are all gone are dropped, not left at
    zero."""
    _fill(engine, "write path")
    with engine.begin() as conn:
        rollups.remove_orders(conn, ORDER_IDS)
        for name in EXPECTED:
            assert conn.execute(select(Base.metadata.tables[name])).all() == [], name


def test_removing_every_order_in_bulk_empties_every_rollup(engine):
    """The set-based subtraction (rollups.BulkOrderChange, an import replacing many orders):
    every order deleted between the two halves leaves no row anywhere, chains included."""
    _fill(engine, "write path")
    with engine.begin() as conn:
        bulk = rollups.BulkOrderChange(conn, ORDER_IDS)
        conn.execute(delete(OrderLine.__table__))
        conn.execute(delete(Order.__table__))
        # Customers 1, 2 (lines and orders) and 9 (order 5) were touched.
        assert bulk.finish() == {1, 2, 9}
        for name in EXPECTED:
            assert conn.execute(select(Base.metadata.tables[name])).all() == [], name


def test_a_bulk_change_moves_and_drops_rows(engine):
    """BulkOrderChange with orders that stay: order 1 deleted, order 2 moved from 7 to 8
    March. Rows only they held go, the others keep their sums."""
    _fill(engine, "write path")
    lines_t, orders_t = OrderLine.__table__, Order.__table__
    mar8 = date(2024, 3, 8)
    with engine.begin() as conn:
        bulk = rollups.BulkOrderChange(conn, [1, 2])
        conn.execute(delete(lines_t).where(lines_t.c.order_id == 1))
        conn.execute(delete(orders_t).where(orders_t.c.id == 1))
        conn.execute(update(lines_t).where(lines_t.c.order_id == 2).values(order_date=mar8))
        conn.execute(update(orders_t).where(orders_t.c.id == 2).values(order_date=mar8))
        assert bulk.finish() == {1}  # Acme's orders only
        day_country = Base.metadata.tables["rollup_day_country"]
        days = Base.metadata.tables["rollup_customer_days"]
        # (5 March, France) held only order 1 and (7 March, France) only order 2: both gone.
        assert sorted(conn.execute(select(day_country)).all()) == [
            (D01, "USA", 10000, 1, 1, 1, 0, *NO_MONEY),  # order 6
            (D07, "", 9000, 1, 1, 1, 0, *NO_MONEY),  # order 5
            (D07, "USA", 0, 0, 0, 1, 1, *NO_MONEY),  # order 3, cancelled
            (mar8, "France", 10000, 1, 1, 1, 0, *NO_MONEY),  # order 2, moved
            (APR1, "USA", 20000, 4, 1, 1, 0, *NO_MONEY),  # order 4
        ]
        # The chains over any category and country: Acme is active on 8 March only now (its
        # links 5 March and 7 March after 5 March are gone), Bolt on 1 March then 1 April
        # (order 3 is cancelled), Nowhere on 7 March.
        whole = (days.c.category == "") & (days.c.country == "")
        assert sorted(conn.execute(select(days).where(whole)).all()) == [
            ("", "", D01, NONE, 1),
            ("", "", D07, NONE, 1),
            ("", "", mar8, NONE, 1),
            ("", "", APR1, D01, 1),
        ]
        assert rollups.check(conn) == []
