"""Many rows into one table, fast, in the caller's transaction.

On SQLite the rows go by the driver's executemany into a TEMP staging table without types or
constraints, then into the table with one INSERT ... SELECT: an executemany straight into a
table with UNIQUE, CHECK and foreign keys opens a statement journal per row, which made it
3-4x slower (the same finding as dashapp.demo.load). Elsewhere a plain executemany.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Boolean, Connection, Date, DateTime, Table, func, insert, select, text

STAGE_ROWS = 50_000


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """INSERT `rows` (tuples of Python values in `columns` order) into `table`."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    convert = [_sqlite_value(table.c[c].type, conn) for c in columns]
    if any(convert):
        rows = [
            tuple(v if f is None or v is None else f(v) for f, v in zip(convert, row, strict=True))
            for row in rows
        ]
    prep = conn.dialect.identifier_preparer
    stage = prep.quote(f"_stage_{table.name}")
    quoted = ", ".join(prep.quote(c) for c in columns)
    conn.exec_driver_sql(f"CREATE TEMP TABLE {stage} ({quoted})")
    fill = f"INSERT INTO temp.{stage} VALUES ({', '.join('?' * len(columns))})"
    move = f"INSERT INTO {prep.format_table(table)} ({quoted}) SELECT {quoted} FROM temp.{stage}"
    for start in range(0, len(rows), STAGE_ROWS):
        conn.exec_driver_sql(fill, list(rows[start : start + STAGE_ROWS]))
        conn.exec_driver_sql(move)
        conn.exec_driver_sql(f"DELETE FROM temp.{stage}")
    # On an error the caller's rollback takes the staging table away with everything else.
    conn.exec_driver_sql(f"DROP TABLE temp.{stage}")


def _sqlite_value(type_, conn: Connection):
    """How SQLAlchemy's type would bind a value on SQLite (ISO text for dates and times, 0/1
    for booleans); None where the driver takes the Python value as it is."""
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
