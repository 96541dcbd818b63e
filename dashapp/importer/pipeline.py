"""The import as a whole: decode, recognise, read and validate, then load in ONE transaction.

`import_csv` is what the CLI and the admin page call; `detect` is the preview the admin page
shows before importing (format, encoding, column mapping, first rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from tqdm import tqdm

from dashapp.importer.dates import infer_date_format
from dashapp.importer.decoding import decode_bytes
from dashapp.importer.errors import ImportFileError
from dashapp.importer.formats import Layout, detect_layout
from dashapp.importer.loader import LoadCounts, load_orders
from dashapp.importer.reader import read_orders
from dashapp.importer.report import ImportReport
from dashapp.importer.table import DELIMITER_NAMES, Table, read_table
from dashapp.store.db import write_transaction

# Below this many rows the import is over before a progress bar would say anything.
PROGRESS_MIN_ROWS = 10_000
PREVIEW_ROWS = 5


@dataclass(frozen=True)
class Detection:
    """What `detect` found: format, encoding, field -> column mapping and a preview."""

    format: str
    label: str
    encoding: str
    delimiter: str
    mapping: dict[str, str]
    columns: list[str]
    preview: list[dict[str, str]]


class _RollBack(Exception):
    """Raised inside the transaction to undo it (dry run, or strict mode with rejects)."""

    def __init__(self, counts: LoadCounts) -> None:
        super().__init__("roll back")
        self.counts = counts


def import_csv(
    engine: Engine,
    path: str | Path,
    mapping: dict[str, str] | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: bool = False,
    created_by: str | None = None,
) -> ImportReport:
    """Import the orders of a CSV file; raises ImportFileError when the file is unusable."""
    text, encoding = _decoded(path)
    table = read_table(text)
    layout = detect_layout(table.header, mapping)
    date_format = infer_date_format(_column(table, layout, "order_date"))
    show = progress and len(table.rows) >= PROGRESS_MIN_ROWS
    rows = tqdm(table.rows, desc="Reading", unit=" rows", disable=not show, leave=False)
    result = read_orders(rows, layout, date_format)
    report = ImportReport(
        format_label=layout.label,
        encoding=f"{encoding}, {DELIMITER_NAMES[table.delimiter]}-separated",
        mapping=dict(layout.columns),
        date_format=date_format.name if date_format else None,
        rows_read=result.rows_read,
        rejects=result.rejects,
        dry_run=dry_run,
        strict=strict,
    )
    roll_back = dry_run or (strict and bool(result.rejects))
    bar = tqdm(total=len(result.orders), desc="Writing", unit=" orders", disable=not show)
    try:
        with bar, write_transaction(engine) as conn:
            counts = load_orders(conn, result.orders, created_by, advance=bar.update)
            if roll_back:
                raise _RollBack(counts)
    except _RollBack as undone:
        counts = undone.counts
    report.committed = not roll_back
    report.orders_added = counts.orders_added
    report.lines_added = counts.lines_added
    report.orders_skipped = counts.orders_skipped
    report.customers_added = counts.customers_added
    report.products_added = counts.products_added
    return report


def detect(path_or_bytes: str | Path | bytes, mapping: dict[str, str] | None = None) -> Detection:
    """Recognise a file without importing it; raises ImportFileError like `import_csv`."""
    if isinstance(path_or_bytes, bytes):
        decoded = decode_bytes(path_or_bytes)
        text, encoding = decoded.text, decoded.encoding
    else:
        text, encoding = _decoded(path_or_bytes)
    table = read_table(text, max_rows=PREVIEW_ROWS)
    layout = detect_layout(table.header, mapping)
    preview = [
        {h: (values[i] if i < len(values) else "") for i, h in enumerate(table.header)}
        for _, values in table.rows
    ]
    return Detection(
        format=layout.format,
        label=layout.label,
        encoding=encoding,
        delimiter=table.delimiter,
        mapping=dict(layout.columns),
        columns=list(table.header),
        preview=preview,
    )


def _decoded(path: str | Path) -> tuple[str, str]:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"No such file: {path}") from None
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror}") from None
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


def _column(table: Table, layout: Layout, name: str) -> list[str]:
    i = layout.indexes.get(name)
    if i is None:
        return []
    return [values[i] for _, values in table.rows if i < len(values)]
