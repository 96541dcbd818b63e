"""SPEC §6 on the REST API: GET, PUT and DELETE /api/orders/{id} give a sales token only the
orders its user entered (403 "not your order" otherwise, nothing changed); other roles see
every order. Alerts are whole-business figures: 403 to a sales token. SQLite and PostgreSQL.

Hand-worked (tests/tiny.py, imported orders 1-6 have no creator):
  other-sales enters 2 x CAR @100.00 = 200.00; sales-user enters 1 x BIKE @50.00 = 50.00.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashapp.orders import LineDraft, OrderDraft, create_order
from dashapp.store.models import Order, Product
from tests.accounts import staff
from tests.api.conftest import api_for, error_of
from tests.tiny import seed_tiny

ONE_CAR = {"customer_id": 1, "lines": [{"product": "CAR", "quantity": 1}]}


@pytest.fixture
def api(engine):
    seed_tiny(engine)
    api = api_for(engine)
    api.theirs = create_order(
        engine, OrderDraft(1, [LineDraft("CAR", 2)], "2024-03-01"), staff("other-sales", "sales")
    ).id
    api.mine = create_order(
        engine, OrderDraft(2, [LineDraft("BIKE", 1)], "2024-03-02"), staff("sales-user", "sales")
    ).id
    return api


def stored(engine):
    with engine.connect() as conn:
        return (
            conn.execute(
                select(Order.id, Order.status, Order.total_cents).order_by(Order.id)
            ).all(),
            dict(conn.execute(select(Product.sku, Product.stock_on_hand)).all()),
        )


def test_a_sales_token_reads_only_its_own_orders(api):
    seen = [i for i in range(1, 11) if api.get(f"/api/orders/{i}", role="sales").status_code == 200]
    assert seen == [api.mine]
    refused = api.get(f"/api/orders/{api.theirs}", role="sales")
    assert refused.status_code == 403
    assert "is not your order" in error_of(refused)["reason"]
    assert api.get(f"/api/orders/{api.mine}", role="sales").get_json()["total"] == 50.0
    assert api.get(f"/api/orders/{api.theirs}", role="viewer").get_json()["total"] == 200.0


def test_a_sales_token_cannot_change_or_delete_another_users_order(api):
    before = stored(api.engine)
    headers = api.headers("sales")
    for victim in (api.theirs, 1):
        put = api.client.put(f"/api/orders/{victim}", json=ONE_CAR, headers=headers)
        assert put.status_code == 403, put.get_json()
        assert api.client.delete(f"/api/orders/{victim}", headers=headers).status_code == 403
    assert stored(api.engine) == before


def test_put_and_delete_change_ones_own_order(api):
    headers = api.headers("sales")
    put = api.client.put(f"/api/orders/{api.mine}", json=ONE_CAR, headers=headers)
    assert put.status_code == 200
    assert put.get_json()["total"] == 100.0  # 1 x CAR @100.00 in place of 1 x BIKE
    # tiny stock 100 each: other-sales took 2 cars, this order now 1 car and no bike.
    assert stored(api.engine)[1] == {"CAR": 97, "BIKE": 100}
    gone = api.client.delete(f"/api/orders/{api.mine}", headers=headers)
    assert gone.status_code == 200 and gone.get_json() == {"deleted": api.mine}
    assert stored(api.engine)[1] == {"CAR": 98, "BIKE": 100}
    assert api.get(f"/api/orders/{api.mine}", role="sales").status_code == 404


def test_a_manager_changes_any_order_and_a_viewer_none(api):
    viewer = api.client.delete(f"/api/orders/{api.theirs}", headers=api.headers("viewer"))
    assert viewer.status_code == 403
    put = api.client.put(f"/api/orders/{api.theirs}", json=ONE_CAR, headers=api.headers("manager"))
    assert put.status_code == 200 and put.get_json()["total"] == 100.0


def test_bad_order_ids_are_a_400_or_404_on_every_method(api):
    headers = api.headers("manager")
    assert api.client.get("/api/orders/abc", headers=headers).status_code == 400
    assert api.client.put("/api/orders/abc", json=ONE_CAR, headers=headers).status_code == 400
    assert api.client.delete(f"/api/orders/{10**20}", headers=headers).status_code == 404
    assert api.client.delete("/api/orders/999", headers=headers).status_code == 404


def test_alerts_are_refused_to_a_sales_token(api):
    assert api.get("/api/anomalies", role="sales").status_code == 403
    assert api.get("/api/anomalies", role="viewer").status_code == 200
