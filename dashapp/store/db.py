"""Engine creation and the single write path.

SQLite (the default, at <data dir>/sales.db) runs in WAL mode with foreign keys and a busy
timeout (SALES_PULSE_BUSY_TIMEOUT_MS, default 30 s; dashapp.settings). Any SQLAlchemy URL in
DATABASE_URL is used instead (PostgreSQL for bigger installs); its pooled connections are
pinged before use, so a restarted server costs no failed request, and connecting gives up
after CONNECT_TIMEOUT_S.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, create_engine, event, exc, func, select

from dashapp.settings import Settings

# The checkout's root, for the tools that live beside the package (bench/); the app itself
# finds its data folder through its settings.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONNECT_TIMEOUT_S = 10
# The pg_advisory_xact_lock key the app's writers queue on (a fixed number no other lock uses).
WRITERS_LOCK = 0x5A1E5_0001


def database_url() -> str:
    """The configured database URL: DATABASE_URL, or the embedded SQLite file."""
    settings = Settings.from_env()
    return settings.database_url or f"sqlite:///{settings.sqlite_path}"


def make_engine(url: str | None = None, busy_timeout_ms: int | None = None) -> Engine:
    """Create an engine with the connection settings this app relies on."""
    url = url or database_url()
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        busy_ms = (
            Settings.from_env().busy_timeout_ms if busy_timeout_ms is None else busy_timeout_ms
        )
        engine = create_engine(url, connect_args={"timeout": busy_ms / 1000})
        _configure_sqlite(engine, busy_ms)
        return _fork_safe(engine)
    connect_args = {}
    if url.startswith("postgresql"):
        # Without a connect timeout an unreachable host would hold a request for minutes.
        if "connect_timeout" not in url:
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
        # No JIT: the app's queries are short, and compiling them cost more than running
        # them (380 ms of a 980 ms count at 10M orders). A URL's own options win.
        if "options" not in url:
            connect_args["options"] = "-c jit=off"
    return _fork_safe(create_engine(url, pool_pre_ping=True, connect_args=connect_args))


def _fork_safe(engine: Engine) -> Engine:
    """A process forked from this one (a Celery prefork worker, gunicorn without preload) opens
    its own connections instead of sharing the parent's sockets and SQLite handles: the recipe
    of SQLAlchemy's "Using Connection Pools with Multiprocessing or os.fork()"."""

    @event.listens_for(engine, "connect")
    def _remember_pid(_dbapi_conn, record) -> None:  # noqa: ANN001
        record.info["pid"] = os.getpid()

    @event.listens_for(engine, "checkout")
    def _check_pid(_dbapi_conn, record, proxy) -> None:  # noqa: ANN001
        pid = os.getpid()
        if record.info.get("pid", pid) != pid:
            record.dbapi_connection = proxy.dbapi_connection = None
            raise exc.DisconnectionError(
                f"connection opened by process {record.info['pid']}, checked out in {pid}"
            )

    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot do BEGIN IMMEDIATE; take
    # over (SQLAlchemy's documented recipe) so write transactions lock up front and two
    # writers never both read the same stock figure.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for a URL (one pool per database)."""
    return make_engine(url)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: everything inside commits together or not at all, and the
    app's writers take turns (see `lock_writers`)."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        lock_writers(conn)
        yield conn


def lock_writers(conn: Connection) -> None:
    """Make this transaction the only app writer until it commits or rolls back.

    SQLite writers already queue at BEGIN IMMEDIATE. On PostgreSQL (READ COMMITTED) two
    writers at once each worked out the distinct-customer rollups from the other's change
    half-done: wrong counts and duplicate keys under load. A transaction-level advisory lock
    queues them the same way; readers never wait for it. Taking it twice is harmless.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(WRITERS_LOCK)))


class Prepared:
    """A Core statement compiled once for a dialect and run on the driver with executemany:
    the write path's rollup upserts, where SQLAlchemy's per-call work (cache key, parameter
    processing) cost more than the SQL itself. Values must already be what the driver takes;
    `run` turns dates into SQLite's ISO text, as the Date type would."""

    def __init__(self, statement, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        # qmark drivers (sqlite3) take tuples in this order; named ones (psycopg) take dicts.
        self.order = compiled.positiontup
        self.iso_dates = dialect.name == "sqlite"

    def run(self, conn: Connection, rows: list[dict]) -> None:
        if not rows:
            return
        if self.order is None:
            conn.exec_driver_sql(self.sql, rows)
            return
        conn.exec_driver_sql(self.sql, [tuple(self._value(r[n]) for n in self.order) for r in rows])

    def _value(self, value):
        if self.iso_dates and isinstance(value, date):
            return value.isoformat()
        return value


_PREPARED: dict[tuple, Prepared] = {}


def prepared(conn: Connection, key: Hashable, build: Callable[[str], Any]) -> Prepared:
    """The statement `build(dialect name)` compiled for `conn`'s dialect, once per process."""
    dialect = conn.dialect
    found = _PREPARED.get((key, dialect.name, dialect.driver, dialect.paramstyle))
    if found is None:
        found = Prepared(build(dialect.name), dialect)
        _PREPARED[(key, dialect.name, dialect.driver, dialect.paramstyle)] = found
    return found
