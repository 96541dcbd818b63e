"""The data version: a token that changes after every committed write, for page refreshes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, FromClause, func, select, update

from dashapp.store.models import DataVersion, Order

_version = DataVersion.__table__
_orders = Order.__table__


def bump_data_version(conn: Connection) -> None:
    """Advance the counter inside the caller's write transaction.

    An UPDATE of one row (not max(id) of some table) because on PostgreSQL ids are handed
    out before commit, so a later commit can carry a smaller id; the row lock orders writers.
    """
    conn.execute(
        update(_version)
        .where(_version.c.id == 1)
        .values(version=_version.c.version + 1, changed_at=func.now())
    )


def data_version(conn: Connection) -> str:
    """A short token that differs after any committed write.

    The newest order id is folded in so bulk loads that skip the counter still show up, and the
    time of the last bump so a database made anew at the same URL (counter back at 0) never
    repeats an old token: shared caches keep answers under it.
    """
    row = conn.execute(select(*version_columns()).select_from(_version).where(_version.c.id == 1))
    return version_token(*(row.first() or (0, None, None)))


def version_columns() -> tuple:
    """The parts of the data version (counter, time of the last bump, newest order id), for a
    query that reads them beside something else; `version_token` makes the token of them.
    Select them from `with_version(table)`."""
    newest = select(func.max(_orders.c.id)).scalar_subquery().label("newest_order")
    return (_version.c.version, _version.c.changed_at, newest)


def with_version(table: FromClause) -> FromClause:
    """`table` with the one data-version row beside each of its rows."""
    return table.outerjoin(_version, _version.c.id == 1)


def version_token(counter: int | None, changed_at: datetime | None, newest: int | None) -> str:
    """The token `data_version` gives for these parts."""
    stamp = changed_at.strftime("%Y%m%d%H%M%S%f") if changed_at else "0"
    return f"{counter or 0}.{newest or 0}.{stamp}"
