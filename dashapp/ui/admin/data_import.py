"""Admin › Import: upload a CSV, preview it, correct the column mapping, dry run, import."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.analytics.anomalies import check_after_import
from dashapp.importer import ImportFileError, ImportReport, import_csv
from dashapp.importer.preview import UploadPreview, preview_upload
from dashapp.ui import ids
from dashapp.ui.uploads import (
    MAX_UPLOAD_BYTES,
    UploadError,
    decode_contents,
    discard_upload,
    save_upload,
    upload_callback,
    upload_path,
)
from dashapp.web.access import guarded

log = logging.getLogger(__name__)
CSV_SUFFIX = ".csv"
ACCEPTED = (".csv", ".txt", ".tsv")
REJECTS_SHOWN = 1000
# The fields offered in the mapping editor: (field, label, required).
FIELDS = [
    ("order_id", "Order id", True),
    ("order_date", "Order date", True),
    ("customer", "Customer", True),
    ("sku", "Product code", False),
    ("product_name", "Product name", False),
    ("category", "Category", False),
    ("quantity", "Quantity", False),
    ("unit_price", "Unit price", False),
    ("amount", "Line amount", False),
    ("discount", "Discount", False),
    ("country", "Country", False),
    ("status", "Status", False),
    ("customer_email", "Customer email", False),
]


def layout() -> html.Div:
    upload = dcc.Upload(
        id=ids.IMPORT_UPLOAD,
        children=html.Div(
            [
                html.Strong("Drop a CSV file here"),
                html.Span(" or "),
                html.Span("choose one", className="link-like"),
                html.Div(
                    f"Order exports up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; "
                    "UTF-8, cp1252, latin-1 or cp850",
                    className="small text-muted",
                ),
            ]
        ),
        className="upload-zone",
        accept=",".join(ACCEPTED),
        multiple=False,
    )
    return html.Div(
        [
            dcc.Store(id=ids.IMPORT_FILE),
            _card("1 · Upload", [upload, html.Div(id=ids.IMPORT_FILE_INFO, className="mt-2")]),
            _card(
                "2 · Check the columns",
                [
                    html.Div(
                        "Upload a file to see its first rows and the detected columns.",
                        id=ids.IMPORT_PREVIEW,
                        className="text-muted small",
                    ),
                    html.Div(id=ids.IMPORT_MAPPING),
                    html.Div(id=ids.IMPORT_MAPPING_STATUS, className="mt-2"),
                ],
            ),
            _card(
                "3 · Dry run, then import",
                [
                    html.P(
                        "A dry run reads and checks every row and lists the rejected ones "
                        "without writing anything. The import runs in one transaction; "
                        "orders already present are skipped.",
                        className="small text-muted",
                    ),
                    dbc.Checkbox(
                        id=ids.IMPORT_STRICT,
                        label="Strict: import nothing if any row is rejected",
                        value=False,
                        class_name="mb-2",
                    ),
                    html.Div(
                        [
                            dbc.Button(
                                "Dry run",
                                id=ids.IMPORT_DRY_RUN,
                                color="secondary",
                                outline=True,
                                disabled=True,
                            ),
                            dbc.Button("Import", id=ids.IMPORT_RUN, color="primary", disabled=True),
                        ],
                        className="d-flex gap-2 flex-wrap",
                    ),
                    html.Div(
                        [
                            dbc.Progress(value=100, striped=True, animated=True, class_name="mb-1"),
                            html.Div(
                                "Working… large files take a minute; the page stays usable.",
                                className="small text-muted",
                            ),
                        ],
                        id=ids.IMPORT_PROGRESS,
                        className="import-progress d-none",
                        role="status",
                    ),
                    html.Div(id=ids.IMPORT_REPORT, className="mt-3", **{"aria-live": "polite"}),
                ],
            ),
        ],
        className="admin-pane",
    )


def _card(title: str, body: list) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody([html.H2(title, className="card-title mb-3"), *body]),
        className="chart-card admin-card",
    )


def _mapping_from(values: list, states: list[dict]) -> dict[str, str]:
    return {s["id"]["field"]: v for s, v in zip(states, values, strict=False) if v}


def _preview_grid(found: UploadPreview) -> dag.AgGrid:
    return dag.AgGrid(
        id="import-preview-grid",
        columnDefs=[{"field": c, "headerName": c} for c in found.columns],
        rowData=found.rows,
        defaultColDef={"resizable": True, "minWidth": 110, "sortable": False},
        dashGridOptions={"domLayout": "autoHeight", "suppressFieldDotNotation": True},
        className="ag-theme-quartz preview-grid",
        style={"height": None},
    )


def _mapping_editor(found: UploadPreview) -> html.Div:
    options = [{"label": c, "value": c.strip()} for c in found.columns if c.strip()]
    fields = []
    for field, label, required in FIELDS:
        fields.append(
            html.Div(
                [
                    html.Label(
                        [label, html.Span(" *", className="text-danger") if required else None],
                        htmlFor=f"map-{field}",
                        className="filter-label",
                    ),
                    dcc.Dropdown(
                        id=ids.map_field(field),
                        options=options,
                        value=found.mapping.get(field),
                        placeholder="not in the file",
                        clearable=True,
                    ),
                ],
                className="filter-field",
            )
        )
    return html.Div(
        [
            html.H3("Column for each field", className="subhead mb-2"),
            html.P(
                "Detected columns are filled in; pick the right column where a field is "
                "empty or wrong. * required; a product code or name and a line amount or "
                "unit price are needed too.",
                className="small text-muted",
            ),
            html.Div(fields, className="filter-grid mapping-grid"),
        ]
    )


def _status(found: UploadPreview) -> dbc.Alert:
    if found.problem:
        return dbc.Alert(found.problem, color="warning", className="mb-0 small")
    used = ", ".join(f"{f} ← {c}" for f, c in found.mapping.items())
    return dbc.Alert(
        [html.Strong("Ready: "), f"{found.label}. Columns used: {used}."],
        color="success",
        className="mb-0 small",
        id="import-ready",
    )


def _report(report: ImportReport) -> html.Div:
    if report.dry_run:
        title, color = "Dry run: nothing was written", "info"
    elif report.committed:
        title, color = "Import committed", "success"
    else:
        title, color = "Strict mode: rows were rejected, nothing was imported", "warning"
    verb = "added" if report.committed else "would be added"
    stats = [
        ("Rows read", report.rows_read),
        (f"Orders {verb}", report.orders_added),
        (f"Lines {verb}", report.lines_added),
        ("Orders already present", report.orders_skipped),
        (f"Customers {verb}", report.customers_added),
        (f"Products {verb}", report.products_added),
        ("Rejected rows", len(report.rejects)),
    ]
    parts: list = [
        dbc.Alert(html.Strong(title), color=color, className="mb-2", id="import-outcome"),
        html.Div(
            [
                html.Div(
                    [html.Div(label, className="kpi-label"), html.Div(f"{n:,}", className="stat")],
                    className="stat-box",
                    id=f"import-stat-{i}",
                )
                for i, (label, n) in enumerate(stats)
            ],
            className="stat-row",
            id="import-stats",
        ),
    ]
    if report.rejects:
        shown = report.rejects[:REJECTS_SHOWN]
        note = (
            f"The first {REJECTS_SHOWN:,} of {len(report.rejects):,} rejected rows."
            if len(report.rejects) > REJECTS_SHOWN
            else "Rejected rows, with their line in the file (the header is line 1)."
        )
        parts += [
            html.H3("Rejected rows", className="subhead mt-3"),
            html.P(note, className="small text-muted mb-1"),
            dag.AgGrid(
                id="import-rejects",
                columnDefs=[
                    {"field": "line", "headerName": "Line", "width": 90},
                    {"field": "reason", "headerName": "Reason", "flex": 1, "minWidth": 240},
                ],
                rowData=[{"line": r.line, "reason": r.reason} for r in shown],
                className="ag-theme-quartz",
                style={"height": "280px"},
            ),
        ]
    return html.Div(parts)


def _check_after_import(engine: Engine, report) -> None:
    """Run the anomaly check after a committed import (as the CLI does)."""
    try:
        check_after_import(engine, report)
    except Exception:  # the import is committed; a failed check must not hide that
        log.exception("anomaly check after import failed")


def import_upload(engine: Engine, token: str | None, *, dry_run: bool, **options) -> ImportReport:
    """Import (or dry-run) the uploaded CSV. A real run deletes the file when it ends, whatever
    the outcome; a dry run keeps it for the import that follows."""
    path = upload_path(token, CSV_SUFFIX)
    try:
        return import_csv(engine, path, dry_run=dry_run, **options)
    finally:
        if not dry_run:
            discard_upload(token, CSV_SUFFIX)


def register_callbacks(app: Dash, engine: Engine) -> None:
    @upload_callback(
        app,
        "data:import",
        MAX_UPLOAD_BYTES,
        Output(ids.IMPORT_FILE, "data"),
        Output(ids.IMPORT_FILE_INFO, "children"),
        Output(ids.IMPORT_PREVIEW, "children"),
        Output(ids.IMPORT_MAPPING, "children"),
        Output(ids.IMPORT_DRY_RUN, "disabled"),
        Output(ids.IMPORT_RUN, "disabled"),
        Output(ids.IMPORT_REPORT, "children", allow_duplicate=True),
        Input(ids.IMPORT_UPLOAD, "contents"),
        State(ids.IMPORT_UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    def receive_upload(contents, filename):
        """Keep the file server-side; show its format, first rows and detected mapping."""
        name = filename or "the file"
        try:
            if Path(name).suffix.lower() not in ACCEPTED:
                raise UploadError(f"{name} is not a CSV file (expected .csv, .txt or .tsv).")
            data = decode_contents(contents)
            if b"\x00" in data[:4096]:
                raise UploadError(f"{name} is not a text CSV file.")
            found = preview_upload(data)
            token = save_upload(data, CSV_SUFFIX)
        except (UploadError, ImportFileError) as exc:
            alert = dbc.Alert(str(exc), color="danger", className="mb-0", id="import-file-error")
            return None, alert, no_update, None, True, True, None
        info = dbc.Alert(
            [
                html.Strong(name),
                f" · {len(data):,} bytes · {found.label} · {found.encoding}",
            ],
            color="light",
            className="mb-0 small",
            id="import-file-name",
        )
        preview = html.Div(
            [
                html.H3(f"First {len(found.rows)} rows", className="subhead mb-2"),
                _preview_grid(found),
            ]
        )
        return token, info, preview, _mapping_editor(found), False, False, None

    @guarded(
        app,
        "data:import",
        Output(ids.IMPORT_MAPPING_STATUS, "children"),
        Input(ids.map_field(ALL), "value"),
        State(ids.map_field(ALL), "id"),
        State(ids.IMPORT_FILE, "data"),
    )
    def check_mapping(values, field_ids, token):
        """Re-detect with the chosen columns: say what is still missing, or that it is ready."""
        if not token or not field_ids:
            return None
        try:
            data = upload_path(token, CSV_SUFFIX).read_bytes()
            mapping = {i["field"]: v for i, v in zip(field_ids, values, strict=True) if v}
            return _status(preview_upload(data, mapping))
        except (UploadError, ImportFileError) as exc:
            return dbc.Alert(str(exc), color="danger", className="mb-0 small")

    secret = app.server.secret_key

    @guarded(
        app,
        "data:import",
        Output(ids.IMPORT_REPORT, "children"),
        Output(ids.REFRESH_TOKEN, "data", allow_duplicate=True),
        Input(ids.IMPORT_DRY_RUN, "n_clicks"),
        Input(ids.IMPORT_RUN, "n_clicks"),
        State(ids.IMPORT_FILE, "data"),
        State(ids.map_field(ALL), "value"),
        State(ids.map_field(ALL), "id"),
        State(ids.IMPORT_STRICT, "value"),
        State(ids.ADMIN_USER, "data"),
        background=True,
        running=[
            # className, not disabled: the upload callback owns `disabled` (no file, no run).
            (Output(ids.IMPORT_DRY_RUN, "className"), "pe-none opacity-50", ""),
            (Output(ids.IMPORT_RUN, "className"), "pe-none opacity-50", ""),
            (Output(ids.IMPORT_PROGRESS, "className"), "import-progress", "import-progress d-none"),
        ],
        prevent_initial_call=True,
    )
    def run_import(_dry, _run, token, values, field_ids, strict, signed):
        """Dry run or import in a background job, so the page never freezes."""
        from dashapp.ui.admin import signed_user

        # A newly rendered page can fire this with no click at all (n_clicks None).
        if ctx.triggered_id not in (ids.IMPORT_DRY_RUN, ids.IMPORT_RUN) or not (_dry or _run):
            raise PreventUpdate
        dry_run = ctx.triggered_id == ids.IMPORT_DRY_RUN
        mapping = {i["field"]: v for i, v in zip(field_ids or [], values or [], strict=True) if v}
        try:
            report = import_upload(
                engine,
                token,
                mapping=mapping or None,
                strict=bool(strict),
                dry_run=dry_run,
                created_by=signed_user(secret, signed),
            )
        except (UploadError, ImportFileError) as exc:
            return dbc.Alert(str(exc), color="danger", id="import-outcome"), no_update
        except Exception:
            log.exception("import failed")
            return (
                dbc.Alert(
                    "The import failed and nothing was written. Check the server log.",
                    color="danger",
                    id="import-outcome",
                ),
                no_update,
            )
        if not report.committed:
            return _report(report), no_update
        _check_after_import(engine, report)
        return _report(report), datetime.now().isoformat(timespec="seconds")
