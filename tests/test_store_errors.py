"""Which database errors mean "unavailable, try again" (dashapp.store.errors), on hand-made
driver exceptions as SQLite and psycopg raise them."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from sqlalchemy import exc as sa_exc

from dashapp.store.errors import (
    BUSY_MESSAGE,
    UNREACHABLE_MESSAGE,
    Unavailable,
    database_unavailable,
)


def wrapped(orig: Exception, cls=sa_exc.OperationalError, invalidated: bool = False):
    """The error as SQLAlchemy raises it around the driver's."""
    return cls("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    ("orig", "kind"),
    [
        (sqlite3.OperationalError("database is locked"), "busy"),
        (sqlite3.OperationalError("database table is locked"), "busy"),
        (sqlite3.OperationalError("unable to open database file"), "unreachable"),
        (psycopg.errors.LockNotAvailable("could not obtain lock on row"), "busy"),
        (psycopg.errors.QueryCanceled("canceling statement due to lock timeout"), "busy"),
        (psycopg.errors.AdminShutdown("terminating connection"), "unreachable"),
        (psycopg.errors.CannotConnectNow("the database system is starting up"), "unreachable"),
        (psycopg.OperationalError("connection failed: Connection refused"), "unreachable"),
        (psycopg.OperationalError("server closed the connection unexpectedly"), "unreachable"),
    ],
)
def test_unavailable_kinds(orig, kind):
    assert database_unavailable(wrapped(orig)) == Unavailable(kind)


def test_a_lost_connection_flagged_by_sqlalchemy_is_unreachable():
    lost = wrapped(Exception("EOF"), cls=sa_exc.DBAPIError, invalidated=True)
    assert database_unavailable(lost) == Unavailable("unreachable")


def test_an_exhausted_pool_is_busy():
    assert database_unavailable(sa_exc.TimeoutError("QueuePool limit reached")).kind == "busy"


@pytest.mark.parametrize(
    "error",
    [
        wrapped(sqlite3.OperationalError("no such table: orders")),
        wrapped(sqlite3.IntegrityError("UNIQUE constraint failed"), cls=sa_exc.IntegrityError),
        wrapped(psycopg.errors.UniqueViolation("duplicate key"), cls=sa_exc.IntegrityError),
        wrapped(psycopg.errors.UndefinedTable("relation does not exist"), sa_exc.ProgrammingError),
        ValueError("not a database error"),
    ],
)
def test_other_errors_stay_errors(error):
    assert database_unavailable(error) is None


def test_messages_say_what_happened_and_to_retry():
    assert Unavailable("busy").message == BUSY_MESSAGE
    assert Unavailable("unreachable").message == UNREACHABLE_MESSAGE
    assert "busy" in BUSY_MESSAGE and "try again" in BUSY_MESSAGE
    assert "cannot be reached" in UNREACHABLE_MESSAGE and "try again" in UNREACHABLE_MESSAGE
