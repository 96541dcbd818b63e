"""A hand-made shop with ship-to geography, segments, sub-categories and ship modes (issue 19
item 2). Every expected figure of the dimension-filter tests is worked out by hand from this
table, written straight into the tables (not through the code under test).

customers (as on the customer record): 1 Acme NY Consumer, 2 Bolt CA Corporate,
3 Cole NY Home Office. products: 1 CHAIR Furniture/Chairs 100.00, 2 DESK Furniture/Tables
200.00, 3 PEN Office/Binders 10.00. Every order ships in the United States.

  order date    customer status    region state city          segment     lines, ship mode
  G1 2024-03-01 Acme     Shipped   East   NY    New York      Consumer    CHAIR 1x100 100.00 Std
                                                                          PEN   2x10   20.00 1st
  G2 2024-03-02 Acme     Shipped   West   CA    Los Angeles   Corporate   DESK  1x200 200.00 Std
  G3 2024-03-03 Bolt     Shipped   West   CA    San Francisco Corporate   CHAIR 1x100 100.00 2nd
  G4 2024-03-04 Bolt     Cancelled East   NY    New York      Corporate   DESK  1x200 200.00 Std
  G5 2024-03-05 Cole     Shipped   East   NY    Buffalo       Home Office PEN   3x10   30.00 1st
(ship modes: Std = Standard, 1st = First, 2nd = Second)

Acme orders in two states (G1 NY, G2 CA) and, on G2, as Corporate though its record says
Consumer. G1 has lines of two ship modes. G4 is cancelled: in no revenue, order or customer.
Totals (not cancelled): 120 + 200 + 100 + 30 = 450.00, 4 orders, 3 customers, 8 units.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, update

from dashapp.store.models import Customer, OrderLine, Product
from dashapp.store.rollups import rebuild as rebuild_rollups
from tests.seeding import move_id_sequences, order_rows, write_orders

CUSTOMERS = [
    (1, "Acme", "NY", "Consumer", date(2024, 3, 1)),
    (2, "Bolt", "CA", "Corporate", date(2024, 3, 3)),
    (3, "Cole", "NY", "Home Office", date(2024, 3, 5)),
]
# id, sku, name, category, sub-category, price cents
PRODUCTS = [
    (1, "CHAIR", "Chair", "Furniture", "Chairs", 10000),
    (2, "DESK", "Desk", "Furniture", "Tables", 20000),
    (3, "PEN", "Pen", "Office", "Binders", 1000),
]
# id, number, customer, day, status, (region, state, city, segment),
# lines [(product, qty, price cents, ship mode)]
ORDERS = [
    (1, "G1", 1, 1, "Shipped", ("East", "NY", "New York", "Consumer"),
     [(1, 1, 10000, "Standard"), (3, 2, 1000, "First")]),
    (2, "G2", 1, 2, "Shipped", ("West", "CA", "Los Angeles", "Corporate"),
     [(2, 1, 20000, "Standard")]),
    (3, "G3", 2, 3, "Shipped", ("West", "CA", "San Francisco", "Corporate"),
     [(1, 1, 10000, "Second")]),
    (4, "G4", 2, 4, "Cancelled", ("East", "NY", "New York", "Corporate"),
     [(2, 1, 20000, "Standard")]),
    (5, "G5", 3, 5, "Shipped", ("East", "NY", "Buffalo", "Home Office"),
     [(3, 3, 1000, "First")]),
]  # fmt: skip
COUNTRY = "United States"


def seed_geo_shop(engine) -> None:
    """Write the shop with plain INSERTs, then rebuild the rollups as a bulk load does."""
    category = {pid: cat for pid, _, _, cat, _, _ in PRODUCTS}
    with engine.begin() as conn:
        conn.execute(
            insert(Customer),
            [
                dict(id=i, name=n, state=st, segment=seg, country=COUNTRY, first_order_date=d)
                for i, n, st, seg, d in CUSTOMERS
            ],
        )
        conn.execute(
            insert(Product),
            [
                dict(
                    id=i, sku=s, name=n, category=c, sub_category=sc, list_price_cents=p,
                    stock_on_hand=100,
                )
                for i, s, n, c, sc, p in PRODUCTS
            ],
        )  # fmt: skip
        rows = []
        for oid, number, customer, day, status, (region, state, city, segment), lines in ORDERS:
            figures = [(pid, category[pid], q, p, 0, q * p) for pid, q, p, _ in lines]
            rows.append(
                order_rows(
                    oid, number, customer, date(2024, 3, day), status, COUNTRY, figures,
                    ship_region=region, ship_state=state, ship_city=city, segment=segment,
                )
            )  # fmt: skip
        write_orders(conn, rows)
        for oid, *_, lines in ORDERS:
            for n, (*_, mode) in enumerate(lines, start=1):
                conn.execute(
                    update(OrderLine)
                    .where(OrderLine.order_id == oid, OrderLine.line_number == n)
                    .values(ship_mode=mode)
                )
    move_id_sequences(engine)
    with engine.begin() as conn:
        rebuild_rollups(conn)
