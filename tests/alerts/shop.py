"""Hand-made orders for the KPI alert tests, written with plain INSERTs (tests/orders_fixture.py).

From Mon 26 February 2024, one order a line (P = Planes, S = Ships; F = France, E = Spain):
  Mon 26 .. Thu 29 Feb  P F  300.00 each                 week of 26 Feb: P in F 1,200.00
  Mon  4 Mar            P F  400.00
  Tue  5 Mar            S F  500.00
  Wed  6 Mar            P F  400.00                      week of 4 Mar:  P in F   800.00
  Thu  7 Mar            P E  1,000.00                    (the cancelled one counts nowhere)
  Fri  8 Mar            P F  999.00 Cancelled            5 orders, 1 cancelled: 20 %
  Sun 10 Mar            S E  200.00                      the data's last day (seed_base)
Later orders (seed_later), the week of 11 March, never complete here:
  Mon 11 Mar            P F  100.00
  Wed 13 Mar            S F  200.00                      the data's last day
The checks run on TODAY, Wed 20 March: the last complete day is the day before the data's
last day (Sat 9 March with the base orders, Tue 12 March with the later ones).
"""

from __future__ import annotations

from datetime import date, timedelta

from dashapp.alerts import RuleDraft
from dashapp.auth import Account
from dashapp.store.rollups import rebuild as rebuild_rollups
from tests.orders_fixture import Catalog, seed_orders
from tests.seeding import order_rows, write_orders

PLANES, SHIPS = "Planes", "Ships"
CATALOG = Catalog([("P1", PLANES, 100, 0, 7, True), ("P2", SHIPS, 100, 0, 7, True)])
TODAY = date(2024, 3, 20)
MANAGER = Account(1, "max", "manager")
ADMIN = Account(2, "ada", "admin")
SALES = Account(3, "sam", "sales")
VIEWER = Account(4, "vera", "viewer")
FRANCE, SPAIN = 1, 2  # customer ids: one customer per country, sorted
PLANES_ID, SHIPS_ID = 1, 2
# The rule the checks judge: weekly revenue of Planes in France below 1,000.00.
PLANES_IN_FRANCE = RuleDraft(
    name="Planes in France",
    metric="revenue",
    filter="category=Planes&country=France",
    period="week",
    comparison="below",
    threshold="1,000.00",
)


def seed_base(engine) -> None:
    """The orders up to Sun 10 March (ids 1-10)."""
    orders = [
        (date(2024, 2, 26) + timedelta(days=i), "France", "Shipped", [("P1", 1, 30000)])
        for i in range(4)
    ]
    orders += [
        (date(2024, 3, 4), "France", "Shipped", [("P1", 1, 40000)]),
        (date(2024, 3, 5), "France", "Shipped", [("P2", 1, 50000)]),
        (date(2024, 3, 6), "France", "Shipped", [("P1", 1, 40000)]),
        (date(2024, 3, 7), "Spain", "Shipped", [("P1", 1, 100000)]),
        (date(2024, 3, 8), "France", "Cancelled", [("P1", 1, 99900)]),
        (date(2024, 3, 10), "Spain", "Shipped", [("P2", 1, 20000)]),
    ]
    seed_orders(engine, CATALOG, orders)


def add_orders(engine, first_id: int, orders: list[tuple[date, int, str, int, int]]) -> None:
    """More orders (day, customer id, country, product id, amount cents), numbered from
    `first_id`, then the rollups rebuilt as the write path would leave them."""
    category = {PLANES_ID: PLANES, SHIPS_ID: SHIPS}
    with engine.begin() as conn:
        write_orders(
            conn,
            [
                order_rows(
                    oid,
                    f"N{oid}",
                    customer,
                    day,
                    "Shipped",
                    country,
                    [(product, category[product], 1, amount, 0, amount)],
                )
                for oid, (day, customer, country, product, amount) in enumerate(
                    orders, start=first_id
                )
            ],
        )
        rebuild_rollups(conn)


def seed_later(engine) -> None:
    """The week of 11 March's orders (ids 11-12)."""
    add_orders(
        engine,
        11,
        [
            (date(2024, 3, 11), FRANCE, "France", PLANES_ID, 10000),
            (date(2024, 3, 13), FRANCE, "France", SHIPS_ID, 20000),
        ],
    )


def seed_all(engine) -> None:
    seed_base(engine)
    seed_later(engine)
