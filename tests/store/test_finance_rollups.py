"""The money behind revenue in the order-level rollups (returns, discounts, cost), on a shop
with a credit note, a discount and costs, worked out by hand. Each table is filled four
ways and must hold exactly the rows below: by migration 0020's frozen fill SQL, by
`rollups.rebuild`, by the write path (`add_orders`, one order at a time) and by the bulk
path (`add_orders_in_bulk`).

products: 1 CAR Classic Cars, 2 BIKE Motorcycles
orders (qty, price, discount, amount, cost per line):
  1  Tue 2024-03-05 France Shipped    CAR  x2 @100.00 10 % off = 180.00, cost 120.00
                                      BIKE x1 @50.00           =  50.00, cost unknown
  2  Thu 2024-03-07 France Shipped    CAR  x-1 @100.00 10 % off = -90.00, cost -60.00 (a return)
  3  Thu 2024-03-07 USA    Cancelled  CAR  x1 @100.00          = 100.00, cost 60.00
  4  Mon 2024-04-01 USA    Shipped    BIKE x3 @50.00           = 150.00, cost 90.00
                                      BIKE x-1 @50.00          = -50.00, cost unknown (a return)

Per line: discount = qty x price - amount where the line has a discount: order 1's car
2 x 100.00 - 180.00 = 20.00; order 2's return -1 x 100.00 - (-90.00) = -10.00 (given back).
Costed revenue: the amount of live lines with a cost; costed sales: of those, the sales only.

Columns, in order: key..., revenue, units, orders, all orders, cancelled orders, returns,
returned units, discounts, cost, costed revenue, costed sales.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import insert, select, text

from dashapp.store import rollups
from dashapp.store.migrate import upgrade
from dashapp.store.models import Base, Customer, Order, OrderLine, Product

MAR5, MAR7, APR1, MAR = date(2024, 3, 5), date(2024, 3, 7), date(2024, 4, 1), date(2024, 3, 1)
CC, M = "Classic Cars", "Motorcycles"
CATEGORY = {1: CC, 2: M}
ORDERS = [
    # id, day, customer, country, status, lines [(product, qty, price, bp, amount, cost)]
    (1, MAR5, 1, "France", "Shipped",
     [(1, 2, 10000, 1000, 18000, 12000), (2, 1, 5000, 0, 5000, None)]),
    (2, MAR7, 1, "France", "Shipped", [(1, -1, 10000, 1000, -9000, -6000)]),
    (3, MAR7, 2, "USA", "Cancelled", [(1, 1, 10000, 0, 10000, 6000)]),
    (4, APR1, 2, "USA", "Shipped", [(2, 3, 5000, 0, 15000, 9000), (2, -1, 5000, 0, -5000, None)]),
]  # fmt: skip
NOTHING = (0, 0, 0, 0, 0, 0)  # no return, discount or cost

EXPECTED = {
    "rollup_day_country": [
        # order 1: 180.00 + 50.00, 3 units; discount 20.00; cost 120.00 on 180.00 of sales
        (MAR5, "France", 23000, 3, 1, 1, 0, 0, 0, 2000, 12000, 18000, 18000),
        # order 2, the return: -90.00, -1 unit; returns -90.00, -1; discount -10.00;
        # cost -60.00 on costed revenue -90.00, none of it sales
        (MAR7, "France", -9000, -1, 1, 1, 0, -9000, -1, -1000, -6000, -9000, 0),
        (MAR7, "USA", 0, 0, 0, 1, 1, *NOTHING),  # order 3, cancelled
        # order 4: 150.00 - 50.00 = 100.00, 3 - 1 = 2 units; returns -50.00, -1;
        # cost 90.00 on 150.00 (the return has no cost)
        (APR1, "USA", 10000, 2, 1, 1, 0, -5000, -1, 0, 9000, 15000, 15000),
    ],
    "rollup_day_category_country": [
        (MAR5, CC, "France", 18000, 2, 1, 1, 0, 0, 0, 2000, 12000, 18000, 18000),  # 1's cars
        (MAR5, M, "France", 5000, 1, 1, 1, 0, *NOTHING),  # 1's bike, no cost
        (MAR7, CC, "France", -9000, -1, 1, 1, 0, -9000, -1, -1000, -6000, -9000, 0),  # 2
        (MAR7, CC, "USA", 0, 0, 0, 1, 1, *NOTHING),  # 3, cancelled
        (APR1, M, "USA", 10000, 2, 1, 1, 0, -5000, -1, 0, 9000, 15000, 15000),  # 4
    ],
    "rollup_month_country": [
        # March, France: orders 1 + 2: 230.00 - 90.00 = 140.00, 3 - 1 = 2 units; discounts
        # 20.00 - 10.00 = 10.00; cost 120.00 - 60.00 = 60.00 on 180.00 - 90.00 = 90.00
        (MAR, "France", 14000, 2, 2, 2, 0, -9000, -1, 1000, 6000, 9000, 18000),
        (MAR, "USA", 0, 0, 0, 1, 1, *NOTHING),
        (APR1, "USA", 10000, 2, 1, 1, 0, -5000, -1, 0, 9000, 15000, 15000),
    ],
    "rollup_month_category_country": [
        # March, cars in France: 180.00 - 90.00 = 90.00, 2 - 1 = 1 unit, orders 1 and 2
        (MAR, CC, "France", 9000, 1, 2, 2, 0, -9000, -1, 1000, 6000, 9000, 18000),
        (MAR, M, "France", 5000, 1, 1, 1, 0, *NOTHING),
        (MAR, CC, "USA", 0, 0, 0, 1, 1, *NOTHING),
        (APR1, M, "USA", 10000, 2, 1, 1, 0, -5000, -1, 0, 9000, 15000, 15000),
    ],
}
FINANCE = (
    "returns_cents",
    "returned_units",
    "discounts_cents",
    "cost_cents",
    "costed_revenue_cents",
    "costed_sales_cents",
)


def seed(conn) -> None:
    """Write the shop above with plain INSERTs (not the code under test)."""
    conn.execute(insert(Customer), [dict(id=1, name="Acme"), dict(id=2, name="Bolt")])
    conn.execute(
        insert(Product),
        [
            dict(id=1, sku="CAR", name="Car", category=CC, list_price_cents=10000),
            dict(id=2, sku="BIKE", name="Bike", category=M, list_price_cents=5000),
        ],
    )
    for order_id, day, customer, country, status, lines in ORDERS:
        conn.execute(
            insert(Order),
            dict(
                id=order_id,
                order_number=f"F{order_id}",
                customer_id=customer,
                ordered_at=datetime.combine(day, datetime.min.time()),
                order_date=day,
                status=status,
                country=country,
                total_cents=sum(line[4] for line in lines),
            ),
        )
        conn.execute(
            insert(OrderLine),
            [
                dict(
                    order_id=order_id,
                    line_number=n,
                    product_id=product,
                    quantity=qty,
                    unit_price_cents=price,
                    discount_bp=bp,
                    amount_cents=amount,
                    cost_cents=cost,
                    order_date=day,
                    status=status,
                    customer_id=customer,
                    country=country,
                    category=CATEGORY[product],
                )
                for n, (product, qty, price, bp, amount, cost) in enumerate(lines, start=1)
            ],
        )


def seeded(engine):
    """The engine with the shop above written and its rollups rebuilt."""
    with engine.begin() as conn:
        seed(conn)
        rollups.rebuild(conn)
    return engine


def _fill(engine, how: str) -> None:
    with engine.begin() as conn:
        seed(conn)
        if how == "bulk":
            rollups.add_orders_in_bulk(conn, [3, 4])
            rollups.add_orders_in_bulk(conn, [1, 2])
        elif how == "write path":
            for order_id in (1, 2, 3, 4):
                rollups.add_orders(conn, [order_id])
        else:
            rollups.rebuild(conn)
    if how == "migration":
        # Back to 0019 for the new columns: drop them and run 0020 again, which adds and
        # fills them from the lines (its DDL on the lines is done already, so skipped).
        with engine.begin() as conn:
            for name in EXPECTED:
                for column in FINANCE:
                    conn.execute(text(f"ALTER TABLE {name} DROP COLUMN {column}"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0019'"))
        upgrade(engine)


@pytest.mark.parametrize("how", ["migration", "rebuild", "write path", "bulk"])
def test_the_order_level_rollups_hold_returns_discounts_and_costs(engine, how):
    _fill(engine, how)
    with engine.connect() as conn:
        for name, rows in EXPECTED.items():
            got = sorted(tuple(r) for r in conn.execute(select(Base.metadata.tables[name])))
            assert got == sorted(rows), name
        assert rollups.check(conn) == []


def test_removing_a_return_takes_it_out_of_every_rollup(engine):
    """The write path's subtraction of a credit note: order 2 goes, March in France is
    order 1 alone again (230.00, 3 units, discount 20.00, cost 120.00 on 180.00)."""
    _fill(engine, "write path")
    with engine.begin() as conn:
        rollups.remove_orders(conn, [2])
        conn.execute(OrderLine.__table__.delete().where(OrderLine.order_id == 2))
        conn.execute(Order.__table__.delete().where(Order.id == 2))
        month = Base.metadata.tables["rollup_month_country"]
        assert conn.execute(select(month).where(month.c.country == "France")).all() == [
            (MAR, "France", 23000, 3, 1, 1, 0, 0, 0, 2000, 12000, 18000, 18000)
        ]
        assert rollups.check(conn) == []
