"""Split decoded text into a header and rows, each row with the CSV line it starts on.

The csv module handles quoting, CRLF and quoted fields that span lines; the delimiter
(comma, semicolon, tab or pipe) is the one the header line uses most.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from dashapp.importer.errors import ImportFileError

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, values); the header is line 1
    delimiter: str


def read_table(text: str, max_rows: int | None = None) -> Table:
    """Parse the CSV text; raise ImportFileError when there is no header or no data row."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=lambda d: (first_line.count(d), d == ","))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
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
            else:
                rows.append((start, values))
    except csv.Error as exc:  # e.g. an unbalanced quote swallowing the rest of the file
        raise ImportFileError(f"The file cannot be read as CSV near line {start}: {exc}.") from None
    if header is None:
        raise ImportFileError("The file is empty.")
    if not rows:
        raise ImportFileError("The file has a header but no data rows.")
    return Table(header, rows, delimiter)
