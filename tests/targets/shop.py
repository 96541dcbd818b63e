"""Hand-made orders for the target tests, written with plain INSERTs (tests/orders_fixture.py).

March 2024 to date (the data ends Sun 10 March, day 10 of 31), one order a day:
  Fri 1 .. Wed 6  Planes  400.00 each, cost 300.00, ship-to region EMEA   6 orders  2,400.00
  Thu 7 .. Sun 10 <b>Ships</b> 400.00 each, no cost, region NA            4 orders  1,600.00
                                                                          10 orders 4,000.00
  sam entered the orders of 1 and 2 March (Planes): 2 orders, 800.00.
  A cancelled Planes order of 999.00 on 5 March counts nowhere.
Profit (over the lines with a cost): 6 x (400.00 - 300.00) = 600.00.

Linear run-rates to 31 March (x 31 / 10):
  business revenue 4,000.00 -> 12,400.00     business orders 10 -> 31
  Planes 2,400.00 -> 7,440.00                 region NA 1,600.00 -> 4,960.00
  sam 800.00 -> 2,480.00                      profit 600.00 -> 1,860.00
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert, text

from dashapp.store.models import User
from dashapp.store.rollups import rebuild as rebuild_rollups
from tests.orders_fixture import Catalog, seed_orders

PLANES, SHIPS = "Planes", "<b>Ships</b>"
CATALOG = Catalog([("P1", PLANES, 100, 0, 7, True), ("P2", SHIPS, 100, 0, 7, True)])
LAST_DAY = date(2024, 3, 10)


def seed_users(engine, *people: tuple[str, str]) -> None:
    """Users (username, role) who cannot sign in (no real password hash): what a target's
    scope is checked against, without the cost of hashing."""
    with engine.begin() as conn:
        conn.execute(insert(User), [dict(username=u, role=r, password_hash="-") for u, r in people])


def seed_march(engine) -> None:
    """The orders above: N1..N10 one a day from 1 March, N11 the cancelled one; users sam
    (sales) and vera (viewer)."""
    seed_users(engine, ("sam", "sales"), ("vera", "viewer"))
    orders = []
    for i in range(10):
        day = date(2024, 3, 1) + timedelta(days=i)
        sku = "P1" if i < 6 else "P2"
        orders.append((day, "France", "Shipped", [(sku, 1, 40000)]))
    orders.append((date(2024, 3, 5), "France", "Cancelled", [("P1", 1, 99900)]))
    seed_orders(engine, CATALOG, orders)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE orders SET ship_region = CASE WHEN id <= 6 OR id = 11 THEN 'EMEA' "
                "ELSE 'NA' END, created_by = CASE WHEN id IN (1, 2) THEN 'sam' ELSE 'max' END"
            )
        )
        conn.execute(text("UPDATE order_lines SET cost_cents = 30000 WHERE product_id = 1"))
        rebuild_rollups(conn)


def seed_weekdays(engine) -> None:
    """100.00 a day on weekdays only, from Thu 1 February to Fri 8 March 2024: counted to
    Sun 10 March, 39 days of history, a perfectly weekly series."""
    orders = []
    day = date(2024, 2, 1)
    while day <= LAST_DAY:
        if day.weekday() < 5:
            orders.append((day, "France", "Shipped", [("P1", 1, 10000)]))
        day += timedelta(days=1)
    seed_orders(engine, CATALOG, orders)
