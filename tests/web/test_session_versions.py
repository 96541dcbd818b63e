"""A password change, a role change, deactivation and a sign-out end the user's other
sessions (SPEC §6); the session that changed its own password stays signed in. On SQLite and
PostgreSQL (the `engine` fixture)."""

import json

import pytest

from dashapp.auth import create_user, set_password, set_role
from dashapp.factory import create_app
from dashapp.ui import ids
from tests.sites import signed_in_client


@pytest.fixture
def app(engine, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    vera, _ = create_user(engine, "vera", "viewer", "viewer password")
    create_user(engine, "sam", "sales", "sales password")
    dash_app = create_app(engine, demo=False)
    dash_app.server.config["TESTING"] = True
    dash_app.engine, dash_app.vera_id = engine, vera.id
    return dash_app


def signed_in(app, username="vera", password="viewer password"):
    return signed_in_client(app, username, password)


def post_callback(client, body: dict):
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )


def change_own_password(app, client, old: str, new: str):
    """The account modal's Save, as the page sends it."""
    (key,) = [k for k in app.callback_map if f"{ids.ACCOUNT_OLD}.value" in k]
    outputs = [(ids.ACCOUNT_MESSAGE, "children")] + [
        (i, "value") for i in (ids.ACCOUNT_OLD, ids.ACCOUNT_NEW, ids.ACCOUNT_REPEAT)
    ]
    return post_callback(
        client,
        {
            "output": key,
            "outputs": [{"id": i, "property": p} for i, p in outputs],
            "inputs": [{"id": ids.ACCOUNT_SAVE, "property": "n_clicks", "value": 1}],
            "changedPropIds": [f"{ids.ACCOUNT_SAVE}.n_clicks"],
            "state": [
                {"id": ids.ACCOUNT_OLD, "property": "value", "value": old},
                {"id": ids.ACCOUNT_NEW, "property": "value", "value": new},
                {"id": ids.ACCOUNT_REPEAT, "property": "value", "value": new},
            ],
        },
    )


def assert_signed_out(client):
    page = client.get("/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    callback = post_callback(client, {"output": "x.children", "inputs": [], "state": []})
    assert callback.status_code == 401


def test_a_password_change_ends_the_other_session_but_not_this_one(app):
    here, elsewhere = signed_in(app), signed_in(app)
    response = change_own_password(app, here, "viewer password", "seven quiet harbours")
    assert response.status_code == 200
    assert "Your password was changed." in response.get_data(as_text=True)
    assert here.get("/").status_code == 200
    assert_signed_out(elsewhere)
    assert signed_in(app, "vera", "seven quiet harbours").get("/").status_code == 200


def test_a_weak_new_password_changes_nothing_and_ends_no_session(app):
    here, elsewhere = signed_in(app), signed_in(app)
    response = change_own_password(app, here, "viewer password", "password")
    assert "Not changed: password is too common" in response.get_data(as_text=True)
    assert elsewhere.get("/").status_code == 200
    signed_in(app, "vera", "viewer password")


def test_an_admin_password_reset_ends_the_sessions(app):
    client = signed_in(app)
    set_password(app.engine, app.vera_id, None, "seven quiet harbours", actor="admin")
    assert_signed_out(client)


@pytest.mark.parametrize("role, active", [("manager", True), ("viewer", False)])
def test_a_role_change_or_deactivation_ends_the_sessions(app, role, active):
    clients = [signed_in(app), signed_in(app)]
    others = signed_in(app, "sam", "sales password")
    set_role(app.engine, app.vera_id, role, active, actor="admin")
    for client in clients:
        assert_signed_out(client)
    assert others.get("/").status_code == 200  # only vera's sessions end
    signing_in = app.server.test_client().post(
        "/login", data={"username": "vera", "password": "viewer password"}
    )
    assert signing_in.status_code == (302 if active else 401)


def test_saving_the_same_role_keeps_the_sessions(app):
    client = signed_in(app)
    set_role(app.engine, app.vera_id, "viewer", True, actor="admin")
    assert client.get("/").status_code == 200


def test_signing_out_ends_the_other_sessions_too(app):
    here, elsewhere = signed_in(app), signed_in(app)
    others = signed_in(app, "sam", "sales password")
    assert here.post("/logout", headers={"Origin": "http://localhost"}).status_code == 302
    assert_signed_out(here)
    assert_signed_out(elsewhere)
    assert others.get("/").status_code == 200
    assert signed_in(app).get("/").status_code == 200  # signing in again works
