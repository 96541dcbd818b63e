"""Migrations freeze their own DDL and fill SQL: an old migration never runs today's code, so a
later change of the models or the rollups cannot change what it does (STYLE: Declare, then
generate). What several migrations share lives in one frozen module beside them, whose text
is pinned here: it is never edited once a migration uses it."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select, text

from dashapp.store import rollups
from dashapp.store.migrate import MIGRATIONS_DIR, upgrade
from dashapp.store.models import Base
from tests.store.rollup_shop import seed_orders

MIGRATIONS = sorted((MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
# The only app modules a migration may import, and the SHA-256 of their text: a change to what
# one does goes in a new module, never in these.
FROZEN_SHA256 = {
    "frozen": "bd887d74ae49c0677b486de476b0bee87bc25f9e528bb4256dfaba2503e32410",
    "frozen_tables": "62631a63b5f18e9d63a7e2b06e66e0079c32dfad77bdd962559c10605e36c9ac",
}
FROZEN_MODULES = {f"dashapp.store.migrations.{name}" for name in FROZEN_SHA256}


def _frozen(module: str) -> bool:
    """A frozen module, or a name imported from one."""
    return module in FROZEN_MODULES or module.rsplit(".", 1)[0] in FROZEN_MODULES


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
            found |= {f"{node.module}.{alias.name}" for alias in node.names if node.module}
    return found


def test_there_are_migrations_to_check():
    assert len(MIGRATIONS) >= 15
    assert MIGRATIONS[0].name.startswith("0001")


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: p.stem)
def test_a_migration_imports_no_app_code(path):
    """Only alembic, sqlalchemy and the frozen module: no other dashapp module (models,
    rollups, reach...), at the top or inside a function, and no relative import."""
    imported = _imported_modules(path)
    app_code = {m for m in imported if m.startswith(("dashapp", "."))}
    assert {m for m in app_code if not _frozen(m)} == set()
    assert {m.split(".")[0] for m in imported} <= {"alembic", "sqlalchemy", "__future__", "dashapp"}


@pytest.mark.parametrize("name", sorted(FROZEN_SHA256))
def test_the_frozen_module_imports_no_app_code_and_is_unchanged(name):
    """A frozen module follows a migration's rule, and its text is the one the migrations
    were checked with (test_the_migrations_fill_every_rollup_as_a_rebuild_would, and the
    schema a fresh upgrade builds: test_store.test_migrations_build_exactly_the_models)."""
    path = MIGRATIONS_DIR / f"{name}.py"
    imported = _imported_modules(path)
    assert {m.split(".")[0] for m in imported} <= {"alembic", "sqlalchemy", "__future__"}
    assert hashlib.sha256(path.read_bytes()).hexdigest() == FROZEN_SHA256[name]


def migrate_from_0004(engine) -> None:
    """Take the rollups away, go back to revision 0004, write the shop's orders with plain
    INSERTs, and upgrade: migrations 0005-0014 create and fill every rollup table."""
    with engine.begin() as conn:
        for name in sorted(rollups.TABLE_NAMES):
            conn.execute(text(f"DROP TABLE {name}"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0004'"))
    with engine.begin() as conn:
        seed_orders(conn)
    upgrade(engine)


def _all_rows(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            name: sorted(tuple(r) for r in conn.execute(select(Base.metadata.tables[name])))
            for name in sorted(rollups.TABLE_NAMES)
        }


def test_the_migrations_fill_every_rollup_as_a_rebuild_would(engine):
    """The frozen fill SQL of 0005-0010 gives the rows today's rebuild gives (the exact rows
    are pinned by hand in test_rollup_tables.py), on both backends, and the schema they build
    is still the models' (test_store.test_migrations_build_exactly_the_models)."""
    migrate_from_0004(engine)
    migrated = _all_rows(engine)
    assert all(migrated.values())  # the shop leaves no table empty
    with engine.connect() as conn:
        assert rollups.check(conn) == []
    with engine.begin() as conn:
        rollups.rebuild(conn)
    assert _all_rows(engine) == migrated
