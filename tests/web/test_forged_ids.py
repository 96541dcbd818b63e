"""Forged or huge ids in callback bodies (built from /_dash-dependencies) get a message that
says what is wrong, not "Something went wrong", and change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from dashapp.auth import create_user
from dashapp.store.models import Alert, AuditLog, Product
from tests.sites import signed_in_client, tiny_site
from tests.tiny import alert_row
from tests.web.forge import answer_text, forge

PASSWORD = "quiet harbour lamp"
FORGED = ["abc", 10**20, -3, 2**31, True, None, {"id": 1}]


@pytest.fixture
def client(new_engine):
    app = tiny_site(new_engine("web"), users=[("ada", "admin", PASSWORD)])
    with app.engine.begin() as conn:
        conn.execute(insert(Alert), alert_row(id=1))
    app.server.config["TESTING"] = True
    client = signed_in_client(app, "ada", PASSWORD)
    client.engine = app.engine
    return client


def state(engine):
    with engine.connect() as conn:
        return (
            conn.execute(select(Product.sku, Product.name, Product.active)).all(),
            conn.execute(select(Alert.status)).all(),
            conn.execute(select(func.count()).select_from(AuditLog)).scalar_one(),
        )


@pytest.mark.parametrize("forged", FORGED)
def test_a_forged_catalog_row_id_is_named_in_the_message(client, forged):
    before = state(client.engine)
    row = {"id": forged, "sku": "CAR", "name": "Renamed", "category": "Classic Cars"}
    edit = forge(
        client,
        "products-grid.cellValueChanged",
        {},
        trigger_value=[{"data": row, "colId": "name", "rowIndex": 0}],
    )
    retire = forge(
        client, "products-deactivate.n_clicks", {"products-grid.selectedRows": [{"id": forged}]}
    )
    for response in (edit, retire):
        assert response.status_code == 200
        assert "is not a row id" in answer_text(response)
        assert "Something went wrong" not in answer_text(response)
    assert state(client.engine) == before


@pytest.mark.parametrize("forged", FORGED)
def test_a_forged_alert_id_is_named_in_the_message(client, forged):
    before = state(client.engine)
    response = forge(client, "an-acknowledge.n_clicks", {"an-grid.selectedRows": [{"id": forged}]})
    assert response.status_code == 200
    assert "is not an alert id" in answer_text(response)
    assert state(client.engine) == before


def active_of(engine, username: str) -> bool:
    from dashapp.store.models import User

    with engine.connect() as conn:
        return bool(conn.execute(select(User.active).where(User.username == username)).scalar())


def save_user(client, user_id: int, active):
    """The Users tab's Save with the active switch forged to `active`."""
    return forge(
        client,
        "user-save.n_clicks",
        {
            "users-grid.selectedRows": [{"id": user_id, "username": "vic"}],
            "user-role-select.value": "viewer",
            "user-active.value": active,
        },
    )


@pytest.mark.parametrize("word", ["false", "0", "no", "off"])
def test_a_false_word_deactivates_a_user_it_is_not_read_as_true(client, word):
    vic, _ = create_user(client.engine, "vic", "viewer", PASSWORD)
    response = save_user(client, vic.id, word)
    assert "Saved vic: viewer, deactivated." in answer_text(response)
    assert active_of(client.engine, "vic") is False


def test_an_unreadable_active_flag_changes_nothing(client):
    vic, _ = create_user(client.engine, "vic", "viewer", PASSWORD)
    response = save_user(client, vic.id, "maybe")
    assert "Active must be yes or no" in answer_text(response)
    assert active_of(client.engine, "vic") is True
