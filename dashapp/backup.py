"""Backup and restore of the whole database (SPEC §4.7, §7). No Flask or Dash here.

Two file kinds, told apart by their first bytes:
- SQLite databases (`.sqlite`): a page-for-page copy made with SQLite's online backup API, so
  writers may carry on while it runs and the copy is one consistent state.
- Sales Pulse data dumps (`.jsonl.gz`): the app's own portable format, NOT pg_dump output. A
  gzip of JSON lines: a header (format, schema revision, row count per table), then one line per
  table and one per row in dependency order, then an end marker. PostgreSQL databases are dumped
  this way inside one REPEATABLE READ transaction, so the dump is one snapshot.

A restore checks the file first (nothing changes on refusal), backs up the current state into
the backup folder, then replaces every table in ONE write transaction and records an audit row.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    create_engine,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DataError, IntegrityError

from dashapp.settings import Settings
from dashapp.store import rollups
from dashapp.store.db import make_engine
from dashapp.store.migrate import MIGRATIONS_DIR, upgrade
from dashapp.store.models import DataVersion
from dashapp.store.writes import changing_orders

FORMAT = "sales-pulse-backup"
FORMAT_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
SQLITE_SUFFIX = ".sqlite"
DUMP_SUFFIX = ".jsonl.gz"
ALEMBIC_TABLE = "alembic_version"
# The tables that make a database ours: a foreign SQLite file lacks them.
REQUIRED_TABLES = ("orders", "order_lines", "customers", "products", "users")
CHUNK = 5000
AUTO_PREFIX = "auto-before-restore-"


class BackupError(Exception):
    """A backup that cannot be made, read or restored; the message says why."""


@dataclass(frozen=True)
class BackupInfo:
    """What a checked backup file holds."""

    path: Path
    kind: str  # "sqlite" or "dump"
    revision: str
    counts: dict[str, int]
    size: int
    # A dump's column names per table (a SQLite file's are read from the file itself).
    columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def orders(self) -> int:
        return self.counts.get("orders", 0)


@dataclass(frozen=True)
class BackupFile:
    """One file in the backup folder, as listed (not yet checked)."""

    name: str
    path: Path
    size: int
    modified: datetime
    automatic: bool


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did: the file restored, its row counts and the safety backup taken first."""

    restored: BackupInfo
    safety_backup: BackupInfo
    counts: dict[str, int] = field(default_factory=dict)


def backup_dir() -> Path:
    """SALES_PULSE_BACKUP_DIR, or data/backups next to the default database."""
    return Settings.from_env().backups


def suffix_for(engine: Engine) -> str:
    return SQLITE_SUFFIX if engine.dialect.name == "sqlite" else DUMP_SUFFIX


def backup_name(engine: Engine, prefix: str = "backup-") -> str:
    """A file name like backup-20240131-101500.sqlite (sortable, no colons)."""
    return f"{prefix}{datetime.now():%Y%m%d-%H%M%S-%f}{suffix_for(engine)}"


# --- revisions -------------------------------------------------------------------------------


def known_revisions() -> list[str]:
    """The schema revisions this app knows, oldest first."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(cfg)
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _check_revision(revision: str | None) -> None:
    known = known_revisions()
    if not revision:
        raise BackupError("This file has no schema revision: it is not a Sales Pulse backup.")
    if revision not in known:
        raise BackupError(
            f"This backup was made by a newer or unknown version of Sales Pulse (schema "
            f"{revision}); this version knows up to {known[-1]}. Upgrade Sales Pulse first."
        )


# --- making a backup -------------------------------------------------------------------------


def backup(engine: Engine, out_path: str | Path) -> BackupInfo:
    """Write a consistent copy of the database to `out_path` and check it; returns its info."""
    out = Path(out_path)
    # The final rename would replace whatever is there: never a device, a folder or a link.
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise BackupError(f"{out} exists and is not a regular file: choose another name.")
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename at the end: a crash never leaves a half file there.
    fd, tmp_name = tempfile.mkstemp(prefix=".partial-", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if engine.dialect.name == "sqlite":
            _backup_sqlite(engine, tmp)
        else:
            _backup_dump(engine, tmp)
        _info = verify_backup(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupInfo(
        out, _info.kind, _info.revision, _info.counts, out.stat().st_size, _info.columns
    )


def _backup_sqlite(engine: Engine, tmp: Path) -> None:
    try:
        raw = engine.raw_connection()
        try:
            with closing(sqlite3.connect(tmp)) as dest:
                raw.driver_connection.backup(dest)
                # The copy carries the live file's WAL flag; make it a standalone file.
                dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            raw.close()
    except sqlite3.Error as exc:  # e.g. the database URL names a folder
        raise BackupError(f"Cannot copy the database: {exc}.") from None


def _dump_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _backup_dump(engine: Engine, tmp: Path) -> None:
    with (
        engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
        conn.begin(),
    ):
        tables = _app_tables(conn)
        revision = conn.execute(select(_alembic_table(conn).c.version_num)).scalar()
        counts = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables
        }
        header = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "revision": revision,
            "dialect": engine.dialect.name,
            "created_at": datetime.now().isoformat(timespec="seconds"),
            "tables": counts,
        }
        with gzip.open(tmp, "wt", encoding="utf-8") as out:
            out.write(json.dumps(header) + "\n")
            for table in tables:
                columns = [c.name for c in table.columns]
                out.write(json.dumps({"table": table.name, "columns": columns}) + "\n")
                pk = list(table.primary_key.columns) or list(table.columns)
                rows = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(
                    select(table).order_by(*pk)
                )
                for row in rows:
                    out.write(json.dumps([_dump_value(v) for v in row]) + "\n")
            out.write(json.dumps({"end": True, "rows": sum(counts.values())}) + "\n")


def _app_tables(conn: Connection) -> list[Table]:
    """Every table of the database but Alembic's and the rollups (derived from the orders and
    rebuilt after a restore), parents before children."""
    meta = MetaData()
    meta.reflect(conn)
    return [
        t
        for t in meta.sorted_tables
        if t.name != ALEMBIC_TABLE and t.name not in rollups.TABLE_NAMES
    ]


def _alembic_table(conn: Connection) -> Table:
    return Table(ALEMBIC_TABLE, MetaData(), autoload_with=conn)


# --- checking a file -------------------------------------------------------------------------


def verify_backup(path: str | Path) -> BackupInfo:
    """Check that `path` is a complete Sales Pulse backup this version can restore."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
        size = path.stat().st_size
    except FileNotFoundError:
        raise BackupError(f"No such file: {path.name}") from None
    except OSError as exc:
        raise BackupError(f"Cannot read {path.name}: {exc.strerror}") from None
    columns: dict[str, list[str]] = {}
    if head.startswith(SQLITE_MAGIC):
        kind, revision, counts = "sqlite", *_verify_sqlite(path, head, size)
    elif head.startswith(GZIP_MAGIC):
        kind, revision, counts, columns = "dump", *_verify_dump(path)
    else:
        raise BackupError(
            "This file is not a Sales Pulse backup: it is neither a SQLite database nor a "
            "Sales Pulse data dump."
        )
    _check_revision(revision)
    return BackupInfo(path, kind, revision, counts, size, columns)


def _sqlite_uri(path: Path) -> str:
    # Read-only and immutable: checking a file never writes beside it.
    return path.resolve().as_uri() + "?mode=ro&immutable=1"


def _verify_sqlite(path: Path, head: bytes, size: int) -> tuple[str, dict[str, int]]:
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    # The page count in the header is valid when bytes 92-95 equal the change counter.
    if head[92:96] == head[24:28] and pages and size < pages * page_size:
        raise BackupError(
            f"This backup is truncated: {size:,} bytes of the {pages * page_size:,} the "
            "database header announces."
        )
    try:
        with closing(sqlite3.connect(_sqlite_uri(path), uri=True)) as conn:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
            if problems != ["ok"]:
                raise BackupError(f"This backup is damaged: {problems[0]}")
            names = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            missing = [t for t in (*REQUIRED_TABLES, ALEMBIC_TABLE) if t not in names]
            if missing:
                raise BackupError(
                    "This SQLite database is not a Sales Pulse database: it has no "
                    f"{', '.join(missing)} table."
                )
            revision = conn.execute(f"SELECT version_num FROM {ALEMBIC_TABLE}").fetchone()
            counts = {
                name: conn.execute(f"SELECT count(*) FROM {_quoted(name)}").fetchone()[0]
                for name in sorted(names - {ALEMBIC_TABLE})
                if not name.startswith("sqlite_")
            }
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"This backup is damaged or not a database: {exc}") from None
    return (revision[0] if revision else None), counts


def _read_dump(path: Path) -> Iterator[dict | list]:
    """The JSON lines of a dump; a cut or corrupt file raises BackupError."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise BackupError(f"This backup is damaged: line {n} is not JSON.") from None
    except (EOFError, gzip.BadGzipFile, OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"This backup is truncated or damaged ({exc}).") from None


def _verify_dump(path: Path) -> tuple[str, dict[str, int], dict[str, list[str]]]:
    lines = _read_dump(path)
    header = next(lines, None)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("This file is not a Sales Pulse data dump (no Sales Pulse header).")
    if header.get("version") != FORMAT_VERSION:
        raise BackupError(f"This dump has format version {header.get('version')}; expected 1.")
    announced: dict[str, int] = header.get("tables") or {}
    missing = [t for t in REQUIRED_TABLES if t not in announced]
    if missing:
        raise BackupError(f"This dump has no {', '.join(missing)} table.")
    found: dict[str, int] = {}
    columns: dict[str, list[str]] = {}
    table = None
    ended = False
    for item in lines:
        if ended:
            raise BackupError("This backup is damaged: data after the end marker.")
        if isinstance(item, dict) and "table" in item:
            table = item["table"]
            names = item.get("columns")
            if not isinstance(table, str) or not isinstance(names, list) or table in found:
                raise BackupError("This backup is damaged: a table line without its columns.")
            found[table] = 0
            columns[table] = [str(c) for c in names]
        elif isinstance(item, dict) and item.get("end"):
            ended = True
        elif isinstance(item, list) and table is not None:
            if len(item) != len(columns[table]):
                raise BackupError(f"This backup is damaged: a {table} row of the wrong length.")
            found[table] += 1
        else:
            raise BackupError("This backup is damaged: a row outside any table.")
    if not ended:
        raise BackupError("This backup is truncated: it stops before its end marker.")
    if found != announced:
        wrong = sorted(
            t for t in announced.keys() | found.keys() if announced.get(t) != found.get(t)
        )
        raise BackupError(
            f"This backup is damaged: the row counts do not match its header ({', '.join(wrong)})."
        )
    return header.get("revision"), announced, columns


# --- restoring -------------------------------------------------------------------------------


def restore(
    engine: Engine, path: str | Path, user: str | None, folder: str | Path | None = None
) -> RestoreReport:
    """Replace all data with the backup at `path`, after backing up the current state.

    A refused file changes nothing; a failure part-way rolls the whole restore back."""
    info = verify_backup(path)
    folder = Path(folder) if folder else backup_dir()
    with _head_source(info) as source:
        # Refuse a file whose tables do not match before anything is written, safety copy included.
        _check_schema(engine, _source_schema(source))
        safety = backup(engine, folder / backup_name(engine, AUTO_PREFIX))
        counts = _replace_all(engine, source, info, user)
    return RestoreReport(restored=info, safety_backup=safety, counts=counts)


@contextmanager
def _head_source(info: BackupInfo) -> Iterator[Path | BackupInfo]:
    """The backup as something at the app's schema: older SQLite files are upgraded on a copy."""
    head = known_revisions()[-1]
    if info.revision == head:
        yield info.path if info.kind == "sqlite" else info
        return
    if info.kind != "sqlite":
        raise BackupError(
            f"This dump has schema {info.revision}, older than this version's {head}; "
            "restore it with the version that made it, upgrade, then back up again."
        )
    with tempfile.TemporaryDirectory(prefix="sp-restore-") as tmp:
        copy = Path(tmp) / "upgrade.sqlite"
        shutil.copyfile(info.path, copy)
        eng = make_engine(f"sqlite:///{copy}")
        try:
            upgrade(eng)
        finally:
            eng.dispose()
        yield copy


def _sqlite_reader(path: Path) -> Engine:
    """A read-only engine on a backup file."""
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(_sqlite_uri(path), uri=True))


def _type_kind(type_) -> str:
    """What a column holds, in words both backends agree on (BIGINT and INTEGER are alike)."""
    kinds = (
        ("boolean", Boolean),
        ("date-time", DateTime),
        ("date", Date),
        ("integer", Integer),
        ("number", Numeric),
        ("text", String),
    )
    return next((kind for kind, cls in kinds if isinstance(type_, cls)), "unknown")


def _restored_table(name: str) -> bool:
    return (
        name != ALEMBIC_TABLE and name not in rollups.TABLE_NAMES and not name.startswith("sqlite_")
    )


def _source_schema(source: Path | BackupInfo) -> dict[str, dict[str, str | None]]:
    """Table -> column -> kind of what a restore would copy; a dump's kinds are unknown (None)."""
    if isinstance(source, BackupInfo):
        return {t: dict.fromkeys(cols) for t, cols in source.columns.items() if _restored_table(t)}
    reader = _sqlite_reader(source)
    try:
        meta = MetaData()
        with reader.connect() as conn:
            meta.reflect(conn)
    finally:
        reader.dispose()
    return {
        t.name: {c.name: _type_kind(c.type) for c in t.columns}
        for t in meta.sorted_tables
        if _restored_table(t.name)
    }


def _check_schema(engine: Engine, source: dict[str, dict[str, str | None]]) -> None:
    """Refuse a backup whose tables or columns differ from this database's: right table names
    with other columns used to fail half-way through the copy."""
    with engine.connect() as conn:
        ours = {t.name: t for t in _app_tables(conn)}
    problems = []
    if missing := sorted(ours.keys() - source.keys()):
        problems.append(f"it has no {', '.join(missing)} table")
    if extra := sorted(source.keys() - ours.keys()):
        problems.append(f"it has tables this database lacks: {', '.join(extra)}")
    for name in sorted(ours.keys() & source.keys()):
        want = {c.name: _type_kind(c.type) for c in ours[name].columns}
        have = source[name]
        if lacks := [c for c in want if c not in have]:
            problems.append(f"table {name} lacks column(s) {', '.join(lacks)}")
        if unknown := [c for c in have if c not in want]:
            problems.append(f"table {name} has unknown column(s) {', '.join(unknown)}")
        wrong = [
            f"{c} ({have[c]}, expected {kind})"
            for c, kind in want.items()
            if have.get(c) not in (None, kind)
        ]
        if wrong:
            problems.append(f"table {name} has column(s) of another type: {', '.join(wrong)}")
    if problems:
        raise BackupError(
            "This backup does not match this version's tables: " + "; ".join(problems) + "."
        )


def _replace_all(engine: Engine, source, info: BackupInfo, user: str | None) -> dict[str, int]:
    attach = engine.dialect.name == "sqlite" and isinstance(source, Path)
    with engine.connect() as conn:
        if attach:
            # ATTACH is refused inside a transaction: do it before BEGIN on this connection.
            conn.connection.driver_connection.execute(
                "ATTACH DATABASE ? AS sp_backup", (str(source),)
            )
        try:
            conn.execution_options(write=True)
            with (
                conn.begin(),
                changing_orders(conn, user=user, action="restore", entity="database") as change,
            ):
                counts = _copy_tables(conn, source, attach)
                change.all_changed()  # rollups rebuilt, first-order dates refreshed
                _check_counts(info, counts)
                change.record(
                    after={"file": info.path.name, "revision": info.revision, "orders": info.orders}
                )
                if conn.dialect.name == "sqlite":
                    _check_foreign_keys(conn)
        except (IntegrityError, DataError) as exc:
            raise BackupError(
                f"Restore stopped: the backup's rows do not fit this database ({exc.orig})."
            ) from None
        finally:
            _leave_clean(conn, attach)
    return counts


def _check_foreign_keys(conn: Connection) -> None:
    """SQLite defers the key check to COMMIT, and a COMMIT it refuses leaves the transaction
    open; look first, so a bad file ends in an ordinary rollback with a message that says why."""
    bad = conn.exec_driver_sql("PRAGMA main.foreign_key_check").first()
    if bad is not None:
        table, rowid, parent, _ = bad
        raise BackupError(
            f"Restore stopped: row {rowid} of {table} in the backup points to a {parent} row "
            "the backup does not hold."
        )


def _leave_clean(conn: Connection, attach: bool) -> None:
    """Hand the connection back to the pool as it was lent: no transaction, nothing attached.
    One that cannot be cleaned is discarded, never reused."""
    if conn.dialect.name != "sqlite" or conn.invalidated:
        return  # PostgreSQL: leaving `conn.begin()` on an error already rolled back
    raw = conn.connection.driver_connection
    try:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        if attach:
            raw.execute("DETACH DATABASE sp_backup")
    except sqlite3.Error:
        conn.invalidate()


def _copy_tables(conn: Connection, source, attach: bool) -> dict[str, int]:
    tables = _app_tables(conn)
    if conn.dialect.name == "sqlite":
        # Rows go in parent-first, but the check is kept to commit time all the same.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
    versions = DataVersion.__table__
    version = conn.execute(select(func.max(versions.c.version))).scalar() or 0
    for table in reversed(tables):
        conn.execute(delete(table))
    if attach:
        counts = _copy_attached(conn, tables)
    elif isinstance(source, Path):
        counts = _copy_from_sqlite(conn, tables, source)
    else:
        counts = _copy_from_dump(conn, tables, source.path)
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn, tables)
    # The data version keeps moving forward (the audit row bumps it once more), so open pages
    # never mistake the restored state for one they have already shown.
    conn.execute(update(versions).values(version=version))
    return counts


def _copy_attached(conn: Connection, tables: list[Table]) -> dict[str, int]:
    counts = {}
    for table in tables:
        src = Table(table.name, MetaData(schema="sp_backup"), autoload_with=conn)
        columns = [c.name for c in table.columns if c.name in src.c]
        conn.execute(insert(table).from_select(columns, select(*[src.c[c] for c in columns])))
        counts[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
    return counts


def _copy_from_sqlite(conn: Connection, tables: list[Table], path: Path) -> dict[str, int]:
    reader = _sqlite_reader(path)
    counts = {}
    try:
        with reader.connect() as src_conn:
            meta = MetaData()
            meta.reflect(src_conn)
            for table in tables:
                src = meta.tables.get(table.name)
                if src is None:
                    counts[table.name] = 0
                    continue
                columns = [c.name for c in table.columns if c.name in src.c]
                rows = src_conn.execution_options(yield_per=CHUNK).execute(
                    select(*[src.c[c] for c in columns])
                )
                counts[table.name] = _insert_chunks(conn, table, columns, (tuple(r) for r in rows))
    finally:
        reader.dispose()
    return counts


def _decoder(column):
    if isinstance(column.type, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column.type, Date):
        return lambda v: None if v is None else date.fromisoformat(v[:10])
    if isinstance(column.type, Boolean):
        return lambda v: None if v is None else bool(v)
    return lambda v: v


def _copy_from_dump(conn: Connection, tables: list[Table], path: Path) -> dict[str, int]:
    by_name = {t.name: t for t in tables}
    counts = {t.name: 0 for t in tables}
    lines = _read_dump(path)
    next(lines)  # the header, checked by verify_backup
    table, columns, decoders, chunk = None, [], [], []

    def flush() -> None:
        if chunk:
            conn.execute(insert(table), chunk)
            counts[table.name] += len(chunk)
            chunk.clear()

    for item in lines:
        if isinstance(item, list):
            chunk.append({c: d(v) for c, d, v in zip(columns, decoders, item, strict=True)})
            if len(chunk) >= CHUNK:
                flush()
            continue
        flush()
        if item.get("end"):
            break
        table = by_name.get(item["table"])
        if table is None:
            raise BackupError(f"This backup has a table this database lacks: {item['table']}.")
        columns = item["columns"]
        unknown = [c for c in columns if c not in table.c]
        if unknown:
            raise BackupError(f"This backup has columns this database lacks: {unknown}.")
        decoders = [_decoder(table.c[c]) for c in columns]
    return counts


def _insert_chunks(conn: Connection, table: Table, columns: list[str], rows) -> int:
    n = 0
    chunk: list[dict] = []
    for row in rows:
        chunk.append(dict(zip(columns, row, strict=True)))
        if len(chunk) >= CHUNK:
            conn.execute(insert(table), chunk)
            n += len(chunk)
            chunk = []
    if chunk:
        conn.execute(insert(table), chunk)
        n += len(chunk)
    return n


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Point each id sequence past the restored rows, so the next insert gets a fresh id."""
    for table in tables:
        if "id" not in table.c:
            continue
        seq = conn.execute(select(func.pg_get_serial_sequence(table.name, "id"))).scalar()
        if seq is None:
            continue
        top = func.max(table.c.id)
        conn.execute(
            select(func.setval(seq, func.coalesce(top, 1), top.is_not(None))).select_from(table)
        )


def _check_counts(info: BackupInfo, counts: dict) -> None:
    for name, expected in info.counts.items():
        if name in counts and counts[name] != expected:
            raise BackupError(
                f"Restore stopped: {name} got {counts[name]:,} rows, the backup holds {expected:,}."
            )


# --- listing ---------------------------------------------------------------------------------


def list_backups(folder: str | Path | None = None) -> list[BackupFile]:
    """The backup files in `folder` (default: the backup folder), newest first."""
    folder = Path(folder) if folder else backup_dir()
    if not folder.is_dir():
        return []
    files = []
    for path in folder.iterdir():
        if not path.is_file() or not path.name.endswith((SQLITE_SUFFIX, DUMP_SUFFIX)):
            continue
        stat = path.stat()
        files.append(
            BackupFile(
                name=path.name,
                path=path,
                size=stat.st_size,
                modified=datetime.fromtimestamp(stat.st_mtime),
                automatic=path.name.startswith(AUTO_PREFIX),
            )
        )
    return sorted(files, key=lambda f: (f.modified, f.name), reverse=True)


def backup_path(folder: str | Path | None, name: str) -> Path:
    """The file `name` inside the backup folder; refuses names that would leave it."""
    folder = (Path(folder) if folder else backup_dir()).resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not name.endswith((SQLITE_SUFFIX, DUMP_SUFFIX)):
        raise BackupError(f"No backup named {name!r}.")
    return path


def _quoted(name: str) -> str:
    """An SQL identifier from a file we do not trust, quoted so it cannot end the quote."""
    return '"' + name.replace('"', '""') + '"'
