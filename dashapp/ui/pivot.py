"""Pivot section (SPEC §4.8): rows and columns picked from the dimensions (time periods
included), one measure, totals, CSV export, under the page filters.

The table is dashapp.analytics.pivot's answer (the same as /api/pivot and the `pivot` command);
the grid's columns are keyed by position (m0, m1, ... for money; c0, ... for counts; p0, ... for
percent), so a value that happens to be called "Total" cannot overwrite another column, and a
new measure's kind makes new columns (AG Grid keeps a column's old formatter otherwise).
"""

from __future__ import annotations

import re

import dash_ag_grid as dag
from dash import Dash, Input, Output, State, dcc, html
from sqlalchemy import Engine

from dashapp.analytics import dimensions
from dashapp.analytics.pivot import DIMENSIONS, MEASURES, Pivot, PivotError, as_table, pivot
from dashapp.analytics.pivot import MAX_COLUMNS as PIVOT_MAX_COLUMNS
from dashapp.analytics.pivot import MAX_ROWS as PIVOT_MAX_ROWS
from dashapp.csv_writer import csv_document
from dashapp.reports.tables import pivot_workbook
from dashapp.ui import drill, ids
from dashapp.ui.parts import labelled, secondary_button, titled_card
from dashapp.ui.shell import LISTED_CONTROLS, Section, filters_of
from dashapp.ui.text import describe
from dashapp.ui.triggers import on_click

DATA_INPUTS = [Input(ids.VIEW, "data"), Input(ids.REFRESH_TOKEN, "data")]
PICKERS = (ids.PIVOT_ROWS, ids.PIVOT_COLUMNS, ids.PIVOT_MEASURE)  # rows, columns, measure
NO_COLUMNS = "none"
MAX_ROWS = 200
MAX_COLUMNS = 36

# A null cell is a slice without lines ("–"), or for margin one whose lines have no cost ("n/a").
_FORMATS = {
    "money": "d3.format('$,.2f')(params.value)",
    "count": "d3.format(',')(params.value)",
    "percent": "d3.format(',.2f')(params.value) + ' %'",
}


def _formatter(kind: str) -> dict:
    empty = "'n/a'" if kind == "percent" else "'–'"
    return {"function": f"params.value == null ? {empty} : {_FORMATS[kind]}"}


def _picker(id_: str, label: str, options: list[dict], value: str) -> html.Div:
    dropdown = dcc.Dropdown(
        id=id_, options=options, value=value, clearable=False, className="pivot-picker"
    )
    return labelled(label, dropdown, "pivot-control", id_)


def layout() -> html.Div:
    dims = [{"label": d.label, "value": d.name} for d in DIMENSIONS.values()]
    measures = [{"label": m.label, "value": m.name} for m in MEASURES.values()]
    none = {"label": "None", "value": NO_COLUMNS}
    controls = html.Div(
        [
            _picker(ids.PIVOT_ROWS, "Rows", dims, "category"),
            _picker(ids.PIVOT_COLUMNS, "Columns", [none, *dims], "year"),
            _picker(ids.PIVOT_MEASURE, "Measure", measures, "revenue"),
            secondary_button("Export CSV", ids.PIVOT_EXPORT, size="sm"),
            secondary_button("Export XLSX", ids.PIVOT_XLSX, size="sm"),
            dcc.Download(id=ids.PIVOT_DOWNLOAD),
            dcc.Download(id=ids.PIVOT_XLSX_DOWNLOAD),
        ],
        className="pivot-controls d-flex flex-wrap gap-3 align-items-end",
    )
    grid = dag.AgGrid(
        id=ids.PIVOT_GRID,
        columnDefs=[],
        rowData=[],
        defaultColDef={"sortable": True, "resizable": True, "suppressMovable": True},
        dashGridOptions={"domLayout": "autoHeight", "suppressCellFocus": True},
        style={"width": "100%"},
        className="ag-theme-alpine pivot-grid",
    )
    caption = html.P(id=ids.PIVOT_CAPTION, className="chart-caption mt-2 mb-2")
    card = titled_card("Pivot", controls, caption, grid, title_class="h5 card-title")
    return html.Div([card, drill.panel()], className="section-stack pivot")


# Every page filter applies; the granularity does not (the pivot's own time dimensions do).
SECTION = Section(
    key="pivot",
    label="Pivot",
    layout=layout,
    filters=("dates", "category", "product", "country", "customer", "status", *LISTED_CONTROLS),
)


def _key(p: Pivot, i: int) -> str:
    return f"{p.kind[0]}{i}"


def _columns(p: Pivot) -> list[dict]:
    value_format = _formatter(p.kind)
    defs = [
        {
            "field": _key(p, 0),
            "headerName": DIMENSIONS[p.rows].label,
            "pinned": "left",
            "width": 130,
            "tooltipField": _key(p, 0),
        }
    ]
    for i, label in enumerate(p.column_labels, start=1):
        defs.append(
            {
                "field": _key(p, i),
                "headerName": label,
                "type": "rightAligned",
                "valueFormatter": value_format,
                "minWidth": 100,
                "flex": 1,
            }
        )
    defs.append(
        {
            "field": _key(p, len(p.column_labels) + 1),
            "headerName": "Total",
            "type": "rightAligned",
            "valueFormatter": value_format,
            "pinned": "right",
            "width": 110,
            "cellClass": ["ag-right-aligned-cell", "pivot-total"],
        }
    )
    return defs


def _json(value):
    return float(value) if value is not None and not isinstance(value, int | str) else value


def _records(p: Pivot, body: list[list]) -> list[dict]:
    return [{_key(p, i): _json(v) for i, v in enumerate(row)} for row in body]


def _caption(p: Pivot, scope: str) -> str:
    measure = MEASURES[p.measure].label
    by = DIMENSIONS[p.rows].label
    if p.columns:
        by += f" × {DIMENSIONS[p.columns].label}"
    parts = [f"{measure} by {by}", scope]
    hidden = []
    if p.rows_found > len(p.row_labels):
        hidden.append(f"{len(p.row_labels):,} of {p.rows_found:,} rows")
    if p.columns_found > len(p.column_labels):
        hidden.append(f"{len(p.column_labels):,} of {p.columns_found:,} columns")
    if hidden:
        parts.append(f"showing {' and '.join(hidden)}, largest first; totals count them all")
    if p.measure in ("profit", "margin"):
        parts.append("over the lines whose cost is known; n/a where none is")
    parts.append("cancelled orders excluded")
    parts.append("click a cell to see its orders")
    return " · ".join(parts)


def _asked(rows, columns, measure) -> tuple[str, str | None, str]:
    return rows, (None if columns in (None, NO_COLUMNS) else columns), measure


def _file_name(p: Pivot) -> str:
    name = f"pivot-{p.measure}-by-{p.rows}" + (f"-by-{p.columns}" if p.columns else "")
    return re.sub(r"[^a-z0-9_-]", "", name.lower()) + ".csv"


def register_callbacks(app: Dash, engine: Engine) -> None:
    drill.register_pivot(app, engine)

    def answer(view, rows, columns, measure, everything=False) -> tuple[Pivot, str]:
        """The pivot of the page's view; the export takes as much as the pivot gives."""
        f = filters_of(view)
        with engine.connect() as conn:
            p = pivot(
                conn,
                f,
                *_asked(rows, columns, measure),
                max_rows=PIVOT_MAX_ROWS if everything else MAX_ROWS,
                max_columns=PIVOT_MAX_COLUMNS if everything else MAX_COLUMNS,
            )
            names = dimensions.customer_labels(conn, f.customers)
        return p, describe(f, names)

    @app.callback(
        Output(ids.PIVOT_GRID, "columnDefs"),
        Output(ids.PIVOT_GRID, "rowData"),
        Output(ids.PIVOT_GRID, "dashGridOptions"),
        Output(ids.PIVOT_CAPTION, "children"),
        *DATA_INPUTS,
        *[Input(picker, "value") for picker in PICKERS],
    )
    def update_pivot(view, _token, rows, columns, measure):
        options = {"domLayout": "autoHeight", "suppressCellFocus": True}
        try:
            p, scope = answer(view, rows, columns, measure)
        except PivotError as exc:  # a forged or stale choice: say so, show nothing
            return [], [], {**options, "pinnedBottomRowData": []}, str(exc)
        header, body = as_table(p)
        records = _records(p, body)
        if not p.row_labels:
            caption = f"No orders under these filters · {scope}"
            return _columns(p), [], {**options, "pinnedBottomRowData": []}, caption
        options["pinnedBottomRowData"] = records[-1:]
        return _columns(p), records[:-1], options, _caption(p, scope)

    @on_click(
        app,
        None,
        ids.PIVOT_EXPORT,
        [Output(ids.PIVOT_DOWNLOAD, "data")],
        [State(ids.VIEW, "data"), *[State(picker, "value") for picker in PICKERS]],
    )
    def export_pivot(_clicks, view, rows, columns, measure):
        try:
            p, _scope = answer(view, rows, columns, measure, everything=True)
        except PivotError:
            return None
        header, body = as_table(p)
        return dcc.send_string(csv_document(header, body), _file_name(p), type="text/csv")

    @on_click(
        app,
        None,
        ids.PIVOT_XLSX,
        [Output(ids.PIVOT_XLSX_DOWNLOAD, "data")],
        [State(ids.VIEW, "data"), *[State(picker, "value") for picker in PICKERS]],
    )
    def export_pivot_xlsx(_clicks, view, rows, columns, measure):
        """The same table as the CSV, as a workbook with the filters above it."""
        try:
            p, scope = answer(view, rows, columns, measure, everything=True)
        except PivotError:
            return None
        about = [("Measure", MEASURES[p.measure].label), ("Filters", scope)]
        name = _file_name(p).removesuffix(".csv") + ".xlsx"
        return dcc.send_bytes(lambda out: pivot_workbook(out, p, about), name)
