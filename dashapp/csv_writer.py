"""Every CSV the app writes goes through this module, so every cell is made safe to open in
a spreadsheet the same way. Streamed exports go from a server-side cursor to CSV text in
chunks, so a large export never sits in memory whole; small tables use `csv_document`.

What goes in each file is decided next to its data: `catalog/export.py` (products,
customers), `orders/history.py` (the order history), `segments/export.py`,
`analytics/reorder.py`; `web/exports.py` serves the downloads."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Select

CHUNK_ROWS = 1_000


def money(cents: int | None) -> str:
    """Cents as '1234.50' (empty for NULL); exact, no floats."""
    return "" if cents is None else str((Decimal(cents) / 100).quantize(Decimal("0.01")))


# A text cell starting with one of these is run as a formula by spreadsheet programs (OWASP
# "CSV injection"); they skip leading spaces first, so " =1+1" is a formula too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that is just a number ("-12.50", money() of a refund) is no formula: it stays a number.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_text(value: Any) -> Any:
    """A cell safe to open in a spreadsheet: text that would start a formula gets a leading
    apostrophe; numbers, number-only text and None pass through (NaN becomes empty)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if not isinstance(value, str) or PLAIN_NUMBER.fullmatch(value):
        return value
    if value.startswith(FORMULA_START) or value.lstrip().startswith(FORMULA_START):
        return "'" + value
    return value


def csv_document(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> str:
    """A whole (small) table as CSV text: RFC 4180, CRLF lines, every cell through csv_text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([csv_text(c) for c in row] for row in rows)
    return buffer.getvalue()


def stream_csv(
    conn: Connection,
    stmt: Select,
    header: Sequence[str],
    to_cells: Callable[[Any], Iterable[Any]],
) -> Iterator[str]:
    """CSV text for a query: the header, then about CHUNK_ROWS rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    # yield_per streams from a server-side cursor on PostgreSQL and steps the SQLite cursor.
    result = conn.execution_options(yield_per=CHUNK_ROWS).execute(stmt)
    for partition in result.partitions():
        writer.writerows([csv_text(c) for c in to_cells(row)] for row in partition)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail


def streamed(engine: Engine, export: Callable[..., Iterator[str]], *args: Any) -> Iterator[str]:
    """Run an export on its own connection, held only while the caller reads the chunks
    (for a web response that outlives the request's own connection)."""
    with engine.connect() as conn:
        yield from export(conn, *args)
