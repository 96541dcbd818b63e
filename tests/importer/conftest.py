"""Helpers for the import tests: write a CSV in a given encoding, count what is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashapp.importer import NeedsAnswer, import_csv
from dashapp.store.models import Customer, Order, OrderLine, Product
from tests.importer.fixture_files import fixture

TABLES = {"customers": Customer, "products": Product, "orders": Order, "lines": OrderLine}


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(text, encoding="utf-8", name=...) -> path; newlines are written as given."""

    def write(text: str, encoding: str = "utf-8", name: str = "orders.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def stored_counts(engine) -> dict[str, int]:
    """Rows per table, re-queried from the database."""
    with engine.connect() as conn:
        return {
            name: conn.scalar(select(func.count()).select_from(model))
            for name, model in TABLES.items()
        }


EMPTY = {"customers": 0, "products": 0, "orders": 0, "lines": 0}


def question(engine, path) -> NeedsAnswer:
    """The question importing `path` asks; nothing is written before it is answered."""
    with pytest.raises(NeedsAnswer) as asked:
        import_csv(engine, path)
    assert stored_counts(engine) == EMPTY
    return asked.value


def asks(engine, name: str, option: str, says: str, answers: tuple[str, ...] | None = None):
    """Importing the fixture file `name` asks about `option` (offering `answers`, when given),
    its message quoting `says`, and writes nothing; returns the question."""
    asked = question(engine, fixture(name))
    assert asked.option == option
    if answers is not None:
        assert asked.answers == answers
    assert says in str(asked)
    return asked
