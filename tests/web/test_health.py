"""GET /healthz: 200 when the database answers at this code's newest migration, 503 with the
reason otherwise; no sign-in needed and no data given away."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from dashapp.factory import create_app
from dashapp.store.migrate import head_revision, upgrade
from tests.databases import migrate


def test_healthy_when_the_schema_is_current(new_engine):
    engine = new_engine("health")
    migrate(engine)
    client = create_app(engine, demo=False).server.test_client()
    answer = client.get("/healthz")  # not signed in
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "database": "ok", "schema": head_revision()}
    assert answer.headers["Cache-Control"] == "no-store"


def test_503_when_migrations_are_behind(new_engine):
    engine = new_engine("behind")
    upgrade(engine, "0015")
    client = create_app(engine, demo=False).server.test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert (
        answer.get_json()["schema"]
        == f"schema at 0015, this code needs {head_revision()}: run init-db"
    )


def test_503_when_the_database_cannot_be_reached(new_engine, monkeypatch):
    engine = new_engine("gone")
    migrate(engine)
    client = create_app(engine, demo=False).server.test_client()

    def refused(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(engine, "connect", refused)  # the database server has gone away
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "unavailable", "database": "unreachable"}
