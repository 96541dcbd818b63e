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
from dashapp.ui.parts import ADMIN_CARD, SINGLE_ROW, form_field, secondary_button, titled_card
from dashapp.ui.triggers import on_click, on_refresh, on_selection
from dashapp.validation import parse_bool, selected_id
from dashapp.web.access import current_account
from dashapp.web.sessions import keep_session

ROLE_OPTIONS = [{"label": r.title(), "value": r} for r in ROLES]


def _column(field: str, header: str, flex: int, min_width: int) -> dict:
    return {"field": field, "headerName": header, "flex": flex, "minWidth": min_width}


def _grid(id_: str, columns: list[dict], height: str) -> dag.AgGrid:
    """A small grid of a user's things, one selectable at a time."""
    return dag.AgGrid(
        id=id_,
        columnDefs=columns,
        rowData=[],
        getRowId="params.data.id",
        dashGridOptions={"rowSelection": SINGLE_ROW},
        className="ag-theme-quartz",
        style={"height": height},
    )


def layout() -> html.Div:
    fields = [
        form_field("Username", dbc.Input(id=ids.USER_NEW_NAME, maxlength=80, autocomplete="off")),
        form_field("Role", dbc.Select(id=ids.USER_NEW_ROLE, options=ROLE_OPTIONS, value="viewer")),
        html.Div(
            dbc.Button("Create user", id=ids.USER_CREATE, color="primary"),
            className="filter-field",
        ),
    ]
    create = titled_card(
        "Add a user",
        html.Div(fields, className="filter-grid"),
        html.P(
            "A password is generated and shown once; give it to the user, who can "
            "change it under Account.",
            className="small text-muted mt-2 mb-0",
        ),
        title_class="card-title mb-3",
        class_name=ADMIN_CARD,
    )
    columns = [
        _column("username", "Username", 2, 140),
        _column("role", "Role", 1, 100),
        _column("status", "Status", 1, 100),
        _column("created", "Created", 1, 150),
    ]
    users = titled_card(
        "Users",
        html.Div("Select a user to change it.", className="card-caption mb-2"),
        _grid(ids.USERS_GRID, columns, "260px"),
        html.Div(_editor(), id=ids.USER_EDIT, className="user-editor d-none"),
        class_name=ADMIN_CARD,
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
                form_field("Role", dbc.Select(id=ids.USER_ROLE, options=ROLE_OPTIONS)),
                html.Div(
                    dbc.Switch(id=ids.USER_ACTIVE, label="Active (may sign in)", value=True),
                    className="filter-field",
                ),
                html.Div(
                    html.Div(
                        [
                            dbc.Button("Save", id=ids.USER_SAVE, color="primary"),
                            secondary_button("Reset password", ids.USER_RESET_PASSWORD),
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
                secondary_button("Create token", ids.TOKEN_CREATE),
                dbc.Button("Revoke selected", id=ids.TOKEN_REVOKE, color="danger", outline=True),
            ],
            className="d-flex gap-2 flex-wrap mb-2",
        ),
        _grid(
            ids.TOKEN_GRID,
            [
                _column("name", "Name", 2, 140),
                _column("created", "Created", 1, 150),
                _column("status", "Status", 1, 120),
            ],
            "180px",
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
    @on_refresh(
        app,
        "users:manage",
        [Output(ids.USERS_GRID, "rowData")],
        [Input(ids.USER_MESSAGE, "children")],
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

    @on_selection(
        app,
        "users:manage",
        ids.USERS_GRID,
        [
            Output(ids.USER_EDIT, "className"),
            Output("user-edit-title", "children"),
            Output(ids.USER_ROLE, "value"),
            Output(ids.USER_ACTIVE, "value"),
            Output(ids.TOKEN_GRID, "rowData"),
        ],
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

    @on_click(
        app,
        "users:manage",
        ids.USER_CREATE,
        [Output(ids.USER_MESSAGE, "children"), Output(ids.USER_NEW_NAME, "value")],
        [State(ids.USER_NEW_NAME, "value"), State(ids.USER_NEW_ROLE, "value")],
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

    @on_click(
        app,
        "users:manage",
        [ids.USER_SAVE, ids.USER_RESET_PASSWORD, ids.TOKEN_CREATE, ids.TOKEN_REVOKE],
        [Output(ids.USER_MESSAGE, "children", allow_duplicate=True)],
        [
            State(ids.USERS_GRID, "selectedRows"),
            State(ids.USER_ROLE, "value"),
            State(ids.USER_ACTIVE, "value"),
            State(ids.TOKEN_NAME, "value"),
            State(ids.TOKEN_GRID, "selectedRows"),
        ],
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
