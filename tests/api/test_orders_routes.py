"""GET /api/orders, GET /api/orders/{id} and POST /api/orders (need dashapp.orders.history and
dashapp.orders). Reads use the tiny data set; writes get a fresh copy of it each.

Tiny orders by date: O6 2023-01-12, O5 2023-12-20, O1 2024-01-10, O2 2024-01-15,
O3 2024-01-20 (Cancelled), O4 2024-02-05; totals 100.00, 100.00, 250.00, 135.00, 100.00, 99.99.
"""

import pytest
from sqlalchemy import func, select

import dashapp.orders  # noqa: F401
import dashapp.orders.history  # noqa: F401
from dashapp.store.models import Order, Product
from tests.api.conftest import api_for, error_of
from tests.tiny import seed_tiny


@pytest.fixture
def writable_api(engine):
    seed_tiny(engine)
    return api_for(engine)


def numbers(body) -> list[str]:
    return [r["number"] for r in body["rows"]]


def test_history_newest_first_with_the_total_count(api):
    body = api.get("/api/orders").get_json()
    assert (body["total"], body["page"], body["page_size"]) == (6, 1, 50)
    assert numbers(body) == ["O4", "O3", "O2", "O1", "O5", "O6"]
    o1 = body["rows"][3]
    assert (o1["customer"], o1["total"], o1["lines"], o1["units"]) == ("Acme", 250.0, 2, 3)
    assert o1["date"] == "2024-01-10T00:00:00"


def test_history_paging_filters_and_sort(api):
    assert numbers(api.get("/api/orders?page=2&page_size=2").get_json()) == ["O2", "O1"]
    january = api.get("/api/orders?start=2024-01-01&end=2024-01-31").get_json()
    assert (january["total"], numbers(january)) == (3, ["O3", "O2", "O1"])
    # Ties on 100.00 fall back to the newest id first.
    by_total = api.get("/api/orders?sort=-total").get_json()
    assert numbers(by_total) == ["O1", "O2", "O6", "O5", "O3", "O4"]


def test_history_bad_sort_is_400(api):
    r = api.get("/api/orders?sort=-colour")
    assert r.status_code == 400
    assert error_of(r)["field"] == "sort"


def test_one_order_and_unknown_ids(api):
    body = api.get("/api/orders/1").get_json()
    assert (body["id"], body["order_number"], body["total"]) == (1, "O1", 250.0)
    assert [(line["quantity"], line["amount"]) for line in body["lines"]] == [(2, 200.0), (1, 50.0)]
    for missing in (999, 99_999_999_999):
        r = api.get(f"/api/orders/{missing}")
        assert r.status_code == 404
        assert error_of(r)["status"] == 404


def stock_of(engine, sku: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(Product.stock_on_hand).where(Product.sku == sku)).scalar_one()


def order_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Order)).scalar_one()


def test_create_an_order(writable_api):
    body = {"customer_id": 1, "lines": [{"product": "CAR", "quantity": 2}]}
    r = writable_api.post("/api/orders", body, role="sales")
    assert r.status_code == 201, r.get_data(as_text=True)
    order = r.get_json()
    # The catalog price, 100.00 x 2.
    assert order["total"] == 200.0 and order["status"] == "Pending"
    assert r.headers["Location"] == f"/api/orders/{order['id']}"
    assert stock_of(writable_api.engine, "CAR") == 98
    again = writable_api.get(r.headers["Location"]).get_json()
    assert (again["id"], again["total"]) == (order["id"], 200.0)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"customer_id": 999, "lines": [{"product": "CAR", "quantity": 1}]}, "customer_id"),
        ({"customer_id": 1, "lines": []}, "lines"),
        ({"customer_id": 1, "lines": [{"product": "CAR", "quantity": 0}]}, "quantity"),
        ({"customer_id": 1, "lines": [{"product": "NOPE", "quantity": 1}]}, "product"),
        ({"customer_id": 1, "lines": [{"product": "CAR", "qty": 1}]}, "lines[0].qty"),
        ({"customer_id": 1, "lines": "CAR"}, "lines"),
        ({"customer_id": 1, "lines": [], "colour": "red"}, "colour"),
        ({"customer_id": [1], "lines": []}, "customer_id"),
    ],
)
def test_refused_orders_name_the_field_and_change_nothing(writable_api, body, field):
    r = writable_api.post("/api/orders", body, role="sales")
    assert r.status_code == 400
    assert error_of(r)["field"] == field
    assert order_count(writable_api.engine) == 6
    assert stock_of(writable_api.engine, "CAR") == 100


def test_not_enough_stock_is_409(writable_api):
    body = {"customer_id": 1, "lines": [{"product": "CAR", "quantity": 101}]}
    r = writable_api.post("/api/orders", body, role="manager")
    assert r.status_code == 409
    error = error_of(r)
    assert "Only 100 left" in error["reason"]
    assert error["errors"][0]["line"] == 0
    assert stock_of(writable_api.engine, "CAR") == 100
    assert order_count(writable_api.engine) == 6


def test_integers_beyond_the_database_are_400(writable_api):
    body = {"customer_id": 1, "lines": [{"product": -(2**70), "quantity": 1}]}
    r = writable_api.post("/api/orders", body, role="sales")
    assert r.status_code == 400
    assert error_of(r)["field"] == "lines[0].product"
