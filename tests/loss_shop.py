"""A shop with costs, discounts and loss-making lines, for profit and margin, the loss finder and
drill-through. Written with plain INSERTs (tests/seeding.py), not the code under test.

products (sub-category): 1 CHAIR Chair (Chairs), 2 <b>Desk</b> (Tables), 5 STOOL Stool
(Chairs), all Furniture; 3 PEN Pen (Art), 4 LAMP Lamp (Lighting), Office.
customers: 1 Acme (France), 2 Bolt (USA). Order 2 was entered by the sales user sam.

orders (qty @ price, discount -> amount; cost of the line):
  6 2024-02-10 Acme France Shipped    CHAIR 1 @100.00         = 100.00 cost  60.00
  1 2024-03-04 Acme France Shipped    CHAIR 2 @100.00         = 200.00 cost 120.00
                                      PEN  10 @10.00          = 100.00 cost  40.00
  2 2024-03-11 Bolt USA    Shipped    DESK  1 @200.00 30 % off = 140.00 cost 170.00 (by sam)
  3 2024-03-18 Bolt USA    Shipped    DESK  1 @200.00 20 % off = 160.00 cost 170.00
                                      LAMP  1 @50.00          =  50.00 cost unknown
  4 2024-03-20 Acme France Cancelled  DESK  1 @200.00 50 % off = 100.00 cost 170.00
  5 2024-03-25 Acme France Shipped    PEN   5 @10.00 20 % off =  40.00 cost  20.00
                                      CHAIR 1 @100.00 10 % off =  90.00 cost  60.00
                                      STOOL 1 @80.00          =  80.00 cost  90.00

March (order 4 cancelled, so left out): revenue 200 + 100 + 140 + 160 + 50 + 40 + 90 + 80 =
860.00; the costed lines (all but the lamp) 810.00 at cost 120 + 40 + 170 + 170 + 20 + 60 + 90
= 670.00: profit 140.00, margin 140 / 810 = 17.28 %; cost known for 810 / 860 = 94 % of sales.
February: profit 100 - 60 = 40.00, margin 40 %.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert

from dashapp.filters import Filters
from dashapp.store.models import Customer, Product
from dashapp.store.rollups import rebuild as rebuild_rollups
from tests.seeding import move_id_sequences, order_rows, write_orders

MARCH = (date(2024, 3, 1), date(2024, 3, 31))
FEBRUARY = (date(2024, 2, 1), date(2024, 2, 29))
IN_MARCH = Filters(start=MARCH[0], end=MARCH[1])
FURNITURE, OFFICE = "Furniture", "Office"
DESK_NAME = "<b>Desk</b>"
PRODUCTS = [
    # id, sku, name, category, sub-category, list price, cost
    (1, "CHAIR", "Chair", FURNITURE, "Chairs", 10000, 6000),
    (2, "DESK", DESK_NAME, FURNITURE, "Tables", 20000, 17000),
    (3, "PEN", "Pen", OFFICE, "Art", 1000, 400),
    (4, "LAMP", "Lamp", OFFICE, "Lighting", 5000, None),
    (5, "STOOL", "Stool", FURNITURE, "Chairs", 8000, 9000),
]
CATEGORY = {p[0]: p[3] for p in PRODUCTS}
ORDERS = [
    # id, number, customer, day, status, country, lines [(product, qty, price, bp, amount, cost)]
    (6, "L6", 1, date(2024, 2, 10), "Shipped", "France", [(1, 1, 10000, 0, 10000, 6000)]),
    (1, "L1", 1, date(2024, 3, 4), "Shipped", "France",
     [(1, 2, 10000, 0, 20000, 12000), (3, 10, 1000, 0, 10000, 4000)]),
    (2, "L2", 2, date(2024, 3, 11), "Shipped", "USA", [(2, 1, 20000, 3000, 14000, 17000)],
     {"created_by": "sam"}),
    (3, "L3", 2, date(2024, 3, 18), "Shipped", "USA",
     [(2, 1, 20000, 2000, 16000, 17000), (4, 1, 5000, 0, 5000, None)]),
    (4, "L4", 1, date(2024, 3, 20), "Cancelled", "France", [(2, 1, 20000, 5000, 10000, 17000)]),
    (5, "L5", 1, date(2024, 3, 25), "Shipped", "France",
     [(3, 5, 1000, 2000, 4000, 2000), (1, 1, 10000, 1000, 9000, 6000),
      (5, 1, 8000, 0, 8000, 9000)]),
]  # fmt: skip


def seed_loss_shop(engine) -> None:
    """Write the shop above and rebuild the rollups, as a bulk load does."""
    with engine.begin() as conn:
        conn.execute(
            insert(Customer),
            [dict(id=1, name="Acme", country="France"), dict(id=2, name="Bolt", country="USA")],
        )
        conn.execute(
            insert(Product),
            [
                dict(
                    id=i,
                    sku=sku,
                    name=name,
                    category=cat,
                    sub_category=sub,
                    list_price_cents=price,
                    cost_cents=cost,
                    stock_on_hand=100,
                )
                for i, sku, name, cat, sub, price, cost in PRODUCTS
            ],
        )
        rows = []
        for id_, number, customer, day, status, country, lines, *more in ORDERS:
            header = (id_, number, customer, day, status, country)
            columns = more[0] if more else {"created_by": None}  # same keys in every row
            order, line_rows = order_rows(
                *header, [(pid, CATEGORY[pid], *figures) for pid, *figures, _ in lines], **columns
            )
            for row, (*_, cost) in zip(line_rows, lines, strict=True):
                row["cost_cents"] = cost
            rows.append((order, line_rows))
        write_orders(conn, rows)
    move_id_sequences(engine)
    with engine.begin() as conn:
        rebuild_rollups(conn)
