"""The header's Views menu (issue 20, item 6): save the current view under a name, private or
shared; open one of the saved views (its section with its filters and settings, the chips
showing them); rename and delete one's own in "Manage views…", an admin also the shared ones.

Every read and write goes through dashapp.views with the signed-in account, so the ownership
rules hold whatever a forged callback body asks. Names are shown as text (Dash escapes them).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.filters import Filters
from dashapp.ui import ids
from dashapp.ui.parts import dialog, feedback, refusal, secondary_button
from dashapp.ui.text import describe
from dashapp.validation import ValidationError
from dashapp.views import (
    MAX_NAME,
    ViewAccessError,
    delete_view,
    get_view,
    list_views,
    missing_values,
    rename_view,
    save_view,
)
from dashapp.web.access import current_account, guarded

MENU = "views-menu"
SAVE_OPEN = "views-save-open"
MANAGE_OPEN = "views-manage-open"
SAVE_MODAL = "views-save-modal"
SAVE_NAME = "views-save-name"
SAVE_SHARED = "views-save-shared"
SAVE_SUMMARY = "views-save-summary"
SAVE_MESSAGE = "views-save-message"
SAVE_BUTTON = "views-save-button"
SAVE_CANCEL = "views-save-cancel"
MANAGE_MODAL = "views-manage-modal"
MANAGE_LIST = "views-manage-list"
MANAGE_MESSAGE = "views-manage-message"
MANAGE_CLOSE = "views-manage-close"
CHANGED = "views-changed"
NOTICE = "views-notice"
OPEN, RENAME, RENAME_NAME, DELETE = (
    "saved-view-open",
    "saved-view-rename",
    "saved-view-rename-name",
    "saved-view-delete",
)
MENU_ITEMS = 12  # the menu lists the first ones; "Manage views…" has them all
SETTINGS_TEXT = {
    "range": {
        "7d": "last 7 days",
        "30d": "last 30 days",
        "90d": "last 90 days",
        "mtd": "month to date",
        "qtd": "quarter to date",
        "ytd": "year to date",
    },
}


def menu() -> html.Div:
    """The Views menu with its two dialogs and the notice an opened view shows."""
    return html.Div(
        [
            dbc.DropdownMenu(
                _menu_items([]),
                id=MENU,
                label=html.Span(
                    [
                        html.Span("☆", className="views-icon", **{"aria-hidden": "true"}),
                        html.Span("Views", className="d-none d-md-inline"),
                    ],
                    className="views-label",
                    title="Saved views: save this view, open one",
                ),
                size="sm",
                color="light",
                align_end=True,
                class_name="views-menu",
                toggle_class_name="views-toggle",
            ),
            _save_dialog(),
            _manage_dialog(),
            dcc.Store(id=CHANGED, data=0),
            dbc.Toast(
                id=NOTICE,
                header="Saved view",
                is_open=False,
                dismissable=True,
                duration=8000,
                class_name="views-notice",
            ),
        ],
        className="views-wrap",
    )


def _menu_items(views) -> list:
    items = [
        dbc.DropdownMenuItem("Save current view…", id=SAVE_OPEN, n_clicks=0),
        dbc.DropdownMenuItem(divider=True),
    ]
    if not views:
        items.append(dbc.DropdownMenuItem("No saved views yet", disabled=True))
    for v in views[:MENU_ITEMS]:
        items.append(
            dbc.DropdownMenuItem(
                [html.Span(v.name, className="view-name"), _badge(v, small=True)],
                id={"type": OPEN, "where": "menu", "index": v.id},
                n_clicks=0,
                class_name="saved-view-item",
            )
        )
    items += [
        dbc.DropdownMenuItem(divider=True),
        dbc.DropdownMenuItem("Manage views…", id=MANAGE_OPEN, n_clicks=0),
    ]
    return items


def _badge(view, small: bool = False):
    account = current_account()
    mine = account is not None and view.owner_id == account.id
    if not view.shared:
        text, color = "private", "secondary"
    elif mine:
        text, color = "shared", "info"
    else:
        text, color = f"shared by {view.owner}", "info"
    return dbc.Badge(text, color=color, className="ms-2 view-badge" + (" small" if small else ""))


def _save_dialog() -> dbc.Modal:
    body = dbc.ModalBody(
        [
            html.Div(id=SAVE_SUMMARY, className="views-summary small text-muted mb-2"),
            dbc.Label("Name", html_for=SAVE_NAME),
            dbc.Input(
                id=SAVE_NAME,
                maxLength=MAX_NAME,
                placeholder="e.g. France, classic cars, this year",
                debounce=False,
                autoComplete="off",
            ),
            dbc.Switch(
                id=SAVE_SHARED,
                label="Share with everyone (they see it under their own role)",
                value=False,
                class_name="mt-2",
            ),
            html.Div(id=SAVE_MESSAGE, className="mt-2"),
        ]
    )
    buttons = [
        secondary_button("Cancel", SAVE_CANCEL),
        dbc.Button("Save view", id=SAVE_BUTTON, color="primary"),
    ]
    return dialog(SAVE_MODAL, "Save current view", body, buttons)


def _manage_dialog() -> dbc.Modal:
    body = dbc.ModalBody([html.Div(id=MANAGE_MESSAGE, className="mb-2"), html.Div(id=MANAGE_LIST)])
    return dialog(
        MANAGE_MODAL,
        "Saved views",
        body,
        [secondary_button("Close", MANAGE_CLOSE)],
        size="lg",
        scrollable=True,
    )


def _action(label: str, id_: dict, color: str, **props) -> dbc.Button:
    """A small button acting on one listed view."""
    return dbc.Button(label, id=id_, n_clicks=0, size="sm", color=color, **props)


def _manage_rows(views, account) -> list:
    if not views:
        return [html.P("No saved views yet: use “Save current view…”.", className="text-muted")]
    rows = []
    for v in views:
        mine = v.owner_id == account.id
        name = (
            dbc.Input(
                id={"type": RENAME_NAME, "index": v.id},
                value=v.name,
                maxLength=MAX_NAME,
                size="sm",
                class_name="view-rename-input",
                placeholder="Name",
            )
            if mine
            else html.Span(v.name, className="view-name fw-semibold")
        )
        actions = [_action("Open", {"type": OPEN, "where": "list", "index": v.id}, "primary")]
        if mine:
            actions.append(
                _action("Rename", {"type": RENAME, "index": v.id}, "secondary", outline=True)
            )
        if mine or (v.shared and account.can("users:manage")):
            actions.append(
                _action("Delete", {"type": DELETE, "index": v.id}, "danger", outline=True)
            )
        rows.append(
            html.Div(
                [
                    html.Div([name, _badge(v)], className="view-row-name"),
                    html.Div(_summary(v.section, v.query), className="small text-muted"),
                    html.Div(actions, className="view-row-actions"),
                ],
                className="view-row",
            )
        )
    return rows


def _summary(section_label: str, query: str) -> str:
    """What a view shows, in one line: its section, dates and filters, then its settings."""
    params = parse_qs(query)
    try:
        text = describe(Filters.from_params(params))
    except ValueError:
        text = "filters this version cannot read"
    preset = (params.get("range") or [""])[-1]
    if preset in SETTINGS_TEXT["range"]:
        text = text.replace("all time", SETTINGS_TEXT["range"][preset], 1)
    granularity = (params.get("granularity") or [""])[-1]
    if granularity:
        text += f" · by {granularity}"
    return f"{section_label.capitalize()} · {text}"


def register_callbacks(app: Dash, engine: Engine, sections: dict) -> None:
    """`sections` maps a URL path to its Section, as the shell's routing does."""
    by_key = {s.key: s for s in sections.values()}

    def label_of(key: str) -> str:
        section = by_key.get(key)
        return section.label if section else key

    @app.callback(
        Output(MENU, "children"),
        Output(MANAGE_LIST, "children"),
        Input(CHANGED, "data"),
    )
    def render(_changed):
        account = current_account()
        if account is None:
            raise PreventUpdate
        with engine.connect() as conn:
            views = list_views(conn, account)
        return _menu_items(views), _manage_rows([_labelled(v, label_of) for v in views], account)

    @app.callback(
        Output(SAVE_MODAL, "is_open"),
        Output(SAVE_SUMMARY, "children"),
        Output(SAVE_MESSAGE, "children", allow_duplicate=True),
        Output(SAVE_NAME, "value"),
        Input(SAVE_OPEN, "n_clicks"),
        Input(SAVE_CANCEL, "n_clicks"),
        State(ids.URL, "pathname"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def open_save(opened, _cancel, pathname, search):
        if ctx.triggered_id != SAVE_OPEN or not opened:
            return False, no_update, None, no_update
        section = sections.get(pathname or "/")
        if section is None:
            raise PreventUpdate
        return True, _summary(section.label, (search or "").lstrip("?")), None, ""

    @guarded(
        app,
        "view",
        Output(SAVE_MODAL, "is_open", allow_duplicate=True),
        Output(SAVE_MESSAGE, "children", allow_duplicate=True),
        Output(CHANGED, "data", allow_duplicate=True),
        Output(NOTICE, "children", allow_duplicate=True),
        Output(NOTICE, "is_open", allow_duplicate=True),
        Input(SAVE_BUTTON, "n_clicks"),
        Input(SAVE_NAME, "n_submit"),
        State(SAVE_NAME, "value"),
        State(SAVE_SHARED, "value"),
        State(ids.URL, "pathname"),
        State(ids.URL, "search"),
        State(CHANGED, "data"),
        prevent_initial_call=True,
    )
    def save(clicked, submitted, name, shared, pathname, search, changed):
        if not (clicked or submitted):
            raise PreventUpdate
        section = sections.get(pathname or "/")
        key = section.key if section else ""
        try:
            view = save_view(engine, current_account(), name, key, search, shared=bool(shared))
        except (ValidationError, ViewAccessError) as exc:
            return no_update, refusal(_message(exc), class_name="mb-0"), no_update, *[no_update] * 2
        note = f"Saved “{view.name}”" + (", shared with everyone." if view.shared else ".")
        return False, None, (changed or 0) + 1, note, True

    @guarded(
        app,
        "view",
        Output(ids.URL, "pathname", allow_duplicate=True),
        Output(ids.URL, "search", allow_duplicate=True),
        Output(NOTICE, "children", allow_duplicate=True),
        Output(NOTICE, "is_open", allow_duplicate=True),
        Output(MANAGE_MODAL, "is_open", allow_duplicate=True),
        Input({"type": OPEN, "where": ALL, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def open_view(_clicks):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(t["value"] for t in ctx.triggered):
            raise PreventUpdate  # the items appearing, not a click
        try:
            with engine.connect() as conn:
                view = get_view(conn, current_account(), trigger.get("index"))
                gone = missing_values(conn, view.filters)
        except (LookupError, ViewAccessError, ValueError) as exc:
            return no_update, no_update, _message(exc), True, no_update
        section = by_key.get(view.section)
        notes = [html.Div(f"Opened “{view.name}”.")]
        if section is None:
            notes.append(html.Div(f"Its section ({view.section}) is gone: showing the Overview."))
        if gone:
            notes.append(html.Div("No longer in the data: " + ", ".join(gone) + "."))
        path = section.path if section else "/"
        return path, f"?{view.query}" if view.query else "", notes, True, False

    @app.callback(
        Output(MANAGE_MODAL, "is_open"),
        Output(MANAGE_MESSAGE, "children"),
        Input(MANAGE_OPEN, "n_clicks"),
        Input(MANAGE_CLOSE, "n_clicks"),
        prevent_initial_call=True,
    )
    def open_manage(opened, _close):
        return ctx.triggered_id == MANAGE_OPEN and bool(opened), None

    @guarded(
        app,
        "view",
        Output(MANAGE_MESSAGE, "children", allow_duplicate=True),
        Output(CHANGED, "data", allow_duplicate=True),
        Input({"type": RENAME, "index": ALL}, "n_clicks"),
        Input({"type": DELETE, "index": ALL}, "n_clicks"),
        State({"type": RENAME_NAME, "index": ALL}, "value"),
        State(CHANGED, "data"),
        prevent_initial_call=True,
    )
    def change(_renames, _deletes, _names, changed):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(t["value"] for t in ctx.triggered):
            raise PreventUpdate
        account = current_account()
        view_id = trigger.get("index")
        try:
            if trigger.get("type") == RENAME:
                typed = {
                    s["id"].get("index"): s.get("value")
                    for s in ctx.states_list[0]
                    if isinstance(s.get("id"), dict)
                }
                view = rename_view(engine, account, view_id, typed.get(view_id))
                done = f"Renamed to “{view.name}”."
            else:
                view = delete_view(engine, account, view_id)
                done = f"Deleted “{view.name}”."
        except (ValidationError, LookupError, ViewAccessError) as exc:
            return refusal(_message(exc), class_name="mb-0"), no_update
        return feedback(done), (changed or 0) + 1


def _labelled(view, label_of):
    """The view with its section's label for the summary line."""
    return replace(view, section=label_of(view.section))


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(e.message for e in exc.errors)
    text = str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
