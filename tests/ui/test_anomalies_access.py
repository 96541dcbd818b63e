"""The Anomalies section's writes are refused on the server to roles without alerts:write."""

import json

import pytest
from sqlalchemy import insert, select

from dashapp.store.models import Alert
from dashapp.ui import ids
from tests.sites import site
from tests.tiny import alert_row


@pytest.fixture
def app(new_engine):
    users = [("vera", "viewer", "viewer password"), ("max", "manager", "manager password")]
    dash_app = site(new_engine("web"), users=users)
    with dash_app.engine.begin() as conn:
        conn.execute(insert(Alert), alert_row(id=1))
    dash_app.server.config["TESTING"] = True
    return dash_app


def acknowledge(app, username: str, password: str):
    """Forge the Acknowledge button's callback request as `username`."""
    client = app.server.test_client()
    client.post("/login", data={"username": username, "password": password})
    output = next(k for k in app.callback_map if f"{ids.AN_CHANGED}.data" in k)
    body = {
        "output": output,
        "outputs": [
            {"id": ids.AN_CHANGED, "property": "data"},
            {"id": ids.AN_MESSAGE, "property": "children"},
        ],
        "inputs": [
            {"id": ids.AN_ACK, "property": "n_clicks", "value": 1},
            {"id": ids.AN_RESOLVE, "property": "n_clicks", "value": None},
            {"id": ids.AN_REOPEN, "property": "n_clicks", "value": None},
        ],
        "changedPropIds": [f"{ids.AN_ACK}.n_clicks"],
        "state": [{"id": ids.AN_GRID, "property": "selectedRows", "value": [{"id": 1}]}],
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )


def status_of(app) -> str:
    with app.engine.connect() as conn:
        return conn.scalar(select(Alert.status).where(Alert.id == 1))


def test_viewer_cannot_acknowledge(app):
    response = acknowledge(app, "vera", "viewer password")
    assert response.status_code == 403
    assert status_of(app) == "open"


def test_manager_acknowledges(app):
    response = acknowledge(app, "max", "manager password")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert status_of(app) == "acknowledged"


def test_run_check_needs_alerts_write(app):
    permissions = app.server.config["SALES_PULSE_CALLBACK_PERMISSIONS"]
    run = [k for k in permissions if f"{ids.AN_RUN_RESULT}.children" in k]
    assert run and all(permissions[k] == "alerts:write" for k in run)
