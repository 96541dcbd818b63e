"""A database that is briefly locked (SQLite) or unreachable (PostgreSQL): the API answers 503
with a message that says so, the page shows it in its error alert, the CLI prints it; and the
next request after the lock is released or the server is back succeeds, with no restart."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from dashapp.factory import create_app
from dashapp.store.db import make_engine
from dashapp.store.errors import BUSY_MESSAGE, UNREACHABLE_MESSAGE
from dashapp.store.models import Product
from dashapp.ui import ids
from tests.databases import postgres_database
from tests.faults.conftest import manager_token
from tests.faults.processes import run_cli
from tests.faults.proxy import TcpProxy
from tests.faults.store_checks import order_count, tiny_engine_at
from tests.web.forge import KPI_CALLBACK

ORDER = {"customer_id": 2, "lines": [{"product": "CAR", "quantity": 1}]}  # 100.00


def car_stock(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(Product.stock_on_hand).where(Product.sku == "CAR")).scalar_one()


def revenue(client, headers) -> float:
    answer = client.get("/api/kpis", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["current"]["revenue"]


def alert_opened_with(answer, message: str) -> None:
    """A callback answer that changed nothing but opened the error alert (never a 500)."""
    assert answer.status_code == 200
    assert answer.get_json() == {
        "multi": True,
        "response": {},
        "sideUpdate": {ids.ERROR_ALERT: {"is_open": True, "children": message}},
    }


@pytest.fixture
def sqlite_path(tmp_path):
    return tmp_path / "locked.db"


@pytest.fixture
def exclusive_lock(sqlite_path):
    """Another program holding the SQLite write lock (BEGIN EXCLUSIVE) until released."""
    holder = sqlite3.connect(sqlite_path, isolation_level=None)

    class Lock:
        def take(self) -> None:
            holder.execute("BEGIN EXCLUSIVE")

        def release(self) -> None:
            holder.execute("ROLLBACK")

    yield Lock()
    holder.close()


def test_flt010_sqlite_locked_write_is_a_503_then_succeeds(sqlite_path, exclusive_lock):
    url = f"sqlite:///{sqlite_path}"
    # A busy timeout far below the lock's duration (the default is 30 s).
    engine = tiny_engine_at(url, busy_timeout_ms=200)
    headers = {"Authorization": f"Bearer {manager_token(url)}"}
    client = create_app(engine).server.test_client()

    exclusive_lock.take()
    refused = client.post("/api/orders", json=ORDER, headers=headers)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert refused.get_json() == {"error": {"status": 503, "reason": BUSY_MESSAGE}}
    # In WAL mode readers do not wait for a writer: the numbers still come.
    assert revenue(client, headers) == 684.99

    exclusive_lock.release()
    saved = client.post("/api/orders", json=ORDER, headers=headers)
    assert saved.status_code == 201, saved.get_json()
    assert order_count(engine) == 7  # 6 tiny orders and the retry; the refused one left nothing
    assert car_stock(engine) == 99
    assert revenue(client, headers) == 784.99
    engine.dispose()


def test_flt011_cli_says_the_database_is_busy_and_exits_75(sqlite_path, exclusive_lock, tmp_path):
    url = f"sqlite:///{sqlite_path}"
    tiny_engine_at(url).dispose()
    order = ("create-order", "--customer", "2", "--line", "CAR:1")

    exclusive_lock.take()
    refused = run_cli(url, tmp_path, *order, SALES_PULSE_BUSY_TIMEOUT_MS="200")
    assert refused.returncode == 75
    assert refused.stderr.strip() == f"Error: {BUSY_MESSAGE}"

    exclusive_lock.release()
    saved = run_cli(url, tmp_path, *order, SALES_PULSE_BUSY_TIMEOUT_MS="200")
    assert saved.returncode == 0, saved.stderr
    engine = make_engine(url)
    assert order_count(engine) == 7
    engine.dispose()


@pytest.mark.pg
def test_flt012_postgres_unreachable_then_back_without_restart():
    with postgres_database() as direct_url:
        tiny_engine_at(direct_url).dispose()
        headers = {"Authorization": f"Bearer {manager_token(direct_url)}"}
        parsed = make_url(direct_url)
        proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
        proxy.start()
        engine = make_engine(parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
        try:
            client = create_app(engine, demo=True).server.test_client()
            assert client.get("/").status_code == 200  # signs in the demo user
            assert revenue(client, headers) == 684.99

            proxy.stop()
            for answer in (
                client.get("/api/kpis", headers=headers),
                client.post("/api/orders", json=ORDER, headers=headers),
            ):
                assert answer.status_code == 503
                assert answer.get_json() == {
                    "error": {"status": 503, "reason": UNREACHABLE_MESSAGE}
                }
            # The page's callbacks fail before they run (the session's user is read first).
            alert_opened_with(
                client.post("/_dash-update-component", json=KPI_CALLBACK), UNREACHABLE_MESSAGE
            )
            page = client.get("/")
            assert page.status_code == 503
            assert UNREACHABLE_MESSAGE in page.get_data(as_text=True)

            proxy.start()
            assert revenue(client, headers) == 684.99
            assert client.post("/api/orders", json=ORDER, headers=headers).status_code == 201
            kpis = client.post("/_dash-update-component", json=KPI_CALLBACK).get_json()
            assert ids.KPI_ROW in kpis["response"]
            assert "sideUpdate" not in kpis
            assert revenue(client, headers) == 784.99
        finally:
            engine.dispose()
            proxy.stop()


@pytest.mark.pg
def test_flt013_postgres_connections_terminated_next_request_just_works():
    with postgres_database() as url:
        engine = tiny_engine_at(url)
        headers = {"Authorization": f"Bearer {manager_token(url)}"}
        client = create_app(engine).server.test_client()
        assert revenue(client, headers) == 684.99  # the pool now holds a connection
        admin = make_engine(url)
        with admin.connect() as conn:
            ended = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        admin.dispose()
        assert ended >= 1
        # The pool tests each connection before use, so no request sees the dead one.
        assert revenue(client, headers) == 684.99
        assert client.post("/api/orders", json=ORDER, headers=headers).status_code == 201
        engine.dispose()
