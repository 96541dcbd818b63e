"""XLSX workbooks (xlsxwriter): the current view, one sheet per figure after a first sheet with
the section, filters, user, generation time and KPIs; and any table, streamed row by row.

Money is integer cents turned into an exact Decimal, written as a number cell with a currency
format (a cent amount's float is the nearest double to it, so it reads back to the cent). Text
is always written as a string cell: a name starting with = + - @ stays that text, never a
formula (xlsxwriter's `write()` would guess; `write_string` does not)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any

import xlsxwriter

from dashapp.analytics.kpis import cents_to_decimal
from dashapp.reports.view import COUNT, DAY, DECIMAL, MONEY, SHARE, Column, ViewReport

MONEY_FORMAT = '"$"#,##0.00;-"$"#,##0.00'
SHEET_NAME_MAX = 31
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The options every workbook is opened with: no guessing from text.
OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd",
}


class Cells:
    """The formats of one workbook, and how each kind of value is written."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.formats = {
            MONEY: book.add_format({"num_format": MONEY_FORMAT}),
            COUNT: book.add_format({"num_format": "#,##0"}),
            DECIMAL: book.add_format({"num_format": "#,##0.00"}),
            SHARE: book.add_format({"num_format": "0.0%"}),
            DAY: book.add_format({"num_format": "d mmm yyyy"}),
            "when": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "head": book.add_format({"bold": True, "bottom": 1, "bg_color": "#eef2f7"}),
            "title": book.add_format({"bold": True, "font_size": 14}),
            "label": book.add_format({"bold": True}),
            "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        }

    def write(self, sheet, row: int, col: int, value: Any, kind: str) -> None:
        """One cell: None stays empty; money from integer cents (an int, or the Decimal sum
        PostgreSQL gives), as the exact amount."""
        if value is None:
            return
        if kind == MONEY:
            sheet.write_number(row, col, float(cents_to_decimal(int(value))), self.formats[MONEY])
        elif kind in (COUNT, SHARE, DECIMAL):
            sheet.write_number(row, col, value, self.formats[kind])
        elif isinstance(value, datetime):
            sheet.write_datetime(row, col, value.replace(tzinfo=None), self.formats["when"])
        elif isinstance(value, date):
            sheet.write_datetime(row, col, value, self.formats[DAY])
        elif isinstance(value, bool | int | float) and kind != "text":
            sheet.write_number(row, col, value)
        else:
            sheet.write_string(row, col, str(value))

    def header(self, sheet, row: int, columns: Sequence[Column]) -> None:
        for col, column in enumerate(columns):
            sheet.write_string(row, col, column.name, self.formats["head"])
            sheet.set_column(col, col, _width(column))


def _width(column: Column) -> int:
    return max(len(column.name) + 2, {MONEY: 16, DAY: 13, COUNT: 10, SHARE: 9}.get(column.kind, 24))


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def write_view_workbook(report: ViewReport, out: IO[bytes] | str) -> None:
    """The view: a "Report" sheet (what, for whom, when, filters, KPIs), then one sheet per
    figure with its caption above its table."""
    book = xlsxwriter.Workbook(out, {**OPTIONS, "constant_memory": True})
    cells = Cells(book)
    taken: set[str] = set()
    first = book.add_worksheet(sheet_name("Report", taken))
    _write_cover(first, cells, report)
    for table in report.tables:
        sheet = book.add_worksheet(sheet_name(table.title, taken))
        sheet.write_string(0, 0, table.title, cells.formats["title"])
        sheet.write_string(1, 0, f"{table.caption} · {report.filters_text}")
        write_rows(sheet, cells, 3, table.columns, table.rows)
        sheet.freeze_panes(4, 0)
    book.close()


def _write_cover(sheet, cells: Cells, report: ViewReport) -> None:
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 6, 18)
    sheet.write_string(0, 0, f"Sales Pulse — {report.section}", cells.formats["title"])
    rows = [
        ("Section", report.section),
        ("Prepared for", report.user or "—"),
        ("Generated", report.generated_at.strftime("%Y-%m-%d %H:%M %Z").strip()),
        ("Granularity", report.granularity),
        ("Filters", report.filters_text),
    ]
    row = 2
    for label, value in rows:
        sheet.write_string(row, 0, label, cells.formats["label"])
        sheet.write_string(row, 1, value)
        row += 1
    for name, value in report.filter_lines:
        sheet.write_string(row, 1, name)
        sheet.write_string(row, 2, value)
        row += 1
    for note in report.notes:
        sheet.write_string(row, 0, "Note", cells.formats["label"])
        sheet.write_string(row, 1, note)
        row += 1
    row += 1
    sheet.write_string(row, 0, "KPIs", cells.formats["title"])
    columns = (
        Column("KPI"),
        Column("Value"),
        Column("Previous period"),
        Column("Change"),
        Column("Same period last year"),
        Column("Change vs last year"),
        Column("Note"),
    )
    row += 1
    for col, column in enumerate(columns):
        sheet.write_string(row, col, column.name, cells.formats["head"])
    for line in report.kpis:
        row += 1
        sheet.write_string(row, 0, line.label)
        cells.write(sheet, row, 1, line.value, line.kind)
        cells.write(sheet, row, 2, line.previous, line.kind)
        cells.write(sheet, row, 3, line.change, SHARE)
        cells.write(sheet, row, 4, line.last_year, line.kind)
        cells.write(sheet, row, 5, line.change_last_year, SHARE)
        if line.note:
            sheet.write_string(row, 6, line.note)


def write_rows(
    sheet, cells: Cells, first_row: int, columns: Sequence[Column], rows: Iterable[Sequence]
) -> int:
    """The header at `first_row`, then the rows in order (constant memory: each row is flushed
    as the next begins); returns the number of rows written."""
    cells.header(sheet, first_row, columns)
    kinds = [c.kind for c in columns]
    n = 0
    for n, values in enumerate(rows, start=1):
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            cells.write(sheet, first_row + n, col, value, kind)
    if n:
        sheet.autofilter(first_row, 0, first_row + n, len(columns) - 1)
    return n


def write_table_workbook(
    out: IO[bytes] | str,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    about: Sequence[tuple[str, str]] = (),
) -> int:
    """One table on one sheet, streamed (constant memory), under a few lines saying what it is
    (`about`: filters, user, time); returns the number of rows written."""
    book = xlsxwriter.Workbook(out, {**OPTIONS, "constant_memory": True})
    cells = Cells(book)
    sheet = book.add_worksheet(sheet_name(title, set()))
    sheet.write_string(0, 0, title, cells.formats["title"])
    for i, (label, value) in enumerate(about, start=1):
        sheet.write_string(i, 0, label, cells.formats["label"])
        sheet.write_string(i, 1, value)
    first = len(about) + 2
    n = write_rows(sheet, cells, first, columns, rows)
    sheet.freeze_panes(first + 1, 0)
    book.close()
    return n
