"""What product and customer editing share: field parsing into errors, unique-key checks and
turning a lost unique race into the same field error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, Table, func, select
from sqlalchemy.exc import IntegrityError

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
