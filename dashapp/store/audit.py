"""The audit log: who changed what, with before and after, written in the change's transaction."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert

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
