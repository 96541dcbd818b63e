"""SPEC §6 on the page: a sales user reads, edits, cancels and deletes only the orders they
entered. Every request here is forged from /_dash-dependencies, as an attacker would build it,
with another user's order id in the client-side stores; each must be refused with a message
and change nothing (orders, lines, stock, audit log re-queried). On SQLite and PostgreSQL.

Hand-worked data (tests/tiny.py, stock 100 CAR and 100 BIKE, plus):
  sue (sales) enters 3 x CAR @100.00 = 300.00 with a private note  -> CAR stock 97
  sam (sales) enters 1 x BIKE @50.00 = 50.00                       -> BIKE stock 99
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from dashapp.auth import create_user
from dashapp.factory import create_app
from dashapp.orders import LineDraft, OrderDraft, create_order
from dashapp.store.models import AuditLog, Order, OrderLine, Product
from dashapp.ui.orders.lines import HEADER_FIELDS
from tests.tiny import seed_tiny
from tests.web.forge import answer_text, forge

PASSWORD = "quiet harbour lamp"
NOTE = "sue's private note: call before noon"
SLOTS = [{"type": "order-field-error", "field": f} for f in HEADER_FIELDS]


@pytest.fixture
def shop(engine):
    seed_tiny(engine)
    accounts = {
        name: create_user(engine, name, role, PASSWORD)[0]
        for name, role in [
            ("sue", "sales"),
            ("sam", "sales"),
            ("max", "manager"),
            ("vera", "viewer"),
        ]
    }
    sue = create_order(
        engine,
        OrderDraft(1, [LineDraft("CAR", 3)], "2024-03-01 10:00", note=NOTE),
        accounts["sue"],
    )
    sam = create_order(engine, OrderDraft(2, [LineDraft("BIKE", 1)], "2024-03-02"), accounts["sam"])
    app = create_app(engine, demo=False)
    app.server.config["TESTING"] = True
    app.engine = engine
    app.order_ids = {"sue": sue.id, "sam": sam.id}
    return app


def client_of(app, name: str):
    client = app.server.test_client()
    response = client.post("/login", data={"username": name, "password": PASSWORD})
    assert response.status_code == 302, response.data[:300]
    return client


def state(engine) -> tuple:
    """Everything an order write could touch."""
    with engine.connect() as conn:
        return (
            conn.execute(
                select(Order.id, Order.status, Order.total_cents, Order.note).order_by(Order.id)
            ).all(),
            conn.execute(
                select(OrderLine.order_id, OrderLine.quantity, OrderLine.unit_price_cents).order_by(
                    OrderLine.order_id, OrderLine.line_number
                )
            ).all(),
            dict(conn.execute(select(Product.sku, Product.stock_on_hand)).all()),
            conn.execute(select(func.count()).select_from(AuditLog)).scalar_one(),
        )


def save(client, editing, lines=None):
    """The Save button with the form holding a 1-line order of 1 x CAR at 0.01."""
    return forge(
        client,
        "order-save.n_clicks",
        {
            "order-editing.data": editing,
            "order-customer.value": 1,
            "order-date.value": "2024-03-01T10:00",
            "order-status.value": "Shipped",
            "order-lines.rowData": lines
            or [{"key": "1", "sku": "CAR", "quantity": 1, "unit_price": 0.01, "discount_pct": 0}],
        },
        output="order-message.children..",
        matches={"order-field-error": SLOTS},
    )


def confirm(client, action: str, order_id, number="SO-000007"):
    """The OK button of the cancel/delete confirmation, with the action store forged."""
    return forge(
        client,
        "order-confirm-ok.n_clicks",
        {"order-confirm-action.data": {"action": action, "id": order_id, "number": number}},
    )


def load_for_edit(client, order_id):
    """The history's Edit button with a forged selected row."""
    return forge(
        client,
        "order-history-edit.n_clicks",
        {"order-history.selectedRows": [{"id": order_id, "number": "SO-X"}]},
        matches={"order-field-error": SLOTS},
    )


def test_sales_cannot_reprice_another_users_order(shop):
    before = state(shop.engine)
    response = save(client_of(shop, "sam"), shop.order_ids["sue"])
    assert response.status_code == 200
    assert "is not your order" in answer_text(response)
    assert "Nothing was saved" in answer_text(response)
    assert state(shop.engine) == before
    assert before[0][-2][2] == 30000  # sue's order still 3 x 100.00


@pytest.mark.parametrize("action", ["cancel", "delete"])
def test_sales_cannot_cancel_or_delete_another_users_order(shop, action):
    before = state(shop.engine)
    for victim in (shop.order_ids["sue"], 1):  # a colleague's order, and an imported one
        response = confirm(client_of(shop, "sam"), action, victim)
        assert response.status_code == 200
        assert "is not your order" in answer_text(response)
    assert state(shop.engine) == before
    assert before[2] == {"CAR": 97, "BIKE": 99}


def test_history_edit_does_not_load_another_users_order(shop):
    response = load_for_edit(client_of(shop, "sam"), shop.order_ids["sue"])
    assert response.status_code == 200
    text = answer_text(response)
    assert "is not your order" in text
    assert "private note" not in text and "call before noon" not in text


def test_sales_changes_its_own_orders(shop):
    """The refusals above are the ownership rule, not a malformed request."""
    client = client_of(shop, "sam")
    loaded = answer_text(load_for_edit(client, shop.order_ids["sam"]))
    assert "Editing order SO-X" in loaded
    response = confirm(client, "cancel", shop.order_ids["sam"])
    assert "Cancelled order" in answer_text(response)
    orders, _lines, stock, _audit = state(shop.engine)
    assert dict((o.id, o.status) for o in orders)[shop.order_ids["sam"]] == "Cancelled"
    assert stock == {"CAR": 97, "BIKE": 100}  # sam's bike is back


def test_a_manager_changes_any_order(shop):
    response = save(client_of(shop, "max"), shop.order_ids["sue"])
    assert "Updated order" in answer_text(response)
    orders, _lines, stock, _audit = state(shop.engine)
    assert dict((o.id, o.total_cents) for o in orders)[shop.order_ids["sue"]] == 1  # 1 x 0.01
    assert stock == {"CAR": 99, "BIKE": 99}  # 3 cars back, 1 taken


def test_a_viewer_is_refused_before_the_callback_runs(shop):
    before = state(shop.engine)
    response = confirm(client_of(shop, "vera"), "delete", shop.order_ids["sue"])
    assert response.status_code == 403
    assert state(shop.engine) == before


@pytest.mark.parametrize("forged", ["abc", 10**20, -1, 0, True, 2**31, [1], {"id": 1}, "1e3"])
def test_forged_ids_get_a_clear_message_and_change_nothing(shop, forged):
    client = client_of(shop, "max")
    before = state(shop.engine)
    for response in (
        confirm(client, "cancel", forged),
        save(client, forged),
        load_for_edit(client, forged),
    ):
        assert response.status_code == 200
        assert "is not an order id" in answer_text(response)
    assert state(shop.engine) == before


def test_sales_is_not_shown_business_wide_alerts_or_the_reorder_table(shop):
    """Alerts and the reorder table are whole-business figures: not a sales user's own view."""
    sam, max_ = client_of(shop, "sam"), client_of(shop, "max")
    alerts = {"an-status-filter.value": "open", "an-scope-filter.value": "all"}
    reorder = "reorder-grid.rowData"
    assert forge(sam, "an-status-filter.value", alerts, trigger_value="open").status_code == 403
    assert forge(max_, "an-status-filter.value", alerts, trigger_value="open").status_code == 200
    assert forge(sam, "refresh-token.data", {}, output=reorder).status_code == 403
    assert forge(max_, "refresh-token.data", {}, output=reorder).status_code == 200
    assert forge(sam, "reorder-export.n_clicks", {}).status_code == 403
    # The section is not offered in the navigation.
    assert '"href": "/anomalies"' not in json.dumps(sam.get("/_dash-layout").get_json())
    assert '"href": "/anomalies"' in json.dumps(max_.get("/_dash-layout").get_json())
