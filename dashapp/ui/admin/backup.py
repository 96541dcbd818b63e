"""Admin › Backup & restore: download a backup, list the server's backups, restore one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.backup import (
    DUMP_SUFFIX,
    SQLITE_SUFFIX,
    BackupError,
    BackupInfo,
    RestoreReport,
    backup,
    backup_dir,
    backup_name,
    backup_path,
    list_backups,
    restore,
    verify_backup,
)
from dashapp.ui import ids
from dashapp.ui.counts import counted
from dashapp.ui.parts import ADMIN_CARD, dialog, feedback, secondary_button, titled_card
from dashapp.ui.triggers import on_click
from dashapp.ui.uploads import (
    UploadError,
    decode_contents,
    discard_upload,
    save_upload,
    upload_callback,
    upload_path,
)
from dashapp.web.access import current_account, guarded
from dashapp.web.backup_routes import DOWNLOAD_LISTED, DOWNLOAD_NEW

UPLOAD_SUFFIX = ".backup"
# A backup upload may be bigger than a CSV, but it crosses the wire as base64 inside one JSON
# callback body held in a worker's memory: larger backups restore from the server's backup
# folder (listed below) or with `python -m dashapp restore`.
MAX_BACKUP_UPLOAD = 256 * 1024 * 1024


def _card(title: str, lead: str, *body) -> dbc.Card:
    return titled_card(
        title,
        html.P(lead, className="small text-muted"),
        *body,
        title_class="card-title mb-2",
        class_name=ADMIN_CARD,
    )


def _back_up_card() -> dbc.Card:
    # A form POST: making a backup writes a file, so no GET link (prefetch, crawler or
    # replay) may start one.
    download = html.Form(
        html.Button(
            "Download a backup", type="submit", className="btn btn-primary", id="backup-download"
        ),
        action=DOWNLOAD_NEW,
        method="POST",
        id="backup-download-form",
    )
    return _card(
        "Back up",
        "A consistent copy of the whole database — orders, catalog, users and audit log — made "
        "while the app keeps running. SQLite databases are copied with SQLite's online backup "
        "API; PostgreSQL is written as Sales Pulse's own portable dump (.jsonl.gz).",
        html.Div(
            [download, secondary_button("Back up on the server", ids.BACKUP_NOW)],
            className="d-flex gap-2 flex-wrap",
        ),
    )


def _restore_card() -> dbc.Card:
    drop = html.Div(
        [
            html.Strong("Drop a backup file here"),
            html.Span(" or "),
            html.Span("choose one", className="link-like"),
            html.Div(
                f"{SQLITE_SUFFIX} or {DUMP_SUFFIX} made by Sales Pulse",
                className="small text-muted",
            ),
        ]
    )
    return _card(
        "Restore",
        "Restoring replaces ALL current data with the backup's. The current state is backed up "
        "first (auto-before-restore-…), and a damaged or foreign file is refused without "
        "changing anything.",
        dcc.Upload(
            id=ids.BACKUP_UPLOAD, children=drop, className="upload-zone mb-3", multiple=False
        ),
        html.H3("Backups on the server", className="subhead mb-2"),
        html.Div(id=ids.BACKUP_LIST),
    )


def layout() -> html.Div:
    replace = dbc.Button("Replace all data", id=ids.RESTORE_CONFIRM, color="danger", disabled=True)
    return html.Div(
        [
            dcc.Store(id=ids.BACKUP_PENDING),
            _back_up_card(),
            html.Div(id=ids.BACKUP_MESSAGE, **{"aria-live": "polite"}),
            _restore_card(),
            dialog(
                ids.RESTORE_MODAL,
                "Restore this backup?",
                dbc.ModalBody(id=ids.RESTORE_MODAL_BODY),
                [secondary_button("Cancel", ids.RESTORE_CANCEL), replace],
                backdrop="static",
            ),
        ],
        className="admin-pane",
    )


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return ""


def _backup_table(folder: Path) -> object:
    files = list_backups(folder)
    if not files:
        return html.P(
            "No backups on the server yet. Use “Back up on the server” above.",
            className="small text-muted mb-0",
        )
    # A list rather than a table: long file names stay readable at 400 px.
    items = [
        html.Li(
            [
                html.Div(
                    [
                        html.Div(f.name, className="backup-name"),
                        html.Div(
                            [
                                f"{f.modified:%d %b %Y %H:%M} · {_size(f.size)}",
                                dbc.Badge(
                                    "automatic",
                                    color="light",
                                    text_color="secondary",
                                    className="ms-2",
                                )
                                if f.automatic
                                else None,
                            ],
                            className="small text-muted",
                        ),
                    ],
                    className="me-auto",
                ),
                html.Div(
                    [
                        html.A(
                            "Download",
                            href=DOWNLOAD_LISTED + f.name,
                            className="btn btn-sm btn-outline-secondary",
                        ),
                        dbc.Button(
                            "Restore…",
                            id=ids.backup_restore(f.name),
                            size="sm",
                            color="danger",
                            outline=True,
                            n_clicks=0,
                        ),
                    ],
                    className="d-flex gap-1",
                ),
            ],
            className="list-group-item d-flex flex-wrap gap-2 align-items-center",
        )
        for f in files
    ]
    return html.Ul(items, className="list-group backup-list")


def _describe(info: BackupInfo, label: str) -> list:
    return [
        html.P([html.Strong(label), f" · schema {info.revision} · {_size(info.size)}"]),
        html.P(
            f"It holds {counted(info.counts.get('orders', 0), 'order')}, "
            f"{counted(info.counts.get('customers', 0), 'customer')}, "
            f"{counted(info.counts.get('products', 0), 'product')} and "
            f"{counted(info.counts.get('users', 0), 'user')}."
        ),
        dbc.Alert(
            "All current data, users included, will be replaced. The current state is backed "
            "up first, so this can be undone by restoring that file.",
            color="warning",
            className="mb-0 small",
        ),
    ]


def _message(text, color: str) -> dbc.Alert:
    return feedback(text, color, id="backup-alert")


def restore_pending(engine: Engine, pending: dict, user: str | None) -> RestoreReport:
    """Restore the confirmed file: an upload (deleted when the restore ends, whatever the
    outcome: it holds every password hash) or a backup from the server's folder."""
    token = pending.get("upload")
    try:
        if token:
            path = upload_path(token, UPLOAD_SUFFIX)
        else:
            path = backup_path(None, pending.get("name") or "")
        return restore(engine, path, user)
    finally:
        discard_upload(token, UPLOAD_SUFFIX)


def register_callbacks(app: Dash, engine: Engine) -> None:
    @guarded(
        app,
        "data:backup",
        Output(ids.BACKUP_LIST, "children"),
        Input(ids.BACKUP_MESSAGE, "children"),
    )
    def show_backups(_message_shown):
        return _backup_table(backup_dir())

    @on_click(app, "data:backup", ids.BACKUP_NOW, [Output(ids.BACKUP_MESSAGE, "children")])
    def back_up_now(_clicks):
        try:
            info = backup(engine, backup_dir() / backup_name(engine))
        except BackupError as exc:
            return _message(f"The backup failed: {exc}", "danger")
        return _message(
            f"Backup made: {info.path.name} ({counted(info.orders, 'order')}, {_size(info.size)}).",
            "success",
        )

    @upload_callback(
        app,
        "data:backup",
        MAX_BACKUP_UPLOAD,
        Output(ids.BACKUP_PENDING, "data"),
        Output(ids.RESTORE_MODAL, "is_open"),
        Output(ids.RESTORE_MODAL_BODY, "children"),
        Output(ids.BACKUP_MESSAGE, "children", allow_duplicate=True),
        Output(ids.RESTORE_CONFIRM, "disabled", allow_duplicate=True),
        Input(ids.backup_restore(ALL), "n_clicks"),
        Input(ids.BACKUP_UPLOAD, "contents"),
        State(ids.BACKUP_UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    def ask_to_restore(_clicks, contents, filename):
        """Check the chosen file first; only a good one opens the confirmation."""
        trigger = ctx.triggered_id
        try:
            if trigger == ids.BACKUP_UPLOAD:
                data = decode_contents(contents, MAX_BACKUP_UPLOAD)
                token = save_upload(data, UPLOAD_SUFFIX)
                try:
                    info = verify_backup(upload_path(token, UPLOAD_SUFFIX))
                except BackupError:
                    discard_upload(token, UPLOAD_SUFFIX)  # refused: keep no copy
                    raise
                pending, label = {"upload": token, "label": filename or "upload"}, filename
            elif isinstance(trigger, dict) and ctx.triggered[0]["value"]:
                info = verify_backup(backup_path(None, trigger["name"]))
                pending, label = (
                    {"name": trigger["name"], "label": trigger["name"]},
                    trigger["name"],
                )
            else:
                raise PreventUpdate  # the list re-rendered: no click
        except (BackupError, UploadError) as exc:
            refused = _message(f"Refused: {exc} Nothing was changed.", "danger")
            return None, False, None, refused, True
        return pending, True, _describe(info, label or "backup"), None, False

    # The dialog opens at once, saying which file is being checked (a large one takes seconds);
    # the check above then puts what the backup holds in its place.
    app.clientside_callback(
        """function(clicks, contents, filename) {
            const nu = window.dash_clientside.no_update;
            const hit = (window.dash_clientside.callback_context.triggered || [])[0];
            if (!hit || !hit.value) { return [nu, nu, nu]; }
            let name = filename || 'the uploaded file';
            if (hit.prop_id.startsWith('{')) {
                name = JSON.parse(hit.prop_id.slice(0, hit.prop_id.lastIndexOf('.'))).name;
            }
            const html = (type, props) => ({type: type, namespace: 'dash_html_components', props});
            const checking = html('Div', {
                id: '"""
        + ids.RESTORE_CHECKING
        + """',
                role: 'status',
                className: 'd-flex align-items-center gap-2 text-muted',
                children: [
                    html('Span', {className: 'spinner-border spinner-border-sm'}),
                    html('Span', {children: `Checking ${name}…`}),
                ],
            });
            return [true, checking, true];
        }""",
        Output(ids.RESTORE_MODAL, "is_open", allow_duplicate=True),
        Output(ids.RESTORE_MODAL_BODY, "children", allow_duplicate=True),
        Output(ids.RESTORE_CONFIRM, "disabled"),
        Input(ids.backup_restore(ALL), "n_clicks"),
        Input(ids.BACKUP_UPLOAD, "contents"),
        State(ids.BACKUP_UPLOAD, "filename"),
        prevent_initial_call=True,
    )

    dialog_open = Output(ids.RESTORE_MODAL, "is_open", allow_duplicate=True)

    @on_click(app, None, ids.RESTORE_CANCEL, [dialog_open], [State(ids.BACKUP_PENDING, "data")])
    def cancel_restore(_clicks, pending):
        if pending and pending.get("upload"):
            discard_upload(pending["upload"], UPLOAD_SUFFIX)
        return False

    @on_click(
        app,
        "data:backup",
        ids.RESTORE_CONFIRM,
        [
            Output(ids.BACKUP_MESSAGE, "children", allow_duplicate=True),
            dialog_open,
            Output(ids.REFRESH_TOKEN, "data", allow_duplicate=True),
        ],
        [State(ids.BACKUP_PENDING, "data")],
    )
    def confirm_restore(_clicks, pending):
        if not pending:
            raise PreventUpdate
        account = current_account()
        try:
            report = restore_pending(engine, pending, account.username if account else None)
        except (BackupError, UploadError) as exc:
            return _message(f"Refused: {exc} Nothing was changed.", "danger"), False, no_update
        text = [
            html.Strong(f"Restored {pending.get('label')}"),
            f" ({counted(report.counts.get('orders', 0), 'order')}). The previous state was "
            f"saved as {report.safety_backup.path.name}.",
        ]
        return _message(text, "success"), False, datetime.now().isoformat(timespec="seconds")
