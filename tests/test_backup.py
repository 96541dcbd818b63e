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
    auth.create_user(engine, "newbie", "viewer", "password 123", actor="test")


@pytest.fixture
def seeded(engine):
    seed_tiny(engine)
    auth.create_user(engine, "alice", "admin", "alice password", actor="test")
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
    account, _ = auth.create_user(seeded, "later", "viewer", "password 123", actor="test")
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
