"""Apply the Alembic migrations to a database (used by init-db, app start-up and tests)."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


# Any 64-bit number that other applications on the same PostgreSQL server are unlikely to take.
_ADVISORY_KEY = 0x5A1E5_0001


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision`, one process at a time: gunicorn workers started
    without --preload each import the app and migrate; the second waits for the first, then
    finds the schema current and does nothing (before, it failed with "database is locked" on
    SQLite, or ran the same migration twice on PostgreSQL)."""
    with _one_at_a_time(engine):
        command.upgrade(alembic_config(engine), revision)


@contextmanager
def _one_at_a_time(engine: Engine) -> Iterator[None]:
    """An inter-process lock for the migrations: PostgreSQL's advisory lock, or a lock file
    for a SQLite file (an in-memory database is one process's)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _ADVISORY_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_KEY})
                conn.commit()
        return
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        yield
        return
    import fcntl

    # The lock file lives in the temporary folder, named after the database's absolute path:
    # beside the database it would stay behind when a database file is renamed or removed.
    name = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:24]
    try:
        lock = open(Path(tempfile.gettempdir()) / f"sales-pulse-migrate-{name}.lock", "a+b")  # noqa: SIM115
    except OSError:  # a folder we may not write: migrate as before, unserialised
        lock = None
    if lock is None:
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def is_initialised(engine: Engine) -> bool:
    """True when the schema exists (the orders table is there)."""
    return inspect(engine).has_table("orders")


def head_revision() -> str:
    """The newest migration this code ships."""
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
