"""Admin › Users: create users, change role or deactivate, reset passwords, API tokens."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp import auth
from dashapp.store.models import ROLES
from dashapp.ui import ids
from dashapp.validation import parse_bool, selected_id
from dashapp.web.access import current_account, guarded
from dashapp.web.sessions import keep_session

ROLE_OPTIONS = [{"label": r.title(), "value": r} for r in ROLES]


def layout() -> html.Div:
    create = dbc.Card(
        dbc.CardBody(
            [
                html.H2("Add a user", className="card-title mb-3"),
                html.Div(
                    [
                        html.Div(
                            [
                                dbc.Label("Username", html_for=ids.USER_NEW_NAME),
                                dbc.Input(id=ids.USER_NEW_NAME, maxlength=80, autocomplete="off"),
                            ],
                            className="filter-field",
                        ),
                        html.Div(
                            [
                                dbc.Label("Role", html_for=ids.USER_NEW_ROLE),
                                dbc.Select(
                                    id=ids.USER_NEW_ROLE, options=ROLE_OPTIONS, value="viewer"
                                ),
                            ],
                            className="filter-field",
                        ),
                        html.Div(
                            dbc.Button("Create user", id=ids.USER_CREATE, color="primary"),
                            className="filter-field",
                        ),
                    ],
                    className="filter-grid",
                ),
                html.P(
                    "A password is generated and shown once; give it to the user, who can "
                    "change it under Account.",
                    className="small text-muted mt-2 mb-0",
                ),
            ]
        ),
        className="chart-card admin-card",
    )
    users = dbc.Card(
        dbc.CardBody(
            [
                html.H2("Users", className="card-title"),
                html.Div("Select a user to change it.", className="card-caption mb-2"),
                dag.AgGrid(
                    id=ids.USERS_GRID,
                    columnDefs=[
                        {"field": "username", "headerName": "Username", "flex": 2, "minWidth": 140},
                        {"field": "role", "headerName": "Role", "flex": 1, "minWidth": 100},
                        {"field": "status", "headerName": "Status", "flex": 1, "minWidth": 100},
                        {"field": "created", "headerName": "Created", "flex": 1, "minWidth": 150},
                    ],
                    rowData=[],
                    getRowId="params.data.id",
                    dashGridOptions={
                        "rowSelection": {
                            "mode": "singleRow",
                            "checkboxes": False,
                            "enableClickSelection": True,
                        }
                    },
                    className="ag-theme-quartz",
                    style={"height": "260px"},
                ),
                html.Div(_editor(), id=ids.USER_EDIT, className="user-editor d-none"),
            ]
        ),
        className="chart-card admin-card",
    )
    return html.Div(
        [html.Div(id=ids.USER_MESSAGE, **{"aria-live": "polite"}), users, create],
        className="admin-pane",
    )


def _editor() -> list:
    return [
        html.H3(id="user-edit-title", className="subhead mb-2"),
        html.Div(
            [
                html.Div(
                    [
                        dbc.Label("Role", html_for=ids.USER_ROLE),
                        dbc.Select(id=ids.USER_ROLE, options=ROLE_OPTIONS),
                    ],
                    className="filter-field",
                ),
                html.Div(
                    dbc.Switch(id=ids.USER_ACTIVE, label="Active (may sign in)", value=True),
                    className="filter-field",
                ),
                html.Div(
                    html.Div(
                        [
                            dbc.Button("Save", id=ids.USER_SAVE, color="primary"),
                            dbc.Button(
                                "Reset password",
                                id=ids.USER_RESET_PASSWORD,
                                color="secondary",
                                outline=True,
                            ),
                        ],
                        className="d-flex gap-2 flex-wrap",
                    ),
                    className="filter-field",
                ),
            ],
            className="filter-grid",
        ),
        html.H3("API tokens", className="subhead mt-3 mb-2"),
        html.Div(
            [
                dbc.Input(
                    id=ids.TOKEN_NAME,
                    placeholder="Token name, e.g. reporting script",
                    maxlength=80,
                    className="token-name",
                ),
                dbc.Button("Create token", id=ids.TOKEN_CREATE, color="secondary", outline=True),
                dbc.Button("Revoke selected", id=ids.TOKEN_REVOKE, color="danger", outline=True),
            ],
            className="d-flex gap-2 flex-wrap mb-2",
        ),
        dag.AgGrid(
            id=ids.TOKEN_GRID,
            columnDefs=[
                {"field": "name", "headerName": "Name", "flex": 2, "minWidth": 140},
                {"field": "created", "headerName": "Created", "flex": 1, "minWidth": 150},
                {"field": "status", "headerName": "Status", "flex": 1, "minWidth": 120},
            ],
            rowData=[],
            getRowId="params.data.id",
            dashGridOptions={
                "rowSelection": {
                    "mode": "singleRow",
                    "checkboxes": False,
                    "enableClickSelection": True,
                }
            },
            className="ag-theme-quartz",
            style={"height": "180px"},
        ),
    ]


def _when(value) -> str:
    return f"{value:%d %b %Y %H:%M}" if value else ""


def _selected_id(rows) -> int:
    if not rows:
        raise PreventUpdate
    return selected_id(rows, "a user")


def _alert(children, color: str = "success") -> dbc.Alert:
    return dbc.Alert(children, color=color, dismissable=True, id="user-alert")


def _shown_once(text: str, secret: str) -> list:
    return [
        html.Div(text),
        html.Code(secret, className="secret", id="user-secret"),
        html.Div("It is shown only now: copy it.", className="small"),
    ]


def register_callbacks(app: Dash, engine: Engine) -> None:
    @guarded(
        app,
        "users:manage",
        Output(ids.USERS_GRID, "rowData"),
        Input(ids.USER_MESSAGE, "children"),
        Input(ids.REFRESH_TOKEN, "data"),
    )
    def show_users(_message, _token):
        with engine.connect() as conn:
            users = auth.list_users(conn)
        return [
            {
                "id": str(u["id"]),  # AG Grid row ids are strings
                "username": u["username"],
                "role": u["role"],
                "status": "active" if u["active"] else "deactivated",
                "created": _when(u["created_at"]),
            }
            for u in users
        ]

    @guarded(
        app,
        "users:manage",
        Output(ids.USER_EDIT, "className"),
        Output("user-edit-title", "children"),
        Output(ids.USER_ROLE, "value"),
        Output(ids.USER_ACTIVE, "value"),
        Output(ids.TOKEN_GRID, "rowData"),
        Input(ids.USERS_GRID, "selectedRows"),
        Input(ids.USER_MESSAGE, "children"),
    )
    def edit_user(rows, _message):
        if not rows:
            return "user-editor d-none", None, None, True, []
        user = rows[0]
        with engine.connect() as conn:
            tokens = auth.list_tokens(conn, selected_id(rows, "a user"))
        token_rows = [
            {
                "id": str(t["id"]),
                "name": t["name"],
                "created": _when(t["created_at"]),
                "status": f"revoked {_when(t['revoked_at'])}" if t["revoked_at"] else "active",
            }
            for t in tokens
        ]
        return (
            "user-editor",
            f"Change {user['username']}",
            user["role"],
            user["status"] == "active",
            token_rows,
        )

    @guarded(
        app,
        "users:manage",
        Output(ids.USER_MESSAGE, "children"),
        Output(ids.USER_NEW_NAME, "value"),
        Input(ids.USER_CREATE, "n_clicks"),
        State(ids.USER_NEW_NAME, "value"),
        State(ids.USER_NEW_ROLE, "value"),
        prevent_initial_call=True,
    )
    def create_user(_clicks, username, role):
        actor = current_account()
        try:
            account, password = auth.create_user(
                engine, username or "", role, actor=actor.username if actor else None
            )
        except auth.AuthError as exc:
            return _alert(f"Not created: {exc}.", "danger"), no_update
        text = f"Created {account.username} ({account.role}). Their password:"
        return _alert(_shown_once(text, password)), ""

    @guarded(
        app,
        "users:manage",
        Output(ids.USER_MESSAGE, "children", allow_duplicate=True),
        Input(ids.USER_SAVE, "n_clicks"),
        Input(ids.USER_RESET_PASSWORD, "n_clicks"),
        Input(ids.TOKEN_CREATE, "n_clicks"),
        Input(ids.TOKEN_REVOKE, "n_clicks"),
        State(ids.USERS_GRID, "selectedRows"),
        State(ids.USER_ROLE, "value"),
        State(ids.USER_ACTIVE, "value"),
        State(ids.TOKEN_NAME, "value"),
        State(ids.TOKEN_GRID, "selectedRows"),
        prevent_initial_call=True,
    )
    def change_user(_save, _reset, _token, _revoke, rows, role, active, token_name, tokens):
        """Every change to the selected user: role/active, password reset, tokens."""
        user_id = _selected_id(rows)
        name = str(rows[0].get("username", f"#{user_id}"))[:80]
        # Strict: bool("false") is True, and a forged "false" must not keep a user active.
        active = parse_bool(active if active is not None else False, "Active")
        actor = current_account()
        actor_name = actor.username if actor else None
        trigger = ctx.triggered_id
        try:
            if trigger == ids.USER_SAVE:
                if actor and actor.id == user_id and (role != "admin" or not active):
                    return _alert("You cannot take away your own admin access.", "danger")
                auth.set_role(engine, user_id, role, active, actor_name)
                state = "active" if active else "deactivated"
                return _alert(f"Saved {name}: {role}, {state}.")
            if trigger == ids.USER_RESET_PASSWORD:
                password = auth.generate_password()
                version = auth.set_password(engine, user_id, None, password, actor_name)
                if actor and actor.id == user_id:
                    keep_session(version)  # the user's other sessions end, not this one
                return _alert(_shown_once(f"New password for {name}:", password))
            if trigger == ids.TOKEN_CREATE:
                label = (token_name or "").strip()
                if not label:
                    return _alert("Give the token a name first.", "danger")
                token = auth.create_token(engine, user_id, label, actor_name)
                return _alert(_shown_once(f"API token “{label}” for {name}:", token))
            if trigger == ids.TOKEN_REVOKE:
                if not tokens:
                    return _alert("Select a token to revoke.", "danger")
                auth.revoke_token(engine, selected_id(tokens, "a token"), actor_name)
                return _alert(f"Revoked the token “{tokens[0]['name']}” of {name}.")
        except auth.AuthError as exc:
            return _alert(f"Not changed: {exc}.", "danger")
        raise PreventUpdate
