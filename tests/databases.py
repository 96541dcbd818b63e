"""Throw-away databases for tests: a temp SQLite file, or a uniquely named PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from dashapp.store.db import make_engine
from dashapp.store.migrate import upgrade

PG_URL = os.environ.get("PG_URL", "postgresql+psycopg://127.0.0.1:5432/test")


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a database with a unique name on the local server; drop it afterwards."""
    name = f"sp_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def migrated_engine(kind: str, tmp_dir) -> Iterator:
    """A migrated engine on SQLite (in tmp_dir) or PostgreSQL."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_dir}/test.db")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    with postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()
