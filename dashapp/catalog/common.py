"""What product and customer editing share: field parsing into errors, unique-key checks,
turning a lost unique race into the same field error, and saving or retiring a row with its
audit entry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Exists,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from dashapp.store.audit import record_change
from dashapp.store.db import write_transaction
from dashapp.validation import FieldError, InputError, ValidationError


class Collector:
    """Runs parsers field by field and keeps every error, so one save reports them all."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def parse(self, field: str, parser: Callable[..., Any], raw: Any, *args, **kw) -> Any:
        try:
            return parser(raw, *args, **kw)
        except InputError as exc:
            self.errors.append(FieldError(field, str(exc)))
            return None

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def taken_by(
    conn: Connection, table: Table, column: Column, value: str, own_id: int | None
) -> Any | None:
    """The row (other than own_id) already holding `value` in a unique column, ignoring case."""
    stmt = select(table).where(func.lower(column) == value.lower())
    if own_id is not None:
        stmt = stmt.where(table.c.id != own_id)
    return conn.execute(stmt.limit(1)).first()


@contextmanager
def unique_race_as(field: str, message: str) -> Iterator[None]:
    """A unique violation that slipped past the check (a concurrent save) becomes a field error."""
    try:
        yield
    except IntegrityError as exc:
        text = str(exc.orig).lower()
        if "unique" in text or "duplicate" in text:
            raise ValidationError([FieldError(field, message)]) from exc
        raise


def money(cents: int | None) -> str | None:
    """Cents as a currency-units string for snapshots and exports."""
    return None if cents is None else str((Decimal(cents) / 100).quantize(Decimal("0.01")))


def get_row(conn: Connection, table: Table, row_id: int, *, lock: bool = False) -> Any:
    """One row by id, or LookupError."""
    stmt = select(table).where(table.c.id == row_id)
    row = conn.execute(stmt.with_for_update() if lock else stmt).first()
    if row is None:
        raise LookupError(f"No {table.name.rstrip('s')} with id {row_id}")
    return row


@dataclass(frozen=True)
class CatalogTable:
    """How a catalog table's rows are saved and retired, with their audit entries."""

    table: Table
    entity: str  # the audit log's name for a row
    validate: Callable[[Connection, Any, int | None], tuple[dict, Collector]]
    snapshot: Callable[[Any], dict]  # a row as plain data for the audit log
    unique: tuple[str, str]  # field and message when a concurrent save took a unique value
    in_use: Callable[[int], Exists]  # whether orders refer to the row of this id


def save_row(
    kind: CatalogTable, engine: Engine, row_id: int | None, draft: Any, user: str | None
) -> int:
    """Add a row (row_id None) or replace its fields from a draft, with its audit entry; the
    row's id. ValidationError (nothing written) on bad input."""
    table = kind.table
    with unique_race_as(*kind.unique), write_transaction(engine) as conn:
        before = None if row_id is None else get_row(conn, table, row_id, lock=True)
        values, c = kind.validate(conn, draft, row_id)
        c.raise_if_any()
        if row_id is None:
            row_id = conn.execute(insert(table).values(**values)).inserted_primary_key[0]
        else:
            conn.execute(update(table).where(table.c.id == row_id).values(**values))
        record_change(
            conn,
            user=user,
            action="create" if before is None else "update",
            entity=kind.entity,
            entity_id=row_id,
            before=None if before is None else kind.snapshot(before),
            after=kind.snapshot(get_row(conn, table, row_id)),
        )
        return row_id


def retire_row(
    kind: CatalogTable, engine: Engine, row_id: int, user: str | None
) -> Literal["deleted", "deactivated"]:
    """Delete a row, with its audit entry; one that orders refer to is deactivated instead,
    so history stays whole."""
    table = kind.table
    with write_transaction(engine) as conn:
        before = get_row(conn, table, row_id, lock=True)
        used = conn.execute(select(kind.in_use(row_id))).scalar()
        if used:
            conn.execute(update(table).where(table.c.id == row_id).values(active=False))
            outcome: Literal["deleted", "deactivated"] = "deactivated"
            after = kind.snapshot(get_row(conn, table, row_id))
        else:
            conn.execute(delete(table).where(table.c.id == row_id))
            outcome, after = "deleted", None
        record_change(
            conn,
            user=user,
            action="deactivate" if used else "delete",
            entity=kind.entity,
            entity_id=row_id,
            before=kind.snapshot(before),
            after=after,
        )
        return outcome
