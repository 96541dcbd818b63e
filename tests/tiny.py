"""The tiny hand-made data set. Every expected figure in the metric tests is worked out by hand
from this table (written straight into the tables, not through the code under test).

orders (amount = qty x price x (1 - discount)):
  O1 2024-01-10 Acme  France Shipped    L1 CAR qty 2 @100.00          = 200.00
                                         L2 BIKE qty 1 @50.00          =  50.00
  O2 2024-01-15 Bolt  USA    Shipped    L1 BIKE qty 3 @50.00 10 % off =  135.00
  O3 2024-01-20 Cogs  USA    Cancelled  L1 CAR qty 1 @100.00          = 100.00
  O4 2024-02-05 Acme  France Resolved   L1 CAR qty 1 @99.99           =  99.99
  O5 2023-12-20 Bolt  USA    Shipped    L1 BIKE qty 2 @50.00          = 100.00
  O6 2023-01-12 Acme  France Shipped    L1 CAR qty 1 @100.00          = 100.00
first non-cancelled order: Acme 2023-01-12, Bolt 2023-12-20, Cogs none.
"""

from __future__ import annotations

from datetime import date

from dashapp.store.rollups import rebuild as rebuild_rollups
from tests.seeding import move_id_sequences, order_rows, write_catalogue, write_orders

CUSTOMERS = [
    (1, "Acme", "France", date(2023, 1, 12)),
    (2, "Bolt", "USA", date(2023, 12, 20)),
    (3, "Cogs", "USA", None),
]
PRODUCTS = [(1, "CAR", "Car A", "Classic Cars", 10000), (2, "BIKE", "Bike B", "Motorcycles", 5000)]
ORDERS = [
    # id, number, customer, day, status, country, lines [(product, qty, price, discount bp, amount)]
    (
        1,
        "O1",
        1,
        date(2024, 1, 10),
        "Shipped",
        "France",
        [(1, 2, 10000, 0, 20000), (2, 1, 5000, 0, 5000)],
    ),
    (2, "O2", 2, date(2024, 1, 15), "Shipped", "USA", [(2, 3, 5000, 1000, 13500)]),
    (3, "O3", 3, date(2024, 1, 20), "Cancelled", "USA", [(1, 1, 10000, 0, 10000)]),
    (4, "O4", 1, date(2024, 2, 5), "Resolved", "France", [(1, 1, 9999, 0, 9999)]),
    (5, "O5", 2, date(2023, 12, 20), "Shipped", "USA", [(2, 2, 5000, 0, 10000)]),
    (6, "O6", 1, date(2023, 1, 12), "Shipped", "France", [(1, 1, 10000, 0, 10000)]),
]
CATEGORY = {1: "Classic Cars", 2: "Motorcycles"}


def seed_tiny(engine) -> None:
    """Write the tiny data set with plain INSERTs."""
    with engine.begin() as conn:
        write_catalogue(
            conn,
            [dict(id=i, name=n, country=c, first_order_date=d) for i, n, c, d in CUSTOMERS],
            [
                dict(id=i, sku=s, name=n, category=c, list_price_cents=p)
                for i, s, n, c, p in PRODUCTS
            ],
        )
        write_orders(
            conn,
            [
                order_rows(*header, [(pid, CATEGORY[pid], *figures) for pid, *figures in lines])
                for *header, lines in ORDERS
            ],
        )
    move_id_sequences(engine)
    with engine.begin() as conn:
        # Plain INSERTs bypass the write path, so rebuild the rollups as a bulk load does.
        rebuild_rollups(conn)


def alert_row(**values) -> dict:
    """A stored alert for tests of the alert list and its actions: France's revenue on
    5 June 2024 at 200.00 against a baseline of 800.00 (a 75 % drop), open."""
    row = dict(
        scope="country",
        key="France",
        day=date(2024, 6, 5),
        baseline_cents=80000,
        actual_cents=20000,
        drop_pct=75.0,
        score=-99.0,
        status="open",
        drivers="[]",
    )
    return {**row, **values}
