"""Many rows into one table, fast, in the caller's transaction.

On SQLite the rows go by the driver's executemany into a TEMP staging table without types or
constraints, then into the table with one INSERT ... SELECT: an executemany straight into a
table with UNIQUE, CHECK and foreign keys opens a statement journal per row, which made it
3-4x slower (the same finding as dashapp.demo.load). Elsewhere a plain executemany.
`sqlite_load_settings` gives such a write the page caches of its size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Table,
    column,
    func,
    insert,
    select,
    table,
    text,
)

STAGE_ROWS = 50_000
# PostgreSQL memory for a bulk load's GROUP BYs and index builds (its defaults: 4MB and 64MB).
PG_LOAD_WORK_MEM = "256MB"
PG_LOAD_MAINTENANCE_MEM = "1GB"
_SQLITE_MASTER = table(
    "sqlite_master", column("type"), column("name"), column("tbl_name"), column("sql")
)
# SQLite page caches while loading, for the load only: the tables' B-trees (main) and the
# staging and rebuild tables (temp). At 1M orders the database is 2.1 GB and the rebuild's
# temporary tables some 400 MB: with 512 MB and 64 MB they went through the files over and
# over (CPU 155 s -> 136 s for the 1M load with 2 GB and 1 GB). A cache is filled only as
# pages are used, and never past a quarter of the machine's memory (an eighth for temp).
LOAD_CACHE_KIB = 2048 * 1024
STAGE_CACHE_KIB = 1024 * 1024
SORT_THREADS = 2  # SQLite's sorter may use helper threads (its default is none)


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """INSERT `rows` (tuples of Python values in `columns` order) into `table`."""
    if rows:
        insert_columns(conn, table, dict(zip(columns, zip(*rows, strict=True), strict=True)))


def insert_columns(
    conn: Connection, table: Table, values: dict[str, Sequence], order_by: Sequence[str] = ()
) -> None:
    """INSERT rows given as columns ({column: its values, one per row, all the same length})
    into `table`: a caller that has its data by column builds no tuple per row, and each
    column is converted for the driver as a whole.

    `order_by`: on SQLite the rows go into the table in that order (ids given or not). Into a
    big table, rows in the order of most of its indexes' keys (dates) land next to each other
    in those B-trees instead of all over them: 50k lines into the 1M-order database, CPU of
    the INSERT 0.99 / 0.86 s -> 0.67 / 0.73 s in order of date (orders 0.47 / 0.36 s -> 0.35 /
    0.33 s), two runs each at load average 14-16."""
    columns = list(values)
    if not columns or not len(values[columns[0]]):
        return
    if conn.dialect.name != "sqlite":
        conn.execute(
            insert(table),
            [dict(zip(columns, row, strict=True)) for row in zip(*values.values(), strict=True)],
        )
        return
    data = []
    for name in columns:
        column_values = values[name]
        to_sqlite = _sqlite_value(table.c[name].type, conn)
        if to_sqlite is not None:
            # Each distinct value converted once (an import's 50k lines have a few hundred
            # dates): the converters took 0.6 s of a 50k-line import, now ~10 ms.
            converted = {v: to_sqlite(v) for v in set(column_values)}
            column_values = list(map(converted.__getitem__, column_values))
        data.append(column_values)
    rows = list(zip(*data, strict=True))
    prep = conn.dialect.identifier_preparer
    stage = prep.quote(f"_stage_{table.name}")
    quoted = ", ".join(prep.quote(c) for c in columns)
    conn.exec_driver_sql(f"CREATE TEMP TABLE {stage} ({quoted})")
    fill = f"INSERT INTO temp.{stage} VALUES ({', '.join('?' * len(columns))})"
    move = f"INSERT INTO {prep.format_table(table)} ({quoted}) SELECT {quoted} FROM temp.{stage}"
    if order_by:
        move += " ORDER BY " + ", ".join(prep.quote(c) for c in order_by)
    for start in range(0, len(rows), STAGE_ROWS):
        conn.exec_driver_sql(fill, rows[start : start + STAGE_ROWS])
        conn.exec_driver_sql(move)
        conn.exec_driver_sql(f"DELETE FROM temp.{stage}")
    # On an error the caller's rollback takes the staging table away with everything else.
    conn.exec_driver_sql(f"DROP TABLE temp.{stage}")


def _sqlite_value(type_, conn: Connection):
    """How SQLAlchemy's type would bind a value on SQLite (ISO text for dates and times, 0/1
    for booleans; None stays None); None where the driver takes the Python value as it is."""
    if isinstance(type_, DateTime | Date | Boolean):
        return type_.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return None


def reserve_ids(conn: Connection, table: Table, n: int) -> list[int] | None:
    """`n` new ids for `table`'s integer primary key, taken before inserting the rows (so no
    RETURNING is needed); None on a backend where this is not known to be safe.

    SQLite: the ids after the highest, as SQLite itself would give them; the write transaction
    (BEGIN IMMEDIATE) keeps every other writer out until it ends. PostgreSQL: drawn from the
    column's sequence, which no other session can hand out again."""
    if conn.dialect.name == "sqlite":
        highest = conn.execute(select(func.max(table.c.id))).scalar_one() or 0
        return list(range(highest + 1, highest + n + 1))
    if conn.dialect.name == "postgresql":
        return list(
            conn.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                    "FROM generate_series(1, :n)"
                ),
                {"table": table.name, "n": n},
            )
        )
    return None


@contextmanager
def sqlite_load_settings(conn: Connection) -> Iterator[None]:
    """SQLite: a big page cache (main and temp) and helper threads for the sorts of the
    GROUP BYs and index builds, for a bulk write only (a demo load, a big import); nothing
    elsewhere."""
    if conn.dialect.name != "sqlite":
        yield
        return
    saved = {
        pragma: int(conn.exec_driver_sql(f"PRAGMA {pragma}").scalar_one())
        for pragma in ("main.cache_size", "temp.cache_size", "threads")
    }
    memory_kib = _memory_kib()
    main_kib, temp_kib = LOAD_CACHE_KIB, STAGE_CACHE_KIB
    if memory_kib:
        main_kib, temp_kib = min(main_kib, memory_kib // 4), min(temp_kib, memory_kib // 8)
    conn.exec_driver_sql(f"PRAGMA main.cache_size=-{main_kib}")
    conn.exec_driver_sql(f"PRAGMA temp.cache_size=-{temp_kib}")
    conn.exec_driver_sql(f"PRAGMA threads={SORT_THREADS}")
    try:
        yield
    finally:
        for pragma, value in saved.items():
            conn.exec_driver_sql(f"PRAGMA {pragma}={value}")


def _memory_kib() -> int | None:
    """The machine's physical memory in KiB, where the system says (None elsewhere)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 1024
    except (AttributeError, ValueError, OSError):
        return None


@contextmanager
def deferred_indexes(conn: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """Drop the tables' secondary indexes for a bulk load and rebuild them after.

    Building an index once from sorted data is several times faster than updating it row by
    row (random inserts into five B-trees per line). Everything stays inside the caller's
    transaction, so a failure leaves the indexes as they were. Primary keys and constraints
    stay. SQLite and PostgreSQL; a no-op elsewhere.
    """
    names = [t.name for t in tables]
    if conn.dialect.name == "sqlite":
        with sqlite_load_settings(conn):
            saved = conn.execute(
                select(_SQLITE_MASTER.c.name, _SQLITE_MASTER.c.sql).where(
                    _SQLITE_MASTER.c.type == "index",
                    _SQLITE_MASTER.c.tbl_name.in_(names),
                    _SQLITE_MASTER.c.sql.is_not(None),  # not the automatic UNIQUE/PK indexes
                )
            ).all()
            with _rebuilt_after(conn, saved):
                yield
    elif conn.dialect.name == "postgresql":
        # Sorting and index builds in memory, for this transaction only (SET LOCAL).
        conn.exec_driver_sql(f"SET LOCAL work_mem = '{PG_LOAD_WORK_MEM}'")
        conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{PG_LOAD_MAINTENANCE_MEM}'")
        saved = conn.execute(
            text(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
                "WHERE t.relname = ANY(:names) AND pg_table_is_visible(t.oid) "
                "AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            ),
            {"names": names},
        ).all()
        with _rebuilt_after(conn, saved):
            yield
    else:
        yield


@contextmanager
def _rebuilt_after(conn: Connection, saved: Sequence[tuple[str, str]]) -> Iterator[None]:
    for name, _sql in saved:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    yield
    for _name, sql in saved:
        # The index's own CREATE statement, exactly as the migrations wrote it.
        conn.exec_driver_sql(sql)
