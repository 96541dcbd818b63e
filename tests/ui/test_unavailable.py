"""An unavailable database as the page and the API tell it (dashapp.ui.unavailable), with the
failure injected where the app reads: inside a callback, and before it (the session's user)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc as sa_exc

from dashapp.factory import create_app
from dashapp.store.db import make_engine
from dashapp.store.errors import BUSY_MESSAGE
from dashapp.ui import ids
from dashapp.ui.unavailable import GENERIC_MESSAGE
from tests.databases import migrate
from tests.tiny import seed_tiny
from tests.web.forge import KPI_CALLBACK


def locked(*_args, **_kwargs):
    raise sa_exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))


def broken(*_args, **_kwargs):
    raise sa_exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("no such table: x"))


def alert(message: str) -> dict:
    return {
        "multi": True,
        "response": {},
        "sideUpdate": {ids.ERROR_ALERT: {"is_open": True, "children": message}},
    }


@pytest.fixture
def client(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/page.db")
    migrate(engine)
    seed_tiny(engine)
    client = create_app(engine, demo=True).server.test_client()
    assert client.get("/").status_code == 200  # signs in the demo user
    yield client
    engine.dispose()


def test_a_callback_on_a_busy_database_opens_the_alert_with_the_reason(client, monkeypatch):
    monkeypatch.setattr("dashapp.ui.overview.kpi_summary", locked)
    answer = client.post("/_dash-update-component", json=KPI_CALLBACK)
    assert answer.status_code == 200
    assert answer.get_json() == alert(BUSY_MESSAGE)


def test_any_other_callback_failure_keeps_the_generic_message(client, monkeypatch):
    monkeypatch.setattr("dashapp.ui.overview.kpi_summary", broken)
    assert client.post("/_dash-update-component", json=KPI_CALLBACK).get_json() == alert(
        GENERIC_MESSAGE
    )


def test_failing_before_the_callback_runs_still_answers_with_the_alert(client, monkeypatch):
    # Every request reads the signed-in user (and its session version) first; a 500 there
    # would reach the console.
    monkeypatch.setattr("dashapp.auth.session_row", locked)
    answer = client.post("/_dash-update-component", json=KPI_CALLBACK)
    assert answer.status_code == 200
    assert answer.get_json() == alert(BUSY_MESSAGE)
    page = client.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert BUSY_MESSAGE in page.get_data(as_text=True)


def test_the_api_answers_503_with_the_reason(client, monkeypatch):
    monkeypatch.setattr("dashapp.analytics.kpis.kpi_summary", locked)
    answer = client.get("/api/kpis")  # the demo session is signed in
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.get_json() == {"error": {"status": 503, "reason": BUSY_MESSAGE}}


def test_other_errors_before_a_view_are_still_500s(client, monkeypatch):
    monkeypatch.setattr("dashapp.auth.session_row", broken)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get("/").status_code == 500
