"""Sixty days (2024-03-01..2024-04-29) of steady orders: every day one French and one US order.

           France   USA     product total
P1 (Cars)  300.00   100.00  400.00
P2 (Bikes) 100.00   200.00  300.00
country    400.00   300.00  700.00 a day in all

With `drop=True`, France buys no P1 on DROP_DAY (2024-04-20, day 51): France 400 -> 100,
P1 and Cars 400 -> 100 (75 % down), the business 700 -> 400 (42.9 %, under the 50 % threshold);
Bikes, P2 and USA are unchanged.
"""

from __future__ import annotations

from datetime import date

from tests.orders_fixture import Catalog, day_range, seed_orders

DROP_DAY = date(2024, 4, 20)
CATALOG = Catalog([("P1", "Cars", 10, 0, 7, True), ("P2", "Bikes", 10, 0, 7, True)])


def seed_steady(engine, *, drop: bool, sunday: float = 1.0) -> None:
    """`sunday` scales every Sunday's amounts (0.5 = a quiet Sunday, 0 = closed)."""
    orders = []
    for day in day_range(date(2024, 3, 1), 60):
        k = sunday if day.weekday() == 6 else 1.0
        if k == 0:
            continue
        france = [("P2", 1, round(10000 * k))]
        if not (drop and day == DROP_DAY):
            france.insert(0, ("P1", 1, round(30000 * k)))
        orders.append((day, "France", "Shipped", france))
        orders.append(
            (day, "USA", "Shipped", [("P1", 1, round(10000 * k)), ("P2", 1, round(20000 * k))])
        )
    seed_orders(engine, CATALOG, orders)
