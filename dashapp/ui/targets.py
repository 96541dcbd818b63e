"""Targets section (issue 20, item 1): the targets in an editable grid with their progress, a
form to set one, CSV upload of many, and removal. Admins and managers edit; everyone else
reads (a sales user only their own targets). Every write goes through dashapp.targets, which
checks the role again and refuses bad input with a message, changing nothing."""

from __future__ import annotations

from datetime import datetime

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.targets import (
    METRICS,
    SCOPES,
    TargetAccessError,
    TargetDraft,
    can_edit,
    decode,
    delete_target,
    known_scopes,
    listed_progress,
    on_file_lines,
    read_targets_csv,
    set_target,
    set_targets,
    update_target,
)
from dashapp.targets.csv_import import EXAMPLE, MAX_BYTES
from dashapp.targets.records import METRIC_LABELS, SCOPE_LABELS, StoredTarget, amount_value
from dashapp.targets.view import MAX_LISTED
from dashapp.ui import ids, server_grid
from dashapp.ui.counts import counted
from dashapp.ui.parts import (
    SINGLE_ROW,
    filled_grid,
    labelled,
    not_done,
    refusal,
    row_button,
    titled_card,
)
from dashapp.ui.shell import Section
from dashapp.ui.triggers import new_token, on_click, on_refresh
from dashapp.ui.uploads import UploadError, decode_contents, upload_callback
from dashapp.validation import InputError, ValidationError, record_id, selected_id
from dashapp.web.access import current_account, guarded

MAX_SHOWN = MAX_LISTED
AMOUNT_FORMAT = {
    "function": "params.value == null ? '' : (params.data.metric === 'orders' ? "
    "d3.format(',')(params.value) : d3.format('$,.2f')(params.value))"
}
CAPITALISED = {
    "function": "params.value ? params.value.charAt(0).toUpperCase() + params.value.slice(1) : ''"
}
SHARE_FORMAT = {"function": "params.value == null ? 'n/a' : d3.format('.0%')(params.value)"}
STATUS_CLASSES = {
    "cellClassRules": {
        "target-good": "params.value === 'on track' || params.value === 'met'",
        "target-bad": "params.value === 'at risk' || params.value === 'missed'",
    }
}


def _columns(editable: bool) -> list[dict]:
    def edit(**kw) -> dict:
        return {"editable": editable, **kw}

    return [
        {"field": "period", "headerName": "Period", "minWidth": 95, "flex": 1, **edit()},
        {
            "field": "metric",
            "headerName": "Metric",
            "minWidth": 95,
            "flex": 1,
            "valueFormatter": CAPITALISED,
            **edit(cellEditor="agSelectCellEditor", cellEditorParams={"values": list(METRICS)}),
        },
        {
            "field": "scope",
            "headerName": "Scope",
            "minWidth": 100,
            "flex": 1,
            "valueFormatter": CAPITALISED,
            **edit(cellEditor="agSelectCellEditor", cellEditorParams={"values": list(SCOPES)}),
        },
        {"field": "key", "headerName": "For", "minWidth": 120, "flex": 1.2, **edit()},
        {
            "field": "amount",
            "headerName": "Target",
            "type": "rightAligned",
            "minWidth": 145,
            "flex": 1.4,
            "valueFormatter": AMOUNT_FORMAT,
            **edit(),
        },
        {
            "field": "actual",
            "headerName": "Actual to date",
            "type": "rightAligned",
            "minWidth": 145,
            "flex": 1.4,
            "valueFormatter": AMOUNT_FORMAT,
        },
        {
            "field": "share",
            "headerName": "% of target",
            "type": "rightAligned",
            "minWidth": 115,
            "flex": 1,
            "valueFormatter": SHARE_FORMAT,
        },
        {
            "field": "projected",
            "headerName": "Projected",
            "type": "rightAligned",
            "minWidth": 145,
            "flex": 1.4,
            "valueFormatter": AMOUNT_FORMAT,
            "tooltipField": "method",
        },
        {
            "field": "status",
            "headerName": "Status",
            "minWidth": 100,
            "flex": 1,
            "valueFormatter": CAPITALISED,
            **STATUS_CLASSES,
        },
    ]


def _field(name: str, label: str, control) -> html.Div:
    return labelled(label, control, f"target-field {name}", control.id)


def _choice(id_: str, value: str, labels: dict[str, str], values) -> dbc.Select:
    """A small select of `values`, each shown by its label."""
    options = [{"label": labels[v], "value": v} for v in values]
    return dbc.Select(id=id_, value=value, size="sm", options=options)


def _form() -> html.Div:
    return html.Div(
        [
            _field(
                "period",
                "Period",
                dbc.Input(id=ids.TG_PERIOD, placeholder="2024-03", size="sm", type="text"),
            ),
            _field("metric", "Metric", _choice(ids.TG_METRIC, "revenue", METRIC_LABELS, METRICS)),
            _field("scope", "For", _choice(ids.TG_SCOPE, "business", SCOPE_LABELS, SCOPES)),
            _field(
                "key",
                "Which",
                dcc.Dropdown(
                    id=ids.TG_KEY,
                    options=[],
                    disabled=True,
                    placeholder="The whole business",
                    className="filter-dropdown",
                ),
            ),
            _field(
                "amount",
                "Target",
                dbc.Input(id=ids.TG_AMOUNT, placeholder="10,000.00", size="sm", type="text"),
            ),
            dbc.Button("Set target", id=ids.TG_ADD, color="primary", size="sm"),
        ],
        className="targets-tools mb-3",
    )


def layout() -> html.Div:
    account = current_account()
    editor = account is None or can_edit(account)
    hint = (
        "Monthly (2024-03) or quarterly (2024-Q1) goals for revenue, orders or profit. "
        "Double-click a cell to edit it; Enter saves. Setting a target that exists replaces it."
        if editor
        else "Read only: admins and managers set targets."
    )
    tools = []
    if editor:
        tools.append(
            row_button(
                "Remove", ids.TG_REMOVE, "danger", outline=True, title="Remove the selected target"
            )
        )
    body = [server_grid.header("Targets", ids.TG_CAPTION, tools, "grid-tools", hint)]
    if editor:
        body.append(_form())
    body += [
        html.Div(id=ids.TG_MESSAGE, className="mb-2"),
        filled_grid(
            ids.TG_GRID,
            _columns(editor),
            "'' + params.data.id",
            {"sortable": True, "resizable": True, "minWidth": 80},
            {
                "rowSelection": SINGLE_ROW,
                "stopEditingWhenCellsLoseFocus": True,
                "tooltipShowDelay": 300,
            },
            empty="No targets yet: set one above or upload a CSV file.",
            className="ag-theme-alpine targets-grid",
        ),
        html.Div(id=ids.TG_RELOAD, hidden=True),
    ]
    parts = [dbc.Card(dbc.CardBody(body), className="chart-card")]
    if editor:
        parts.append(
            titled_card(
                "Import targets from CSV",
                html.Div(
                    [
                        "Columns ",
                        html.Code(EXAMPLE),
                        "; scope is business, category, region or user, and key names the "
                        "category, region or user. The whole file is set or, if any row is "
                        "wrong, none of it.",
                    ],
                    className="card-caption mb-2",
                ),
                dcc.Upload(
                    id=ids.TG_UPLOAD,
                    children=html.Div(["Drop a CSV file here or ", html.A("choose one")]),
                    accept=".csv,text/csv",
                    max_size=MAX_BYTES,
                    className="targets-upload",
                ),
            )
        )
    return html.Div(parts, className="section-stack targets-section")


# The page filters do not apply: targets have their own period and scope.
SECTION = Section(key="targets", label="Targets", path="/targets", layout=layout, filters=())


def _row(t: StoredTarget, p) -> dict:
    def number(v):
        if v is None:
            return None
        return float(amount_value(t.metric, v)) if t.is_money else v

    return {
        "id": t.id,
        "period": t.period_key,
        "metric": t.metric,
        "scope": t.scope,
        "key": t.key or "",
        "amount": number(t.amount),
        "actual": number(p.actual),
        "share": p.share,
        "projected": number(p.open_projection),
        "method": p.projection.note if p.projection is not None else "",
        "status": p.status,
    }


def target_rows(engine: Engine, account) -> tuple[list[dict], str]:
    """The grid's rows (newest period first) and its caption."""
    with engine.connect() as conn:
        last_day, found = listed_progress(conn, account, MAX_SHOWN)
    rows = [_row(p.target, p) for p in found]
    count = counted(len(rows), "target")
    when = f" · progress to {last_day:%-d %b %Y}, the last day with orders" if last_day else ""
    return rows, count + when


def _refused(exc: Exception, lead: str) -> dbc.Alert:
    # A problem of the form names its field ("amount: ..."); one of a line says it alone.
    return not_done(lead, exc, lambda e: str(e) if e.line is None else e.message)


def _saved(text: str) -> dbc.Alert:
    return dbc.Alert(
        text, color="success", dismissable=True, duration=6000, className="mb-0 py-2 grid-saved"
    )


def _stamp() -> str:
    return datetime.now().isoformat()


def _gone() -> tuple:
    """The answer to a write on a target removed meanwhile: say so and reload the rows."""
    return refusal("That target no longer exists.", className="mb-0"), _stamp(), no_update


# What every write answers: its message, the grid's reload, and the page's refresh token.
WRITTEN = [
    Output(ids.TG_MESSAGE, "children", allow_duplicate=True),
    Output(ids.TG_RELOAD, "children", allow_duplicate=True),
    Output(ids.REFRESH_TOKEN, "data", allow_duplicate=True),
]


def register_callbacks(app: Dash, engine: Engine) -> None:
    """Loading the rows, the form's choices, and the four writes (each refused on the server to
    a role that may not, before Dash runs it, and again by the domain)."""

    @on_refresh(
        app,
        None,
        [Output(ids.TG_GRID, "rowData"), Output(ids.TG_CAPTION, "children")],
        [Input(ids.TG_RELOAD, "children")],
    )
    def rows(_reload, _token):
        return target_rows(engine, current_account())

    @app.callback(
        Output(ids.TG_KEY, "options"),
        Output(ids.TG_KEY, "disabled"),
        Output(ids.TG_KEY, "placeholder"),
        Output(ids.TG_KEY, "value"),
        Input(ids.TG_SCOPE, "value"),
    )
    def key_choices(scope):
        if scope not in ("category", "region", "user"):
            return [], True, "The whole business", None
        with engine.connect() as conn:
            choices = known_scopes(conn).of(scope)
        if not choices:
            empty = {
                "category": "No categories in the catalog",
                "region": "No ship-to regions in the orders",
                "user": "No users who enter orders",
            }[scope]
            return [], True, empty, None
        options = [{"label": c, "value": c} for c in choices]
        return options, False, f"Pick a {scope}", None

    @app.callback(Output(ids.TG_REMOVE, "disabled"), Input(ids.TG_GRID, "selectedRows"))
    def can_remove(selected):
        return not selected

    def done(text: str) -> tuple:
        """The answer to a write that went through."""
        return _saved(text), _stamp(), new_token(engine)

    form = [ids.TG_PERIOD, ids.TG_METRIC, ids.TG_SCOPE, ids.TG_KEY, ids.TG_AMOUNT]

    @on_click(app, "targets:write", ids.TG_ADD, WRITTEN, [State(f, "value") for f in form])
    def add(n, period, metric, scope, key, amount):
        if not n:
            raise PreventUpdate
        draft = TargetDraft(period=period, metric=metric, amount=amount, scope=scope, key=key)
        try:
            saved = set_target(engine, draft, current_account())
        except (ValidationError, TargetAccessError) as exc:
            return _refused(exc, "Not set."), no_update, no_update
        return done(f"Set: {saved.describe()}, {saved.amount_text()}.")

    @guarded(
        app,
        "targets:write",
        *WRITTEN,
        Input(ids.TG_GRID, "cellValueChanged"),
        prevent_initial_call=True,
    )
    def edited(changes):
        """An edited row is saved whole; a refused edit is put back by reloading the rows."""
        if not changes:
            raise PreventUpdate
        change = changes[0] if isinstance(changes, list) else changes
        data = change.get("data") if isinstance(change, dict) else None
        data = data if isinstance(data, dict) else {}
        try:
            target_id = record_id(data.get("id"), "a target")
            amount = data.get("amount")
            draft = TargetDraft(
                period=data.get("period"),
                metric=data.get("metric"),
                amount=None if amount is None else str(amount),
                scope=data.get("scope"),
                key=data.get("key"),
            )
            saved = update_target(engine, target_id, draft, current_account())
        except (ValidationError, TargetAccessError, InputError) as exc:
            return _refused(exc, "Not saved; the row was put back."), _stamp(), no_update
        except LookupError:
            return _gone()
        return done(f"Saved: {saved.describe()}, {saved.amount_text()}.")

    @on_click(app, "targets:write", ids.TG_REMOVE, WRITTEN, [State(ids.TG_GRID, "selectedRows")])
    def remove(n, selected):
        if not n or not selected:
            raise PreventUpdate
        try:
            gone = delete_target(engine, selected_id(selected, "a target"), current_account())
        except (TargetAccessError, InputError) as exc:
            return _refused(exc, "Not removed."), no_update, no_update
        except LookupError:
            return _gone()
        return done(f"Removed: {gone.describe()}.")

    @upload_callback(
        app,
        "targets:write",
        MAX_BYTES,
        *WRITTEN,
        Input(ids.TG_UPLOAD, "contents"),
        State(ids.TG_UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    def upload(contents, filename):
        if not contents:
            raise PreventUpdate
        name = filename if isinstance(filename, str) else "the file"
        lines: list[int] = []
        try:
            drafts, lines = read_targets_csv(decode(decode_contents(contents, MAX_BYTES)))
            saved = set_targets(engine, drafts, current_account(), [f"line {n}" for n in lines])
        except UploadError as exc:
            return _refused(exc, f"Nothing imported from {name}."), no_update, no_update
        except ValidationError as exc:
            items = on_file_lines(exc, lines) if lines else [e.message for e in exc.errors]
            return (
                dbc.Alert(
                    [
                        html.Strong(f"Nothing imported from {name}. "),
                        "Correct these rows and upload it again:",
                        html.Ul([html.Li(i) for i in items[:50]], className="mb-0 mt-1"),
                    ],
                    color="danger",
                    dismissable=True,
                    className="mb-0",
                ),
                no_update,
                no_update,
            )
        except TargetAccessError as exc:
            return _refused(exc, "Nothing imported."), no_update, no_update
        return done(f"Imported {counted(len(saved), 'target')} from {name}.")
