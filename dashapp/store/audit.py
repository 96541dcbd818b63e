"""The audit log: who changed what, with before and after, written in the change's transaction."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Connection, func, insert, select

from dashapp.store.models import AuditLog
from dashapp.store.version import bump_data_version


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(value: Any) -> str | None:
    """A snapshot as JSON text (None stays NULL)."""
    if value is None:
        return None
    return json.dumps(value, default=_json_default, ensure_ascii=False, sort_keys=True)


def record_change(
    conn: Connection,
    *,
    user: str | None,
    action: str,
    entity: str,
    entity_id: int | str | None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Add one audit row and bump the data version; call inside the write transaction."""
    conn.execute(
        insert(AuditLog),
        dict(
            username=user,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=to_json(before),
            after=to_json(after),
        ),
    )
    bump_data_version(conn)


class Snapshotted(Protocol):
    """A stored record that says what the audit log keeps of it."""

    def snapshot(self) -> dict: ...


def record_snapshots(
    conn: Connection,
    *,
    user: str | None,
    entity: str,
    entity_id: int | str,
    before: Snapshotted | None = None,
    after: Snapshotted | None = None,
) -> None:
    """record_change for a record read before and after its change: no `before` is a create,
    no `after` a delete, both an update."""
    action = "create" if before is None else "delete" if after is None else "update"
    record_change(
        conn,
        user=user,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=None if before is None else before.snapshot(),
        after=None if after is None else after.snapshot(),
    )


MAX_PAGE_SIZE = 500


def audit_entries(
    conn: Connection,
    user: str | None = None,
    entity: str | None = None,
    action: str | None = None,
    start: date | None = None,
    end: date | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[dict], int]:
    """One page of the audit log, newest first, and the number of matching entries.

    `start` and `end` are days, both included."""
    page_size = max(1, min(MAX_PAGE_SIZE, page_size))
    page = max(1, page)
    log = AuditLog.__table__
    conditions = []
    if user:
        conditions.append(log.c.username == user)
    if entity:
        conditions.append(log.c.entity == entity)
    if action:
        conditions.append(log.c.action == action)
    if start:
        conditions.append(log.c.at >= datetime.combine(start, time.min))
    if end:
        conditions.append(log.c.at < datetime.combine(end + timedelta(days=1), time.min))
    total = conn.execute(select(func.count()).select_from(log).where(*conditions)).scalar_one()
    rows = conn.execute(
        select(log)
        .where(*conditions)
        .order_by(log.c.at.desc(), log.c.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return [dict(r._mapping) for r in rows], total


def audit_choices(conn: Connection) -> dict[str, list[str]]:
    """The distinct users, entities and actions in the log, for filter pickers."""
    log = AuditLog.__table__
    out = {}
    for key, column in (
        ("user", log.c.username),
        ("entity", log.c.entity),
        ("action", log.c.action),
    ):
        values = conn.execute(select(column).distinct().where(column.is_not(None)).order_by(column))
        out[key] = [v for (v,) in values]
    return out
