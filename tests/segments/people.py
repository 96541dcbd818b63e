"""Hand-made customers for the RFM and cohort tests, written with plain INSERTs (as tests/tiny.py
does) so the code under test never builds its own fixture.

PEOPLE: ten scored customers; the data ends on 2024-06-30 (Alpine's last order). Each customer's
orders fall every 10 days back from their last one, one Classic Cars line each; three of them
also have a Trains line on their last order. Scores by position from worst to best (n = 10:
positions 1-2 score 1, 3-4 score 2, ..., 9-10 score 5):

  id name                rec  orders  cars x each  + trains = monetary   R F M  segment
   1 Alpine Models         0      10  10 x 500.00  + 30.00  = 5,030.00   5 5 5  Champions
   2 Bayside Toys          5       1   1 x 1000.00          = 1,000.00   5 1 4  New
   3 Corner Hobbies       12       5   5 x 60.00            =   300.00   4 3 2  Potential Loyalist
   4 Delta Gifts          20       2   2 x 140.00           =   280.00   4 1 2  Promising
   5 Eastside Crafts      35       6   6 x 80.00            =   480.00   3 3 3  Need Attention
   6 Fjord Collectables   50       7   7 x 100.00           =   700.00   3 4 4  Loyal
   7 Granite Replicas     80       9   9 x 400.00  + 20.00  = 3,620.00   2 5 5  Can't Lose Them
   8 Harbour Minis       120       3   3 x 20.00            =    60.00   2 2 1  Hibernating
   9 Iron Horse Ltd      200       4   4 x 25.00   + 10.00  =   110.00   1 2 1  Lost
  10 Juniper Games       300       8   8 x 50.00            =   400.00   1 4 3  At Risk
  11 Kestrel Trading: one Cancelled order on 2024-06-28 only (never scored).
  12 Lark Prospects: no orders.
  Iron Horse also has a Cancelled 999.00 order on 2024-06-29 (it must not make them recent).
Countries: Alpine, Bayside, Harbour France; Fjord Norway; the rest USA. Juniper has no email.

COHORTS: five customers, one Classic Cars line of 10.00 per order; the data ends 2024-04-01.
  Pia   France  2024-01-05, 2024-02-10, 2024-04-01
  Quinn France  2024-01-20, 2024-03-15
  Rosa  USA     2024-02-03, 2024-02-25, 2024-03-01
  Sami  USA     2024-02-14  (and a Cancelled order on 2024-03-10)
  Tove  USA     2024-03-30
"""

from __future__ import annotations

from datetime import date, timedelta

from dashapp.store.derived import refresh_first_order_dates
from dashapp.store.rollups import rebuild as rebuild_rollups
from tests.seeding import order_rows, write_catalogue, write_orders

CARS, TRAINS = 1, 2
PRODUCTS = [(CARS, "CAR-1", "Model car", "Classic Cars"), (TRAINS, "TRAIN-1", "Train", "Trains")]
CATEGORY = {CARS: "Classic Cars", TRAINS: "Trains"}

END = date(2024, 6, 30)
# id, name, country, email, recency days, orders, cents per Cars line, cents of a Trains line
PEOPLE = [
    (1, "Alpine Models", "France", "buy@alpine.example", 0, 10, 50000, 3000),
    (2, "Bayside Toys", "France", "hello@bayside.example", 5, 1, 100000, 0),
    (3, "Corner Hobbies", "USA", "corner@hobbies.example", 12, 5, 6000, 0),
    (4, "Delta Gifts", "USA", "delta@gifts.example", 20, 2, 14000, 0),
    (5, "Eastside Crafts", "USA", "info@eastside.example", 35, 6, 8000, 0),
    (6, "Fjord Collectables", "Norway", "fjord@collect.example", 50, 7, 10000, 0),
    (7, "Granite Replicas", "USA", "sales@granite.example", 80, 9, 40000, 2000),
    (8, "Harbour Minis", "France", "harbour@minis.example", 120, 3, 2000, 0),
    (9, "Iron Horse Ltd", "USA", "iron@horse.example", 200, 4, 2500, 1000),
    (10, "Juniper Games", "USA", None, 300, 8, 5000, 0),
]
EXTRA_CUSTOMERS = [
    (11, "Kestrel Trading", "USA", "kestrel@trading.example"),
    (12, "Lark Prospects", "USA", "lark@prospects.example"),
]

COHORT_CUSTOMERS = [
    (1, "Pia", "France", "pia@example.com"),
    (2, "Quinn", "France", "quinn@example.com"),
    (3, "Rosa", "USA", "rosa@example.com"),
    (4, "Sami", "USA", "sami@example.com"),
    (5, "Tove", "USA", "tove@example.com"),
]
COHORT_ORDERS = [
    # customer, day, status
    (1, date(2024, 1, 5), "Shipped"),
    (1, date(2024, 2, 10), "Shipped"),
    (1, date(2024, 4, 1), "Shipped"),
    (2, date(2024, 1, 20), "Shipped"),
    (2, date(2024, 3, 15), "Resolved"),
    (3, date(2024, 2, 3), "Shipped"),
    (3, date(2024, 2, 25), "Shipped"),
    (3, date(2024, 3, 1), "Shipped"),
    (4, date(2024, 2, 14), "Shipped"),
    (4, date(2024, 3, 10), "Cancelled"),
    (5, date(2024, 3, 30), "Shipped"),
]


def people_orders() -> list[tuple]:
    """PEOPLE's orders as (customer, day, status, [(product, amount cents)])."""
    out = []
    for cid, _name, _country, _email, recency, count, cars, trains in PEOPLE:
        last = END - timedelta(days=recency)
        for k in range(count):
            order_lines = [(CARS, cars)]
            if k == 0 and trains:
                order_lines.append((TRAINS, trains))
            out.append((cid, last - timedelta(days=10 * k), "Shipped", order_lines))
    out.append((9, date(2024, 6, 29), "Cancelled", [(CARS, 99900)]))
    out.append((11, date(2024, 6, 28), "Cancelled", [(CARS, 50000)]))
    return out


def seed_people(engine) -> None:
    """Write PEOPLE, the cancelled-only and the order-less customers."""
    people = [(cid, name, country, email) for cid, name, country, email, *_ in PEOPLE]
    write_dataset(engine, people + EXTRA_CUSTOMERS, people_orders())


def seed_cohorts(engine) -> None:
    """Write the COHORTS customers and their orders."""
    orders = [(cid, day, status, [(CARS, 1000)]) for cid, day, status in COHORT_ORDERS]
    write_dataset(engine, COHORT_CUSTOMERS, orders)


def write_dataset(engine, customers: list[tuple], orders: list[tuple]) -> None:
    """Customers (id, name, country, email) and orders, with every denormalised column filled."""
    countries = {cid: country for cid, _name, country, _email in customers}
    with engine.begin() as conn:
        write_catalogue(
            conn,
            [dict(id=i, name=n, country=c, email=e) for i, n, c, e in customers],
            [
                dict(id=i, sku=s, name=n, category=c, list_price_cents=1000)
                for i, s, n, c in PRODUCTS
            ],
        )
        write_orders(
            conn,
            [
                order_rows(
                    oid,
                    f"T{oid:04d}",
                    cid,
                    day,
                    status,
                    countries[cid],
                    [(pid, CATEGORY[pid], 1, amount, 0, amount) for pid, amount in order_lines],
                )
                for oid, (cid, day, status, order_lines) in enumerate(orders, start=1)
            ],
        )
        refresh_first_order_dates(conn)
        rebuild_rollups(conn)
