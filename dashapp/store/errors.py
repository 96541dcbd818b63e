"""Which database errors mean "the database is unavailable right now, try again", and the
message every surface shows for them (the page's alert, the API's 503, the CLI).

Two kinds, because the advice differs: the database is *busy* (a lock held longer than the
busy timeout, a lock or statement timeout, the connection pool exhausted) or *unreachable*
(the server is down or restarting, the connection was lost, the file cannot be opened).
Anything else, a constraint violation or a bug, is not ours to word: it stays an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import exc as sa_exc

Kind = Literal["busy", "unreachable"]

BUSY_MESSAGE = (
    "The database is busy: another task is holding a lock on it. Please try again in a moment."
)
UNREACHABLE_MESSAGE = (
    "The database cannot be reached right now. Please try again in a moment; "
    "if this goes on, check that the database server is running."
)
# Seconds a client should wait before retrying (the API's Retry-After).
RETRY_AFTER_SECONDS = 5

# SQLite words its lock errors (SQLITE_BUSY, SQLITE_LOCKED) and file errors in the message only.
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_SQLITE_UNREACHABLE = ("unable to open database file", "disk i/o error")
# PostgreSQL SQLSTATEs: class 08 (connection exception) and the shutdown/start-up states mean
# the server is not there; lock_not_available, query_canceled (statement or lock timeout),
# deadlock and serialization failures mean another transaction got in the way.
_PG_UNREACHABLE_STATES = {"57P01", "57P02", "57P03", "53300"}
_PG_BUSY_STATES = {"55P03", "57014", "40P01", "40001"}


@dataclass(frozen=True)
class Unavailable:
    """Why the database cannot answer now, and what to tell the person asking."""

    kind: Kind

    @property
    def message(self) -> str:
        return BUSY_MESSAGE if self.kind == "busy" else UNREACHABLE_MESSAGE


def database_unavailable(error: BaseException) -> Unavailable | None:
    """The kind of unavailability behind `error`, or None when it is some other error."""
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection came free in time
        return Unavailable("busy")
    if not isinstance(error, sa_exc.DBAPIError):
        return None
    original = error.orig
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if state:
        if state.startswith("08") or state in _PG_UNREACHABLE_STATES:
            return Unavailable("unreachable")
        if state in _PG_BUSY_STATES:
            return Unavailable("busy")
        return None
    text = str(original).lower()
    if any(words in text for words in _SQLITE_BUSY):
        return Unavailable("busy")
    if any(words in text for words in _SQLITE_UNREACHABLE):
        return Unavailable("unreachable")
    # psycopg raises OperationalError without a SQLSTATE when it cannot connect or the
    # connection drops mid-way; SQLAlchemy flags the latter as invalidated.
    if error.connection_invalidated or (
        isinstance(error, sa_exc.OperationalError) and _is_postgres_driver(original)
    ):
        return Unavailable("unreachable")
    return None


def _is_postgres_driver(original: BaseException | None) -> bool:
    module = type(original).__module__ if original is not None else ""
    return module.startswith(("psycopg", "psycopg2", "asyncpg", "pg8000"))
