"""Backup and restore on both backends: exact round trips, refused files, the safety backup."""

from __future__ import annotations

import gzip
import json
import sqlite3

import pytest
from sqlalchemy import MetaData, delete, insert, select, update

from dashapp import auth
from dashapp.backup import (
    AUTO_PREFIX,
    BackupError,
    backup,
    backup_path,
    list_backups,
    restore,
    verify_backup,
)
from dashapp.store.models import AuditLog, Customer, Order, OrderLine, Product
from tests.tiny import seed_tiny

# Tables whose rows a restore must give back exactly (audit_log and data_version gain the
# restore's own audit row and version bump, checked separately).
EXACT_EXCEPT = {"audit_log", "data_version"}


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, as plain tuples."""
    meta = MetaData()
    with engine.connect() as conn:
        meta.reflect(conn)
        return {
            t.name: sorted(
                (tuple(r) for r in conn.execute(select(t))), key=lambda r: tuple(map(str, r))
            )
            for t in meta.sorted_tables
            if t.name != "alembic_version"
        }


def change_data(engine) -> None:
    """Edit, delete and add rows in several tables (plain SQL, not the code under test)."""
    with engine.begin() as conn:
        conn.execute(update(Product).where(Product.id == 1).values(list_price_cents=1))
        conn.execute(delete(OrderLine).where(OrderLine.order_id == 6))
        conn.execute(delete(Order).where(Order.id == 6))
        conn.execute(insert(Customer).values(id=99, name="Zed", country="Peru"))
    auth.create_user(engine, "newbie", "viewer", "mild tangerine", actor="test")


@pytest.fixture
def seeded(engine):
    seed_tiny(engine)
    auth.create_user(engine, "alice", "admin", "mild tangerine", actor="test")
    return engine


def test_round_trip_restores_every_row(seeded, tmp_path):
    before = snapshot(seeded)
    info = backup(seeded, tmp_path / "b" / "one.bak")
    assert info.counts["orders"] == 6  # tiny.py: O1..O6
    assert info.counts["order_lines"] == 7  # O1 has two lines, the others one
    change_data(seeded)
    assert snapshot(seeded) != before

    report = restore(seeded, info.path, "alice", folder=tmp_path / "safety")

    after = snapshot(seeded)
    for name, rows in before.items():
        if name not in EXACT_EXCEPT:
            assert after[name] == rows, name
    # The audit log is the backed-up one plus the restore's own row.
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1
    with seeded.connect() as conn:
        last = conn.execute(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (last.username, last.action, last.entity) == ("alice", "restore", "database")
    # The safety backup holds the changed state: 5 orders and the extra customer.
    assert report.safety_backup.path.name.startswith(AUTO_PREFIX)
    assert report.safety_backup.counts["orders"] == 5
    assert report.safety_backup.counts["customers"] == 4
    assert [f.name for f in list_backups(tmp_path / "safety")] == [report.safety_backup.path.name]


def test_restored_database_takes_new_rows(seeded, tmp_path):
    info = backup(seeded, tmp_path / "one.bak")
    change_data(seeded)
    restore(seeded, info.path, "alice", folder=tmp_path)
    # New ids continue after the restored rows (PostgreSQL sequences were reset).
    account, _ = auth.create_user(seeded, "later", "viewer", "mild tangerine", actor="test")
    assert account.id == 2  # alice is user 1 in the backup


def truncate(path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_backup_is_refused_and_nothing_changes(seeded, tmp_path, keep):
    info = backup(seeded, tmp_path / "cut.bak")
    truncate(info.path, keep)
    change_data(seeded)
    changed = snapshot(seeded)
    with pytest.raises(BackupError, match="truncated|damaged"):
        restore(seeded, info.path, "alice", folder=tmp_path / "safety")
    assert snapshot(seeded) == changed
    assert list_backups(tmp_path / "safety") == []  # refused before the safety backup


def test_random_file_is_refused(seeded, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"hello, this is not a backup" * 100)
    with pytest.raises(BackupError, match="not a Sales Pulse backup"):
        verify_backup(junk)
    with pytest.raises(BackupError, match="No such file"):
        verify_backup(tmp_path / "missing.sqlite")


def test_foreign_sqlite_database_is_refused(seeded, tmp_path):
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, what TEXT)")
        conn.execute("INSERT INTO orders VALUES (1, 'x')")
    before = snapshot(seeded)
    with pytest.raises(BackupError, match="not a Sales Pulse database"):
        restore(seeded, foreign, "alice", folder=tmp_path / "safety")
    assert snapshot(seeded) == before


def test_newer_schema_is_refused(seeded, tmp_path):
    info = backup(seeded, tmp_path / "new.bak")
    if info.kind == "sqlite":
        with sqlite3.connect(info.path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999'")
    else:
        with gzip.open(info.path, "rt") as fh:
            lines = fh.read().splitlines()
        header = json.loads(lines[0])
        header["revision"] = "9999"
        with gzip.open(info.path, "wt") as out:
            out.write("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    with pytest.raises(BackupError, match="newer or unknown version"):
        verify_backup(info.path)


def test_dump_with_wrong_row_count_is_refused(tmp_path):
    path = tmp_path / "bad.jsonl.gz"
    header = {
        "format": "sales-pulse-backup",
        "version": 1,
        "revision": "0004",
        "tables": {"orders": 2, "order_lines": 0, "customers": 0, "products": 0, "users": 0},
    }
    body = [{"table": "orders", "columns": ["id"]}, [1], {"end": True}]
    with gzip.open(path, "wt") as out:
        out.write("\n".join(json.dumps(x) for x in [header, *body]) + "\n")
    with pytest.raises(BackupError, match="row counts do not match"):
        verify_backup(path)


def test_backup_path_stays_in_the_folder(tmp_path):
    assert backup_path(tmp_path, "a.sqlite") == (tmp_path / "a.sqlite").resolve()
    for name in ["../a.sqlite", "/etc/passwd", "x.txt", "sub/../../a.sqlite"]:
        with pytest.raises(BackupError):
            backup_path(tmp_path, name)


def test_cli_backup_and_restore(seeded, tmp_path, monkeypatch):
    from tests.cli_runner import run_cli

    monkeypatch.setenv("SALES_PULSE_BACKUP_DIR", str(tmp_path / "auto"))
    before = snapshot(seeded)
    out = tmp_path / "cli.bak"
    result = run_cli(seeded, "backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "6 orders" in result.output  # tiny.py has six orders
    change_data(seeded)

    refused = run_cli(seeded, "restore", str(out))  # no --yes, answer "no"
    assert refused.exit_code == 1
    assert snapshot(seeded)["customers"] != before["customers"]

    result = run_cli(seeded, "restore", str(out), "--yes")
    assert result.exit_code == 0, result.output
    assert "Current data backed up to" in result.output
    assert snapshot(seeded)["orders"] == before["orders"]
    assert snapshot(seeded)["customers"] == before["customers"]
    assert len(list_backups(tmp_path / "auto")) == 1


def test_cli_refuses_a_bad_file(seeded, tmp_path, monkeypatch):
    from tests.cli_runner import run_cli

    monkeypatch.setenv("SALES_PULSE_BACKUP_DIR", str(tmp_path / "auto"))
    junk = tmp_path / "junk.bak"
    junk.write_text("not a backup")
    before = snapshot(seeded)
    result = run_cli(seeded, "restore", str(junk), "--yes")
    assert result.exit_code == 2
    assert "Refused: This file is not a Sales Pulse backup" in result.output
    assert "Nothing was changed." in result.output
    assert snapshot(seeded) == before
    assert list_backups(tmp_path / "auto") == []


def test_backup_never_replaces_a_device_folder_or_link(seeded, tmp_path):
    target = tmp_path / "real.sqlite"
    target.write_text("keep me")
    link = tmp_path / "link.sqlite"
    link.symlink_to(target)
    for out in [tmp_path, link]:
        with pytest.raises(BackupError, match="not a regular file"):
            backup(seeded, out)
    assert target.read_text() == "keep me" and link.is_symlink()


def rewrite_backup(info, table: str, edit) -> None:
    """Change the backup file at `info.path` in place (plain sqlite3 or gzip, not the code
    under test): `edit(columns, first_row)` returns the new (columns, first_row) of `table`."""
    if info.kind == "sqlite":
        with sqlite3.connect(info.path) as conn:
            conn.execute("PRAGMA foreign_keys=OFF")
            cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id LIMIT 1")
            columns = [d[0] for d in cursor.description]
            row = list(cursor.fetchone())
            new_columns, new_row = edit(list(columns), list(row))
            for old, new in zip(columns, new_columns, strict=True):
                if old != new:
                    conn.execute(f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}")
            sets = ", ".join(f"{c} = ?" for c in new_columns)
            conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*new_row, row[0]])
        return
    with gzip.open(info.path, "rt") as fh:
        lines = [json.loads(line) for line in fh]
    at = next(i for i, x in enumerate(lines) if isinstance(x, dict) and x.get("table") == table)
    lines[at]["columns"], lines[at + 1] = edit(lines[at]["columns"], lines[at + 1])
    with gzip.open(info.path, "wt") as out:
        out.write("\n".join(json.dumps(x) for x in lines) + "\n")


def point_at_missing_product(columns, row):
    row[columns.index("product_id")] = 999
    return columns, row


def assert_connection_clean(engine) -> None:
    """The pooled connection a restore used has no transaction, nothing attached, keys on."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            raw = conn.connection.driver_connection
            assert not raw.in_transaction
            attached = [r[1] for r in conn.exec_driver_sql("PRAGMA database_list")]
            assert "sp_backup" not in attached
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.execute(select(1)).scalar() == 1


def test_foreign_key_failure_changes_nothing_and_the_next_restore_works(seeded, tmp_path):
    good = backup(seeded, tmp_path / "good.bak")
    bad = backup(seeded, tmp_path / "bad.bak")
    rewrite_backup(bad, "order_lines", point_at_missing_product)
    change_data(seeded)
    changed = snapshot(seeded)

    with pytest.raises(BackupError, match="order_lines") as refused:
        restore(seeded, bad.path, "alice", folder=tmp_path / "safety")
    assert "Traceback" not in str(refused.value)
    assert snapshot(seeded) == changed
    assert_connection_clean(seeded)

    # Same engine, same process: the safety backup and the restore both work.
    report = restore(seeded, good.path, "alice", folder=tmp_path / "safety")
    assert report.counts["orders"] == 6
    assert report.safety_backup.counts["orders"] == 5
    assert_connection_clean(seeded)


def test_a_commit_refused_by_sqlite_still_returns_the_connection_clean(
    seeded, tmp_path, monkeypatch
):
    """Without the check before COMMIT, SQLite's deferred key check refuses the COMMIT itself
    and keeps the transaction open: the connection must still go back clean."""
    if seeded.dialect.name != "sqlite":
        pytest.skip("deferred foreign keys are SQLite's")
    import dashapp.backup

    monkeypatch.setattr(dashapp.backup, "_check_foreign_keys", lambda conn: None)
    good = backup(seeded, tmp_path / "good.bak")
    bad = backup(seeded, tmp_path / "bad.bak")
    rewrite_backup(bad, "order_lines", point_at_missing_product)
    change_data(seeded)
    changed = snapshot(seeded)
    with pytest.raises(BackupError, match="FOREIGN KEY"):
        restore(seeded, bad.path, "alice", folder=tmp_path / "safety")
    assert snapshot(seeded) == changed
    assert_connection_clean(seeded)
    restore(seeded, good.path, "alice", folder=tmp_path / "safety")
    assert snapshot(seeded)["customers"] != changed["customers"]


def rename_product_name(columns, row):
    return [("title" if c == "name" else c) for c in columns], row


def test_backup_with_other_columns_is_refused_before_anything_changes(seeded, tmp_path):
    info = backup(seeded, tmp_path / "cols.bak")
    rewrite_backup(info, "products", rename_product_name)
    verify_backup(info.path)  # the names of its tables are right
    change_data(seeded)
    changed = snapshot(seeded)
    with pytest.raises(BackupError) as refused:
        restore(seeded, info.path, "alice", folder=tmp_path / "safety")
    assert str(refused.value) == (
        "This backup does not match this version's tables: table products lacks column(s) "
        "name; table products has unknown column(s) title."
    )
    assert snapshot(seeded) == changed
    assert list_backups(tmp_path / "safety") == []  # refused before the safety backup
    assert_connection_clean(seeded)


def test_backup_with_a_column_of_another_type_is_refused(seeded, tmp_path):
    if seeded.dialect.name != "sqlite":
        pytest.skip("a dump does not record column types; the insert refuses them instead")
    info = backup(seeded, tmp_path / "types.bak")
    with sqlite3.connect(info.path) as conn:
        conn.execute("ALTER TABLE products DROP COLUMN sub_category")
        conn.execute("ALTER TABLE products ADD COLUMN sub_category INTEGER")
    before = snapshot(seeded)
    with pytest.raises(BackupError) as refused:
        restore(seeded, info.path, "alice", folder=tmp_path / "safety")
    assert str(refused.value).endswith(
        "table products has column(s) of another type: sub_category (integer, expected text)."
    )
    assert snapshot(seeded) == before


def test_sqlite_backup_restores_into_postgresql(seeded, tmp_path):
    """A SQLite file (e.g. from the demo) restores into either backend: same column kinds."""
    from tests.databases import migrated_engine

    (tmp_path / "lite").mkdir()
    with migrated_engine("sqlite", tmp_path / "lite") as lite:
        seed_tiny(lite)
        auth.create_user(lite, "alice", "admin", "mild tangerine", actor="test")
        info = backup(lite, tmp_path / "lite.sqlite")
        before = snapshot(lite)
    change_data(seeded)
    restore(seeded, info.path, "alice", folder=tmp_path / "safety")
    assert snapshot(seeded)["orders"] == before["orders"]
