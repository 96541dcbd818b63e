"""Reorder statuses on a hand-made catalog. Today is 2024-06-30 (the last order day), so the
28-day velocity window is 2024-06-03..06-30 and the 30-day slow-mover window 2024-06-01..06-30.

sku stock reorder lead  units in window       avg/day  cover    status
K     0     0      7    14 (06-10)            0.5      0.0      URGENT (out, still selling)
A     5    10      7    28 + 28 (06-03, 06-30) 2.0     2.5      URGENT   (1000 on 05-01 is older)
G     7     0      7    28                     1.0     7.0      WARNING  (7 is not < 7)
B    20    10      7    56                     2.0    10.0      WARNING
F    14     0      7    28                     1.0    14.0      WARNING  (14 included)
E     0     0      7    -                      0       -        OUT OF STOCK
D    50     0      7    sold 05-21 only        0       -        SLOW MOVER
H    10     0      7    5 cancelled (06-29)    0       -        SLOW MOVER
C   100     0      7    28                     1.0   100.0      OK
J    10     0      7    sold 06-01 only        0       -        OK (sold within 30 days)
I (inactive) is left out.
suggested = max(0, reorder + ceil(avg x (lead + 14)) - stock) for URGENT and WARNING:
K 0+ceil(10.5)-0 = 11; A 10+42-5 = 47; G 0+21-7 = 14; B 10+42-20 = 32; F 0+21-14 = 7.
"""

from datetime import date

import pytest

from dashapp.analytics.reorder import reorder_csv, reorder_recommendations
from tests.orders_fixture import Catalog, seed_orders

CATALOG = Catalog(
    [
        ("A", "Cars", 5, 10, 7, True),
        ("B", "Cars", 20, 10, 7, True),
        ("C", "Cars", 100, 0, 7, True),
        ("D", "Bikes", 50, 0, 7, True),
        ("E", "Bikes", 0, 0, 7, True),
        ("F", "Bikes", 14, 0, 7, True),
        ("G", "Bikes", 7, 0, 7, True),
        ("H", "Bikes", 10, 0, 7, True),
        ("I", "Bikes", 3, 0, 7, False),
        ("J", "Ships", 10, 0, 7, True),
        ("K", "Ships", 0, 0, 7, True),
    ]
)
SHIPPED = "Shipped"
ORDERS = [
    (date(2024, 5, 1), "France", SHIPPED, [("A", 1000, 100000)]),
    (date(2024, 6, 3), "France", SHIPPED, [("A", 28, 2800)]),
    (date(2024, 6, 30), "France", SHIPPED, [("A", 28, 2800)]),
    (date(2024, 6, 15), "France", SHIPPED, [("B", 56, 5600)]),
    (date(2024, 6, 20), "France", SHIPPED, [("F", 28, 2800), ("G", 28, 2800), ("C", 28, 2800)]),
    (date(2024, 5, 21), "France", SHIPPED, [("D", 3, 300)]),
    (date(2024, 6, 29), "France", "Cancelled", [("H", 5, 500)]),
    (date(2024, 6, 1), "France", SHIPPED, [("J", 4, 400)]),
    (date(2024, 6, 10), "France", SHIPPED, [("K", 14, 1400), ("I", 9, 900)]),
]


@pytest.fixture
def stock_engine(engine):
    seed_orders(engine, CATALOG, ORDERS)
    return engine


def test_statuses_cover_and_order(stock_engine):
    with stock_engine.connect() as conn:
        df = reorder_recommendations(conn)
    assert df["sku"].tolist() == ["K", "A", "G", "B", "F", "E", "D", "H", "C", "J"]
    assert df["status"].tolist() == [
        "URGENT",
        "URGENT",
        "WARNING",
        "WARNING",
        "WARNING",
        "OUT OF STOCK",
        "SLOW MOVER",
        "SLOW MOVER",
        "OK",
        "OK",
    ]
    row = df.set_index("sku")
    assert row.loc["A", "avg_daily_units"] == 2.0
    assert row.loc["A", "days_of_cover"] == 2.5
    assert row.loc["A", "lead_time_demand"] == 14.0
    assert row.loc["K", "days_of_cover"] == 0.0
    assert row.loc["C", "days_of_cover"] == 100.0
    assert row.loc["H", "units_window"] == 0  # cancelled units are not sales
    assert row.loc[["D", "E", "H", "J"], "days_of_cover"].isna().all()
    assert row["suggested_order_qty"].to_dict() == {
        "K": 11,
        "A": 47,
        "G": 14,
        "B": 32,
        "F": 7,
        "E": 0,
        "D": 0,
        "H": 0,
        "C": 0,
        "J": 0,
    }


def test_explicit_today_ignores_later_sales(stock_engine):
    with stock_engine.connect() as conn:
        df = reorder_recommendations(conn, today=date(2024, 6, 29)).set_index("sku")
    # Window 06-02..06-29: A keeps only the 28 units of 06-03 -> 1/day, 5 days of cover.
    assert df.loc["A", "avg_daily_units"] == 1.0
    assert df.loc["A", "days_of_cover"] == 5.0
    assert df.loc["A", "last_sale"] == "2024-06-03"


def test_csv_export(stock_engine):
    with stock_engine.connect() as conn:
        text = reorder_csv(reorder_recommendations(conn))
    lines = text.splitlines()
    assert lines[0] == (
        "sku,name,category,stock,reorder_point,lead_time_days,units_window,avg_daily_units,"
        "days_of_cover,lead_time_demand,suggested_order_qty,last_sale,status"
    )
    assert lines[2] == "A,Product A,Cars,5,10,7,56,2.0,2.5,14.0,47,2024-06-30,URGENT"
    assert lines[6] == "E,Product E,Bikes,0,0,7,0,0.0,,0.0,0,,OUT OF STOCK"
    assert len(lines) == 11


def test_empty_catalog_and_bad_window(engine):
    with engine.connect() as conn:
        assert reorder_recommendations(conn).empty
        with pytest.raises(ValueError, match="window_days"):
            reorder_recommendations(conn, window_days=0)
