"""A tiny shop for the rollup tables, written with plain INSERTs (not the code under test).

customers: 1 Acme (France), 2 Bolt (USA), 9 Nowhere (no country: the rollups key it as '')
products:  1 CAR  Classic Cars, 2 BIKE Motorcycles

orders (every line has its order's date, status, customer and country):
  id  day                 customer  country  status     lines (product, qty, amount)
  1   Tue 2024-03-05      Acme      France   Shipped    CAR x2 200.00, BIKE x1 50.00
  2   Thu 2024-03-07      Acme      France   Shipped    CAR x1 100.00
  3   Thu 2024-03-07      Bolt      USA      Cancelled  BIKE x2 100.00
  4   Mon 2024-04-01      Bolt      USA      Shipped    BIKE x1 50.00, BIKE x3 150.00
  5   Thu 2024-03-07      Nowhere   (none)   Shipped    CAR x1 90.00
  6   Fri 2024-03-01      Bolt      USA      Shipped    CAR x1 100.00

Weeks start on Monday: order 6 (Fri 1 March) lies in the week of Mon 26 February; orders 1, 2,
3 and 5 in the week of Mon 4 March; order 4 in the week of Mon 1 April. Months: orders 1, 2, 3,
5 and 6 in March, order 4 in April. Order 4 has two lines of one product: one order, 4 units.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import insert

from dashapp.store.models import Customer, Product
from tests.seeding import order_rows, write_orders

CUSTOMERS = [(1, "Acme", "France"), (2, "Bolt", "USA"), (9, "Nowhere", None)]
PRODUCTS = [(1, "CAR", "Classic Cars", 10000), (2, "BIKE", "Motorcycles", 5000)]
CATEGORY = {1: "Classic Cars", 2: "Motorcycles"}
ORDERS = [
    # id, day, customer, country, status, lines [(product, quantity, amount cents)]
    (1, date(2024, 3, 5), 1, "France", "Shipped", [(1, 2, 20000), (2, 1, 5000)]),
    (2, date(2024, 3, 7), 1, "France", "Shipped", [(1, 1, 10000)]),
    (3, date(2024, 3, 7), 2, "USA", "Cancelled", [(2, 2, 10000)]),
    (4, date(2024, 4, 1), 2, "USA", "Shipped", [(2, 1, 5000), (2, 3, 15000)]),
    (5, date(2024, 3, 7), 9, None, "Shipped", [(1, 1, 9000)]),
    (6, date(2024, 3, 1), 2, "USA", "Shipped", [(1, 1, 10000)]),
]
ORDER_IDS = [o[0] for o in ORDERS]


def seed_orders(conn) -> None:
    """Write the shop above (customers, products, orders, lines) and nothing else."""
    conn.execute(
        insert(Customer),
        [dict(id=i, name=n, country=c, active=True) for i, n, c in CUSTOMERS],
    )
    conn.execute(
        insert(Product),
        [
            dict(id=i, sku=s, name=s, category=c, list_price_cents=p, stock_on_hand=100)
            for i, s, c, p in PRODUCTS
        ],
    )
    write_orders(
        conn,
        [
            order_rows(
                order_id,
                f"R{order_id}",
                customer,
                day,
                status,
                country,
                [(p, CATEGORY[p], qty, amount // qty, 0, amount) for p, qty, amount in lines],
                at=time(10),
                promo=False,
            )
            for order_id, day, customer, country, status, lines in ORDERS
        ],
    )
