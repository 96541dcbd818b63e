"""The Views menu's callbacks, forged as another signed-in user would post them to
/_dash-update-component: another account's private view can be neither opened, renamed nor
deleted (the domain refuses; the page says "No saved view"), and nothing changes."""

from __future__ import annotations

import json

import pytest

from dashapp.views import get_view, list_views, save_view
from tests.sites import signed_in_client, site

USERS = [("ann", "manager", "manager pass 9"), ("bob", "sales", "sales pass 77")]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashapp.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('views')}/views.db")
    dash_app = site(engine, users=USERS)
    dash_app.server.config["TESTING"] = True
    yield dash_app
    engine.dispose()


def _account(app, username):
    from dashapp.auth import Account
    from dashapp.store.models import User

    with app.engine.connect() as conn:
        row = conn.execute(User.__table__.select().where(User.username == username)).one()
    return Account(row.id, row.username, row.role)


def _post(client, app, marker: str, outputs, inputs, changed, state=()):
    # The callback writing every one of these outputs (others write some of them too).
    output = next(
        k for k in app.callback_map if all(f"{i}.{p}" in k for i, p in outputs) and marker in k
    )
    body = {
        "output": output,
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": inputs,
        "changedPropIds": [changed],
        "state": list(state),
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )


def _open(client, app, view_id):
    pid = {"type": "saved-view-open", "where": "menu", "index": view_id}
    return _post(
        client,
        app,
        "url.pathname",
        [
            ("url", "pathname"),
            ("url", "search"),
            ("views-notice", "children"),
            ("views-notice", "is_open"),
            ("views-manage-modal", "is_open"),
        ],
        [[{"id": pid, "property": "n_clicks", "value": 1}]],
        json.dumps(pid, separators=(",", ":"), sort_keys=True) + ".n_clicks",
    )


def _change(client, app, kind: str, view_id, name=None):
    pid = {"type": f"saved-view-{kind}", "index": view_id}
    name_id = {"type": "saved-view-rename-name", "index": view_id}
    return _post(
        client,
        app,
        "views-manage-message.children",
        [("views-manage-message", "children"), ("views-changed", "data")],
        [
            [{"id": pid, "property": "n_clicks", "value": 1}] if kind == "rename" else [],
            [{"id": pid, "property": "n_clicks", "value": 1}] if kind == "delete" else [],
        ],
        json.dumps(pid, separators=(",", ":"), sort_keys=True) + ".n_clicks",
        [
            [{"id": name_id, "property": "value", "value": name}],
            {"id": "views-changed", "property": "data", "value": 0},
        ],
    )


def test_another_users_private_view_cannot_be_opened_renamed_or_deleted(app):
    ann = _account(app, "ann")
    private = save_view(app.engine, ann, "Ann's <i>France</i>", "overview", "country=France")
    bob = signed_in_client(app, "bob", "sales pass 77")

    opened = _open(bob, app, private.id)
    assert opened.status_code == 200, opened.get_data(as_text=True)
    answer = opened.get_json()["response"]
    assert "url" not in answer  # bob stays where he is
    assert answer["views-notice"]["children"] == f"No saved view {private.id}."

    for kind, name in (("rename", "Bob's now"), ("delete", None)):
        changed = _change(bob, app, kind, private.id, name)
        assert changed.status_code == 200, changed.get_data(as_text=True)
        text = json.dumps(changed.get_json()["response"]["views-manage-message"])
        assert f"No saved view {private.id}." in text
    with app.engine.connect() as conn:
        assert get_view(conn, ann, private.id).name == "Ann's <i>France</i>"

    # Ann herself opens it: the section's path and the stored query.
    mine = _open(signed_in_client(app, "ann", "manager pass 9"), app, private.id)
    answer = mine.get_json()["response"]
    assert answer["url"] == {"pathname": "/", "search": "?country=France"}
    assert answer["views-notice"]["children"][0]["props"]["children"] == (
        "Opened “Ann's <i>France</i>”."  # text: Dash escapes it
    )


def test_signed_out_posts_are_refused_and_every_write_needs_an_account(app):
    client = app.server.test_client()
    ann = _account(app, "ann")
    with app.engine.connect() as conn:
        before = [v.id for v in list_views(conn, ann)]
    response = _change(client, app, "delete", before[0] if before else 1)
    assert response.status_code in (302, 401, 403)
    with app.engine.connect() as conn:
        assert [v.id for v in list_views(conn, ann)] == before
    permissions = app.server.config["SALES_PULSE_CALLBACK_PERMISSIONS"]
    writes = [k for k in permissions if "views-" in k or "url.pathname" in k]
    assert len(writes) >= 3 and all(permissions[k] == "view" for k in writes)
