"""Breakdowns on the tiny data set (tests/tiny.py); expected numbers worked out by hand."""

from datetime import date

import pytest

from dashapp.analytics.breakdowns import (
    category_over_time,
    sales_by_category,
    sales_by_country,
    sales_over_time,
    top_customers,
    top_products,
)
from dashapp.filters import Filters

JAN = Filters(start=date(2024, 1, 1), end=date(2024, 1, 31))
JAN_FEB = Filters(start=date(2024, 1, 1), end=date(2024, 2, 29))


def rows(df, *cols):
    return [tuple(r) for r in df[list(cols)].itertuples(index=False)]


def test_revenue_by_month(tiny_engine):
    with tiny_engine.connect() as conn:
        df = sales_over_time(conn, JAN_FEB, "month")
    assert rows(df, "period", "revenue_cents", "orders", "all_orders", "cancelled") == [
        (date(2024, 1, 1), 38500, 2, 3, 1),
        (date(2024, 2, 1), 9999, 1, 1, 0),
    ]


def test_weeks_start_on_monday(tiny_engine):
    with tiny_engine.connect() as conn:
        df = sales_over_time(conn, JAN, "week")
    # 10 Jan (Wed) -> week of 8 Jan; 15 Jan (Mon) and 20 Jan (Sat, cancelled) -> 15 Jan.
    assert rows(df, "period", "revenue_cents", "all_orders") == [
        (date(2024, 1, 8), 25000, 1),
        (date(2024, 1, 15), 13500, 2),
    ]


@pytest.mark.parametrize(
    "granularity, expected",
    [
        (
            "day",
            [
                (date(2024, 1, 10), 25000),
                (date(2024, 1, 15), 13500),
                (date(2024, 1, 20), 0),
                (date(2024, 2, 5), 9999),
            ],
        ),
        ("quarter", [(date(2024, 1, 1), 48499)]),
        ("year", [(date(2024, 1, 1), 48499)]),
    ],
)
def test_other_granularities(tiny_engine, granularity, expected):
    with tiny_engine.connect() as conn:
        df = sales_over_time(conn, JAN_FEB, granularity)
    assert rows(df, "period", "revenue_cents") == expected


def test_quarter_bucket_of_later_months(tiny_engine):
    with tiny_engine.connect() as conn:
        df = sales_over_time(
            conn, Filters(start=date(2023, 1, 1), end=date(2023, 12, 31)), "quarter"
        )
    assert rows(df, "period", "revenue_cents") == [
        (date(2023, 1, 1), 10000),
        (date(2023, 10, 1), 10000),
    ]


@pytest.mark.parametrize(
    ("breakdown", "columns", "expected"),
    [
        pytest.param(
            sales_by_category,
            ("category", "revenue_cents", "units", "orders"),
            [("Classic Cars", 20000, 2, 1), ("Motorcycles", 18500, 4, 2)],
            id="by_category",
        ),
        pytest.param(
            sales_by_country,
            ("country", "revenue_cents", "orders", "customers"),
            [("France", 25000, 1, 1), ("USA", 13500, 1, 1)],
            id="by_country",
        ),
    ],
)
def test_january_by_category_and_by_country(tiny_engine, breakdown, columns, expected):
    with tiny_engine.connect() as conn:
        df = breakdown(conn, JAN)
    assert rows(df, *columns) == expected


def test_category_over_time(tiny_engine):
    with tiny_engine.connect() as conn:
        df = category_over_time(conn, JAN_FEB, "month")
    assert rows(df, "period", "category", "revenue_cents") == [
        (date(2024, 1, 1), "Classic Cars", 20000),
        (date(2024, 1, 1), "Motorcycles", 18500),
        (date(2024, 2, 1), "Classic Cars", 9999),
    ]


def test_top_products_by_revenue_and_units(tiny_engine):
    with tiny_engine.connect() as conn:
        by_revenue = top_products(conn, JAN, limit=5, by="revenue")
        by_units = top_products(conn, JAN, limit=1, by="units")
    assert rows(by_revenue, "sku", "revenue_cents", "units") == [
        ("CAR", 20000, 2),
        ("BIKE", 18500, 4),
    ]
    assert rows(by_units, "sku", "units") == [("BIKE", 4)]


def test_top_customers(tiny_engine):
    with tiny_engine.connect() as conn:
        df = top_customers(conn, Filters(), limit=2)
    # Acme 250 + 99.99 + 100 = 449.99; Bolt 135 + 100 = 235; Cogs only cancelled.
    assert rows(df, "name", "revenue_cents", "orders") == [("Acme", 44999, 3), ("Bolt", 23500, 2)]


def test_limit_out_of_range_is_refused(tiny_engine):
    with tiny_engine.connect() as conn, pytest.raises(ValueError, match="limit"):
        top_products(conn, JAN, limit=0)


def test_empty_range_gives_empty_frames(tiny_engine):
    empty = Filters(start=date(2030, 1, 1), end=date(2030, 1, 31))
    with tiny_engine.connect() as conn:
        assert sales_over_time(conn, empty, "day").empty
        assert sales_by_category(conn, empty).empty
        assert sales_by_country(conn, empty).empty
        assert top_customers(conn, empty).empty


def test_categories_come_in_the_order_their_first_product_was_added(engine):
    # Colours follow this order, so a category added later never moves the others: sorted by
    # name, "Clasic Cars" (added last) would come before "Classic Cars" and shift every colour.
    from sqlalchemy import insert

    from dashapp.analytics.breakdowns import categories_in_order_of_appearance
    from dashapp.store.models import Product

    products = [(1, "Ships"), (2, "Classic Cars"), (3, "Ships"), (4, "Clasic Cars")]
    with engine.begin() as conn:
        conn.execute(
            insert(Product),
            [
                dict(id=i, sku=f"S{i}", name=f"P{i}", category=c, list_price_cents=100)
                for i, c in products
            ],
        )
    with engine.connect() as conn:
        assert categories_in_order_of_appearance(conn) == ["Ships", "Classic Cars", "Clasic Cars"]
