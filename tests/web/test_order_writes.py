"""The order save callback, forged by a viewer through Flask's test client: 403, nothing written."""

import json

import pytest
from sqlalchemy import func, select

from dashapp.store.models import AuditLog, Order, Product
from dashapp.ui.orders.lines import HEADER_FIELDS
from tests.sites import tiny_site


@pytest.fixture
def app(new_engine):
    users = [("vera", "viewer", "viewer password"), ("sam", "sales", "sales password")]
    dash_app = tiny_site(new_engine("web"), users=users)
    dash_app.server.config["TESTING"] = True
    return dash_app


def save_output_key(app) -> str:
    return next(k for k in app.callback_map if "order-message.children" in k and "order-lines" in k)


SLOTS = [{"type": "order-field-error", "field": f} for f in HEADER_FIELDS]


def outputs_of(key: str) -> list:
    """The outputs part of the request, as the renderer builds it from the callback's key."""
    specs = []
    for part in key.strip(".").split("..."):
        target, prop = part.rsplit(".", 1)
        if target.startswith("{"):
            specs.append([{"id": slot, "property": prop.split("@")[0]} for slot in SLOTS])
        else:
            specs.append({"id": target, "property": prop})
    return specs


def forged_save(client, output: str):
    """What the browser would send for Save with a valid one-line order for Acme."""
    states = [
        {"id": "order-editing", "property": "data", "value": None},
        {"id": "order-customer", "property": "options", "value": []},
        {"id": "order-customer", "property": "value", "value": 1},
        {"id": "order-date", "property": "value", "value": "2024-03-01T10:00"},
        {"id": "order-status", "property": "value", "value": "Shipped"},
        {"id": "order-channel", "property": "value", "value": ""},
        {"id": "order-payment", "property": "value", "value": ""},
        {"id": "order-note", "property": "value", "value": ""},
        {
            "id": "order-lines",
            "property": "rowData",
            "value": [
                {"key": "1", "sku": "CAR", "quantity": 2, "unit_price": 100, "discount_pct": 0}
            ],
        },
        [{"id": slot, "property": "id", "value": slot} for slot in SLOTS],
    ]
    body = {
        "output": output,
        "outputs": outputs_of(output),
        "inputs": [{"id": "order-save", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["order-save.n_clicks"],
        "state": states,
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )


def snapshot(engine):
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(Order)).scalar_one(),
            conn.execute(select(func.count()).select_from(AuditLog)).scalar_one(),
            dict(conn.execute(select(Product.sku, Product.stock_on_hand)).all()),
        )


def test_a_viewers_forged_save_is_refused_and_changes_nothing(app):
    client = app.server.test_client()
    client.post("/login", data={"username": "vera", "password": "viewer password"})
    before = snapshot(app.engine)
    response = forged_save(client, save_output_key(app))
    assert response.status_code == 403
    assert b"viewer" in response.data
    assert snapshot(app.engine) == before
    assert before[0] == 6 and before[2] == {"CAR": 100, "BIKE": 100}


def test_the_same_request_from_sales_is_let_through(app):
    """The refusal above is the role check, not a malformed request."""
    client = app.server.test_client()
    client.post("/login", data={"username": "sam", "password": "sales password"})
    response = forged_save(client, save_output_key(app))
    assert response.status_code == 200
    orders, _audit, stock = snapshot(app.engine)
    assert orders == 7
    assert stock == {"CAR": 98, "BIKE": 100}  # 2 cars taken by the saved order


def test_export_needs_a_signed_in_user_and_honours_the_filters(app):
    client = app.server.test_client()
    assert client.get("/export/orders.csv").status_code == 302
    client.post("/login", data={"username": "vera", "password": "viewer password"})
    response = client.get("/export/orders.csv?country=USA&sort=total:desc")
    assert response.status_code == 200
    lines = response.data.decode().splitlines()
    # USA: O2 135.00, O3 100.00 (cancelled, still listed), O5 100.00 (ties: newest id first).
    assert [line.split(",")[0] for line in lines[1:]] == ["O2", "O5", "O3"]
    assert client.get("/export/orders.csv?sort=nope:asc").status_code == 400
