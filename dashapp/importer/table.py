"""Split decoded text into a header and rows, each row with the CSV line it starts on.

The csv module handles quoting, CRLF and quoted fields that span lines; the delimiter
(comma, semicolon, tab or pipe) is the one the header line uses most. A line that repeats the
header (exports glued together, or paged reports) is skipped and its line number kept apart:
it is neither data nor a reject.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from dashapp.importer.errors import ImportFileError

PROGRESS_STEP = 10_000
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, values); the header is line 1
    delimiter: str
    repeated_headers: list[int] = field(default_factory=list)  # line numbers skipped


def read_table(
    text: str, max_rows: int | None = None, advance: Callable[[int], object] | None = None
) -> Table:
    """Parse the CSV text; raise ImportFileError when there is no header or no data row.
    `advance(n)` is told every PROGRESS_STEP rows."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=lambda d: (first_line.count(d), d == ","))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_key: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    repeated: list[int] = []
    try:
        while max_rows is None or len(rows) < max_rows:
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            if not any(v.strip() for v in values):
                continue  # blank lines carry no data
            if header is None:
                header = [h.strip() for h in values]
                header_key = [h.lower() for h in header]
            elif values[0].strip().lower() == header_key[0] and _is_header(values, header_key):
                repeated.append(start)
            else:
                rows.append((start, values))
                if advance and not len(rows) % PROGRESS_STEP:
                    advance(PROGRESS_STEP)
    except csv.Error as exc:  # e.g. an unbalanced quote swallowing the rest of the file
        raise ImportFileError(f"The file cannot be read as CSV near line {start}: {exc}.") from None
    if advance:
        advance(len(rows) % PROGRESS_STEP)
    if header is None:
        raise ImportFileError("The file is empty.")
    if not rows:
        raise ImportFileError("The file has a header but no data rows.")
    return Table(header, rows, delimiter, repeated)


def _is_header(values: list[str], header_key: list[str]) -> bool:
    named = [v.strip().lower() for v in values]
    while named and not named[-1]:
        named.pop()  # a spreadsheet may drop or add empty trailing cells
    return named == header_key[: len(named)] and not any(header_key[len(named) :])
