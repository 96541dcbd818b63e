"""Fault tests (`make test-faults`, not part of `make test`): the app's processes killed
mid-write, and a database that is locked or unreachable. Each test gets its own database:
a temp SQLite file or a uniquely named PostgreSQL database, seeded with tests/tiny.py."""

from __future__ import annotations

import pytest

from dashapp.auth import create_token, create_user
from dashapp.store.db import make_engine
from tests.databases import postgres_database
from tests.faults.store_checks import tiny_engine_at


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def tiny_url(request, tmp_path):
    """A migrated database holding the tiny data set (CAR and BIKE, 100 of each in stock)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/faults.db"
        _seed(url)
        yield url
        return
    with postgres_database() as url:
        _seed(url)
        yield url


def _seed(url: str) -> None:
    tiny_engine_at(url).dispose()


def manager_token(url: str) -> str:
    """An API token of a new manager account."""
    engine = make_engine(url)
    account, _ = create_user(engine, "clerk", "manager", "mild tangerine", actor="test")
    token = create_token(engine, account.id, "fault test", actor="test")
    engine.dispose()
    return token
