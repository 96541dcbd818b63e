"""Admin section (SPEC §4.7): data import, backup and restore, users, and the audit log.

Managers see the Import tab only; the other tabs need users:manage or data:backup, and every
callback behind them is `guarded` with that permission, so hiding them is not the protection.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import flask
from dash import Dash, dcc, html
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine

from dashapp.ui import ids
from dashapp.ui.admin import audit as admin_audit
from dashapp.ui.admin import backup as admin_backup
from dashapp.ui.admin import data_import as admin_import
from dashapp.ui.admin import users as admin_users
from dashapp.ui.shell import Section
from dashapp.web.access import current_account
from dashapp.web.backup_routes import init_backup_routes

_SALT = "sales-pulse-admin-user"


def _tabs(account) -> list[tuple[str, str, str, object]]:
    """(tab id, label, permission, body builder) for every tab."""
    return [
        ("import", "Import", "data:import", admin_import.layout),
        ("backup", "Backup & restore", "data:backup", admin_backup.layout),
        ("users", "Users", "users:manage", admin_users.layout),
        ("audit", "Audit log", "users:manage", admin_audit.layout),
    ]


def sign_user(username: str) -> str:
    """The username signed with the app secret: background jobs run outside the request."""
    return URLSafeSerializer(flask.current_app.secret_key, salt=_SALT).dumps(username)


def signed_user(secret: str, token: str | None) -> str | None:
    """The username in a token made by `sign_user`, or None when it was tampered with."""
    try:
        return URLSafeSerializer(secret, salt=_SALT).loads(token or "")
    except BadSignature:
        return None


def layout() -> html.Div:
    account = current_account()
    allowed = [t for t in _tabs(account) if account is None or account.can(t[2])]
    return html.Div(
        [
            dcc.Store(id=ids.ADMIN_USER, data=sign_user(account.username) if account else None),
            html.Div(
                [
                    html.H1("Admin", className="page-title"),
                    html.P(
                        "Import orders, back up and restore the database, manage users and "
                        "read the audit log.",
                        className="page-lead",
                    ),
                ]
            ),
            dbc.Tabs(
                [dbc.Tab(build(), label=label, tab_id=key) for key, label, _, build in allowed],
                id=ids.ADMIN_TABS,
                active_tab=allowed[0][0] if allowed else None,
                className="admin-tabs",
            ),
        ],
        className="admin",
    )


SECTION = Section(key="admin", label="Admin", layout=layout, permission="data:import", filters=())


def register_callbacks(app: Dash, engine: Engine) -> None:
    """Callbacks of every tab, and the Flask routes that stream backup files."""
    init_backup_routes(app.server, engine)
    admin_import.register_callbacks(app, engine)
    admin_backup.register_callbacks(app, engine)
    admin_users.register_callbacks(app, engine)
    admin_audit.register_callbacks(app, engine)
