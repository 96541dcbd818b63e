"""The one report of an import of several files: the outcome, totals of what happened to the
orders (added / updated / unchanged, skipped, kept as saved in the app, rejected rows), then each
file's figures, its list of changes and its rejected rows. File and column names are user text:
they are only ever children strings, never markup."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from dashapp.importer import ImportReport

REJECTS_SHOWN = 1000
CHANGES_SHOWN = 50


def _refused(report: ImportReport) -> int:
    """Stored orders entered or edited in the app, which the import did not overwrite."""
    return report.orders_refused


def _totals(reports: list[ImportReport], committed: bool) -> list[tuple[str, str, int]]:
    """(key, label, count) of the stat boxes: what happened to the files' orders."""
    would = "" if committed else "Would be "

    def total(count: Callable[[ImportReport], int]) -> int:
        return sum(count(r) for r in reports)

    boxes = [
        ("added", f"{would}added".capitalize(), total(lambda r: r.orders_added)),
        ("updated", f"{would}updated".capitalize(), total(lambda r: r.orders_updated)),
        ("unchanged", "Unchanged", total(lambda r: r.orders_unchanged)),
        ("skipped", "Skipped, already stored", total(lambda r: r.orders_skipped)),
        ("kept", "Kept as saved in the app", total(_refused)),
        ("rejected", "Rejected rows", total(lambda r: len(r.rejects))),
    ]
    return [b for b in boxes if b[0] not in ("skipped", "kept") or b[2]]


def _money(cents: Decimal) -> str:
    value = (cents / 100).normalize()
    text = f"{value:f}"
    return text if text.startswith("-") else f"+{text}"


def _lines(numbers: Sequence[int], shown: int = 8) -> str:
    more = f", … ({len(numbers) - shown:,} more)" if len(numbers) > shown else ""
    return ", ".join(f"{n:,}" for n in numbers[:shown]) + more


def _file_figures(report: ImportReport) -> list[tuple[str, str]]:
    """(what, value) rows of one file's part of the report."""
    would = "" if report.committed else "would be "
    rows = [("Format", f"{report.format_label} ({report.encoding})")]
    if report.date_format:
        rows.append(("Dates read as", report.date_format))
    if report.number_format:
        rows.append(("Numbers read as", report.number_format))
    rows += [
        ("Rows read", f"{report.rows_read:,}"),
        (f"Orders {would}added", f"{report.orders_added:,} ({report.lines_added:,} lines)"),
        (f"Orders {would}updated", f"{report.orders_updated:,}"),
        ("Orders unchanged", f"{report.orders_unchanged:,}"),
    ]
    if report.orders_skipped:
        rows.append(("Orders already stored, skipped", f"{report.orders_skipped:,}"))
    if _refused(report):
        rows.append(("Orders saved in the app, not overwritten", f"{_refused(report):,}"))
    rows.append(
        (
            f"Customers / products {would}added",
            f"{report.customers_added:,} / {report.products_added:,}",
        )
    )
    if report.names_corrected:
        rows.append(("Customer and product names corrected", f"{report.names_corrected:,}"))
    if report.repeated_headers:
        n = len(report.repeated_headers)
        rows.append(
            ("Repeated header lines skipped", f"{n:,} (line {_lines(report.repeated_headers)})")
        )
    if report.duplicates:
        what = "dropped" if report.duplicates_dropped else "kept"
        pairs = [f"{a:,} = {b:,}" for a, b in report.duplicates[:8]]
        more = ", …" if len(report.duplicates) > 8 else ""
        rows.append(
            (
                f"Exact duplicate rows, {what}",
                f"{len(report.duplicates):,} (line {', '.join(pairs)}{more})",
            )
        )
    if report.rounded_lines:
        rows.append(
            (
                "Amounts rounded to the cent",
                f"{report.rounded_lines:,} lines, total difference {_money(report.rounding_cents)}",
            )
        )
    if report.ignored_columns:
        rows.append(("Columns not imported", ", ".join(report.ignored_columns)))
    rows.append(("Rejected rows", f"{len(report.rejects):,}"))
    return rows


def _file_report(report: ImportReport, index: int) -> html.Section:
    parts: list = [
        html.H3(report.file, className="import-file-name"),
        html.Table(
            html.Tbody(
                [
                    html.Tr([html.Th(what, scope="row"), html.Td(value)])
                    for what, value in _file_figures(report)
                ]
            ),
            className="table table-sm import-figures mb-2",
        ),
    ]
    if report.changes:
        shown = report.changes[:CHANGES_SHOWN]
        more = len(report.changes) - len(shown)
        parts += [
            html.H4("What changed", className="subhead mb-1"),
            html.Ul(
                [html.Li(change) for change in shown]
                + ([html.Li(f"… and {more:,} more", className="text-muted")] if more else []),
                className="import-changes small",
                id=f"import-changes-{index}",
            ),
        ]
    if report.rejects:
        shown_rejects = report.rejects[:REJECTS_SHOWN]
        note = (
            f"The first {REJECTS_SHOWN:,} of {len(report.rejects):,} rejected rows."
            if len(report.rejects) > REJECTS_SHOWN
            else "Rejected rows, with their line in the file (the header is line 1)."
        )
        parts += [
            html.H4("Rejected rows", className="subhead mb-1"),
            html.P(note, className="small text-muted mb-1"),
            dag.AgGrid(
                id=f"import-rejects-{index}",
                columnDefs=[
                    {"field": "line", "headerName": "Line", "width": 90},
                    {"field": "reason", "headerName": "Reason", "flex": 1, "minWidth": 240},
                ],
                rowData=[{"line": r.line, "reason": r.reason} for r in shown_rejects],
                className="ag-theme-quartz import-rejects",
                style={"height": "240px"},
            ),
        ]
    return html.Section(parts, className="import-file-report", id=f"import-file-report-{index}")


def _outcome(reports: list[ImportReport]) -> tuple[str, str]:
    if all(r.dry_run for r in reports):
        return "Dry run: nothing was written", "info"
    if all(r.committed for r in reports):
        return "Import committed", "success"
    undone = ", ".join(r.file for r in reports if not r.committed)
    return f"Strict mode: rows were rejected, nothing of {undone} was imported", "warning"


def render_report(reports: list[ImportReport], warnings: Sequence[str] = ()) -> html.Div:
    """One report for all the files: the outcome, warnings about the data as a whole (years
    between the file and the stored orders: importer.span), the totals, each file's part."""
    title, color = _outcome(reports)
    committed = all(r.committed for r in reports)
    would = "" if committed else "would be "
    files = f"{len(reports)} files" if len(reports) > 1 else "1 file"
    notes = [
        files,
        f"{sum(r.rows_read for r in reports):,} rows read",
        f"{sum(r.lines_added for r in reports):,} lines {would}added",
    ]
    skipped_headers = sum(len(r.repeated_headers) for r in reports)
    if skipped_headers:
        notes.append(f"{skipped_headers:,} repeated header lines skipped")
    duplicates = sum(len(r.duplicates) for r in reports)
    if duplicates:
        notes.append(f"{duplicates:,} exact duplicate rows")
    if any(r.rounded_lines for r in reports):
        notes.append(f"rounding {_money(sum(r.rounding_cents for r in reports))}")
    if any(_refused(r) for r in reports):
        notes.append("orders saved in the app were not overwritten: see each file below")
    boxes = [
        html.Div(
            [html.Div(label, className="kpi-label"), html.Div(f"{n:,}", className="stat")],
            className="stat-box",
            id=f"import-total-{key}",
        )
        for key, label, n in _totals(reports, committed)
    ]
    return html.Div(
        [
            dbc.Alert(html.Strong(title), color=color, className="mb-2", id="import-outcome"),
            *(dbc.Alert(w, color="warning", className="mb-2 import-span") for w in warnings),
            html.H3("Orders, all files", className="subhead mb-2"),
            html.Div(boxes, className="stat-row", id="import-totals"),
            html.P(" · ".join(notes), className="small text-muted mt-2", id="import-notes"),
            *[_file_report(r, i) for i, r in enumerate(reports)],
        ]
    )
