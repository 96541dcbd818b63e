"""Two days of hand-made orders for the digest tests; sent on Wed 2024-03-06, the daily digest
covers Tue 5 March against Mon 4 March.

Mon 4 Mar: France P1 1 x 100.00; USA P2 2 x 50.00           -> 200.00, 2 orders, 2 customers,
                                                               3 units, AOV 100.00
Tue 5 Mar: France P1 3 x 100.00 + P2 1 x 50.00 (one order);
           USA P1 1 x 100.00; a cancelled USA P2 999.00 (not counted)
                                                            -> 450.00, 2 orders, 2 customers,
                                                               5 units, AOV 225.00
Changes: revenue (450 - 200) / 200 = +125.0 %; orders 0.0 %; AOV (225 - 100) / 100 = +125.0 %;
customers 0.0 %; units (5 - 3) / 3 = +66.7 %.

Reorder as of 5 March: P1 sold 1 + 3 + 1 = 5 units in the 28 days -> 5 / 28 = 0.179 a day; 1 in
stock covers 1 / 0.179 = 5.6 days, under 7: URGENT; order up to its reorder point 2 plus
ceil(0.179 x (7 lead + 14 review days)) = ceil(3.75) = 4, so 6 - 1 in stock = 5. P2 (100 in
stock, 3 sold) has 933 days of cover: not listed.

Alerts: one raised on 5 March (Cars & <Bikes>, kept as text), one raised on 3 March and one
acknowledged on 5 March; only the first is new and open in the period.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert

from dashapp.store.models import Alert
from tests.orders_fixture import Catalog, seed_orders

SENT_ON = date(2024, 3, 6)
CATALOG = Catalog([("P1", "Cars", 1, 2, 7, True), ("P2", "Bikes", 100, 0, 7, True)])
MON, TUE = date(2024, 3, 4), date(2024, 3, 5)


def seed_digest_shop(engine) -> None:
    seed_orders(
        engine,
        CATALOG,
        [
            (MON, "France", "Shipped", [("P1", 1, 10000)]),
            (MON, "USA", "Shipped", [("P2", 2, 10000)]),
            (TUE, "France", "Shipped", [("P1", 3, 30000), ("P2", 1, 5000)]),
            (TUE, "USA", "Shipped", [("P1", 1, 10000)]),
            (TUE, "USA", "Cancelled", [("P2", 1, 99900)]),
        ],
    )
    alert = dict(
        scope="category",
        day=MON,
        baseline_cents=80000,
        actual_cents=20000,
        drop_pct=75.0,
        score=-9.5,
        drivers="[]",
    )
    with engine.begin() as conn:
        conn.execute(
            insert(Alert),
            [
                {
                    **alert,
                    "key": "Cars & <Bikes>",
                    "status": "open",
                    "created_at": datetime(2024, 3, 5, 9, 30),
                },
                {**alert, "key": "Old", "status": "open", "created_at": datetime(2024, 3, 3, 9)},
                {
                    **alert,
                    "key": "Seen",
                    "status": "acknowledged",
                    "created_at": datetime(2024, 3, 5, 10),
                },
            ],
        )
