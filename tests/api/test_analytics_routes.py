"""Every analytics route against the hand-computed figures of tests/tiny.py.

O1 2024-01-10 Acme  France Shipped    CAR 2 x 100.00 = 200.00, BIKE 1 x 50.00 = 50.00
O2 2024-01-15 Bolt  USA    Shipped    BIKE 3 x 50.00 - 10 % = 135.00
O3 2024-01-20 Cogs  USA    Cancelled  CAR 1 x 100.00 = 100.00
O4 2024-02-05 Acme  France Resolved   CAR 1 x 99.99
O5 2023-12-20 Bolt  USA    Shipped    BIKE 2 x 50.00 = 100.00
O6 2023-01-12 Acme  France Shipped    CAR 1 x 100.00
"""

import pytest

JANUARY = "start=2024-01-01&end=2024-01-31"


def kpis(
    revenue, orders, aov, customers, new, units, cancellation_rate, units_per_order, discounts
):
    """The tiny shop has no returns (gross sales = net revenue) and no costs (profit n/a)."""
    return {
        "revenue": revenue,
        "orders": orders,
        "aov": aov,
        "customers": customers,
        "new_customers": new,
        "returning_customers": customers - new,
        "units": units,
        "cancellation_rate": cancellation_rate,
        "units_per_order": units_per_order,
        "net_revenue": revenue,
        "gross_sales": revenue,
        "returns": 0.0,
        "returned_units": 0,
        "discounts": discounts,
        "cost": None,
        "profit": None,
        "margin": None,
        "cost_coverage": 0.0,
        "profit_note": "n/a: no cost is known for these orders",
    }


def test_kpis_for_january_with_both_comparison_periods(api):
    r = api.get(f"/api/kpis?{JANUARY}")
    assert r.status_code == 200
    body = r.get_json()
    # O1 + O2 = 250.00 + 135.00 = 385.00 over 2 orders -> AOV 192.50; units 2 + 1 + 3 = 6;
    # Acme and Bolt both ordered before January (not new); 1 of 3 orders cancelled. Discounts:
    # O2's 3 x 50.00 - 135.00 = 15.00.
    assert body["range"] == {"start": "2024-01-01", "end": "2024-01-31"}
    assert body["current"] == kpis(385.0, 2, 192.5, 2, 0, 6, 0.3333, 3.0, 15.0)
    # The 31 days before: December 2023 holds O5 (Bolt's first order): 100.00, 2 units.
    assert body["previous_range"] == {"start": "2023-12-01", "end": "2023-12-31"}
    assert body["previous"] == kpis(100.0, 1, 100.0, 1, 1, 2, 0.0, 2.0, 0.0)
    # January 2023 holds O6 (Acme's first order): 100.00, 1 unit.
    assert body["last_year_range"] == {"start": "2023-01-01", "end": "2023-01-31"}
    assert body["last_year"] == kpis(100.0, 1, 100.0, 1, 1, 1, 0.0, 1.0, 0.0)


def test_kpis_without_dates_cover_all_the_data(api):
    body = api.get("/api/kpis").get_json()
    # 250.00 + 135.00 + 99.99 + 100.00 + 100.00 = 684.99 over 5 orders = 136.998 -> 137.00;
    # units 2 + 1 + 3 + 1 + 2 + 1 = 10; O3 is 1 of 6 orders.
    assert body["range"] == {"start": "2023-01-12", "end": "2024-02-05"}
    assert body["current"] == kpis(684.99, 5, 137.0, 2, 2, 10, 0.1667, 2.0, 15.0)


@pytest.mark.parametrize(
    "query, revenue, orders, units, rate",
    [
        ("customer=2", 135.0, 1, 3, 0.0),  # Bolt: O2
        ("product=CAR", 200.0, 1, 2, 0.5),  # O1's CAR line; O3 cancelled
        ("category=Motorcycles", 185.0, 2, 4, 0.0),  # O1's BIKE 50.00 + O2 135.00
        ("country=USA", 135.0, 1, 3, 0.5),  # O2; O3 cancelled
        ("country=USA&country=France", 385.0, 2, 6, 0.3333),
        ("status=Cancelled", 0.0, 0, 0, 1.0),  # only O3, which has no revenue
    ],
)
def test_every_filter_applies_to_the_kpis(api, query, revenue, orders, units, rate):
    current = api.get(f"/api/kpis?{JANUARY}&{query}").get_json()["current"]
    assert (current["revenue"], current["orders"], current["units"]) == (revenue, orders, units)
    assert current["cancellation_rate"] == rate


def test_sales_over_time_by_month_is_the_default(api):
    body = api.get("/api/sales-over-time").get_json()
    assert body["period"] == "month"
    got = [(r["period"], r["revenue"], r["orders"], r["units"]) for r in body["rows"]]
    assert got == [
        ("2023-01-01", 100.0, 1, 1),
        ("2023-12-01", 100.0, 1, 2),
        ("2024-01-01", 385.0, 2, 6),
        ("2024-02-01", 99.99, 1, 1),
    ]
    january = body["rows"][2]
    assert (january["customers"], january["all_orders"], january["cancelled_orders"]) == (2, 3, 1)


@pytest.mark.parametrize(
    "period, expected",
    [
        # 2024-01-10 is a Wednesday (week of Monday the 8th); the 15th is a Monday and the
        # 20th the Saturday of the same week, where O3 counts as an order but not as revenue.
        ("week", [("2024-01-08", 250.0, 1, 1, 0), ("2024-01-15", 135.0, 1, 2, 1)]),
        (
            "day",
            [
                ("2024-01-10", 250.0, 1, 1, 0),
                ("2024-01-15", 135.0, 1, 1, 0),
                ("2024-01-20", 0.0, 0, 1, 1),
            ],
        ),
        ("quarter", [("2024-01-01", 385.0, 2, 3, 1)]),
        ("year", [("2024-01-01", 385.0, 2, 3, 1)]),
    ],
)
def test_sales_over_time_per_period(api, period, expected):
    body = api.get(f"/api/sales-over-time?period={period}&{JANUARY}").get_json()
    got = [
        (r["period"], r["revenue"], r["orders"], r["all_orders"], r["cancelled_orders"])
        for r in body["rows"]
    ]
    assert got == expected


def test_sales_by_year_over_all_the_data(api):
    rows = api.get("/api/sales-over-time?period=year").get_json()["rows"]
    # 2023: O6 + O5 = 200.00; 2024: 385.00 + 99.99 = 484.99.
    assert [(r["period"], r["revenue"], r["orders"]) for r in rows] == [
        ("2023-01-01", 200.0, 2),
        ("2024-01-01", 484.99, 3),
    ]


def test_sales_by_category(api):
    rows = api.get("/api/sales-by-category").get_json()["rows"]
    # Cars: 200.00 + 99.99 + 100.00 = 399.99, 4 units; Motorcycles: 50 + 135 + 100 = 285.00.
    assert rows == [
        {"category": "Classic Cars", "revenue": 399.99, "units": 4, "orders": 3},
        {"category": "Motorcycles", "revenue": 285.0, "units": 6, "orders": 3},
    ]


def test_a_category_with_only_cancelled_orders_is_left_out(api):
    rows = api.get("/api/sales-by-category?country=USA").get_json()["rows"]
    assert rows == [{"category": "Motorcycles", "revenue": 235.0, "units": 5, "orders": 2}]


def test_sales_by_country(api):
    rows = api.get("/api/sales-by-country").get_json()["rows"]
    # France: 250.00 + 99.99 + 100.00; USA: 135.00 + 100.00 (Cogs only cancelled).
    assert rows == [
        {"country": "France", "revenue": 449.99, "orders": 3, "customers": 1},
        {"country": "USA", "revenue": 235.0, "orders": 2, "customers": 1},
    ]


def test_top_customers_by_revenue_and_units(api):
    body = api.get("/api/top-customers?limit=1").get_json()
    assert (body["by"], body["limit"]) == ("revenue", 1)
    assert body["rows"] == [
        {
            "customer_id": 1,
            "name": "Acme",
            "country": "France",
            "revenue": 449.99,
            "units": 5,
            "orders": 3,
        }
    ]
    # Acme and Bolt both bought 5 units: the lower id comes first.
    rows = api.get("/api/top-customers?by=units").get_json()["rows"]
    assert [(r["name"], r["units"]) for r in rows] == [("Acme", 5), ("Bolt", 5)]


def test_top_products_by_revenue_and_units(api):
    rows = api.get("/api/top-products").get_json()["rows"]
    assert [(r["sku"], r["name"], r["category"], r["revenue"], r["units"]) for r in rows] == [
        ("CAR", "Car A", "Classic Cars", 399.99, 4),
        ("BIKE", "Bike B", "Motorcycles", 285.0, 6),
    ]
    rows = api.get("/api/top-products?by=units&limit=1").get_json()["rows"]
    assert [(r["sku"], r["units"], r["orders"]) for r in rows] == [("BIKE", 6, 3)]


def test_sql_text_in_a_filter_is_just_a_value(api):
    for url in ("/api/sales-by-country", "/api/top-products", "/api/sales-over-time"):
        r = api.get(f"{url}?country=France%27%20OR%201=1--&category=x%22;DROP%20TABLE%20orders")
        assert r.status_code == 200
        assert r.get_json()["rows"] == []
    # The tables are still there.
    assert api.get("/api/kpis").get_json()["current"]["orders"] == 5
