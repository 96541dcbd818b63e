"""120 days of hand-made orders for the Forecast and Anomalies browser tests (plain INSERTs).

Every day, with m = 2 on Monday-Friday, 3 on Saturday and 1 on Sunday (mean 2 a day):
  France buys CAR 3m and BIKE 1m; the USA buys CAR 1m, BIKE 2m and LOW 1m.
  CAR and BIKE cost 100.00, LOW 10.00 (all "Cars" but BIKE, a "Bikes").
On a weekday m = 2: France 800.00, USA 620.00, the business 1,420.00; CAR 800.00,
Cars 820.00 (CAR + LOW 20.00).
DROP_DAY (Wed 2024-06-05): France buys no CAR, so France 800 -> 200 (-75.0 %), CAR 800 -> 200
(-75.0 %), Cars 820 -> 220 (-73.2 %); the business 1,420 -> 820 is -42.3 %, under the default
50 %; LOW's 20.00 a day is under the 50.00 floor. So the check finds exactly 3 alerts.
NEW ("Boats") sells 1 a day at 50.00 only over the last 14 days: too short to forecast.
Stock: LOW 6 units at 2 a day (28-day velocity 56 / 28 = 2.00) -> 3.0 days of cover, URGENT;
OLD has 50 in stock and never sold -> SLOW MOVER.
"""

from __future__ import annotations

from datetime import date, timedelta

from dashapp.factory import create_app
from tests.databases import migrate
from tests.orders_fixture import Catalog, day_range, seed_orders

END = date(2024, 6, 28)
START = END - timedelta(days=119)
DROP_DAY = date(2024, 6, 5)
NEW_FROM = END - timedelta(days=13)
CATALOG = Catalog(
    [
        ("CAR", "Cars", 1000, 10, 7, True),
        ("BIKE", "Bikes", 1000, 10, 7, True),
        ("LOW", "Cars", 6, 10, 5, True),
        ("NEW", "Boats", 100, 5, 7, True),
        ("OLD", "Boats", 50, 5, 7, True),
    ]
)
PRICE = {"CAR": 10000, "BIKE": 10000, "LOW": 1000, "NEW": 5000}


def _items(quantities: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    return [(sku, q, q * PRICE[sku]) for sku, q in quantities if q > 0]


def seed_forecast_data(engine) -> None:
    orders = []
    for day in day_range(START, 120):
        m = {5: 3, 6: 1}.get(day.weekday(), 2)
        france = [("CAR", 0 if day == DROP_DAY else 3 * m), ("BIKE", m)]
        usa = [("CAR", m), ("BIKE", 2 * m), ("LOW", m)]
        if day >= NEW_FROM:
            usa.append(("NEW", 1))
        orders.append((day, "France", "Shipped", _items(france)))
        orders.append((day, "USA", "Shipped", _items(usa)))
    seed_orders(engine, CATALOG, orders)


def forecast_app(engine):
    """The real app on `engine` (an empty database) holding the data above."""
    migrate(engine)
    seed_forecast_data(engine)
    app = create_app(engine, demo=True)
    app.engine = engine
    return app
