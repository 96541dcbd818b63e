"""My account: every role changes its own password from the top bar (old + new). The change
ends the user's other sessions; this one stays signed in."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Output, State, html, no_update
from sqlalchemy import Engine

from dashapp import auth
from dashapp.ui import ids
from dashapp.ui.parts import dialog, form_field
from dashapp.ui.triggers import on_click
from dashapp.web.access import current_account
from dashapp.web.sessions import keep_session

# The three password inputs: (id, label, the browser's autocomplete hint).
PASSWORDS = (
    (ids.ACCOUNT_OLD, "Current password", "current-password"),
    (ids.ACCOUNT_NEW, "New password", "new-password"),
    (ids.ACCOUNT_REPEAT, "New password again", "new-password"),
)
PASSWORD_IDS = [id_ for id_, _, _ in PASSWORDS]


def account_modal() -> dbc.Modal:
    fields = [
        form_field(label, dbc.Input(id=id_, type="password", autocomplete=hint), "mb-3")
        for id_, label, hint in PASSWORDS
    ]
    body = dbc.ModalBody(
        [
            *fields,
            html.Div(auth.PASSWORD_RULES, className="small text-muted"),
            html.Div(id=ids.ACCOUNT_MESSAGE, className="mt-3", **{"aria-live": "polite"}),
        ]
    )
    save = dbc.Button("Change password", id=ids.ACCOUNT_SAVE, color="primary")
    return dialog(ids.ACCOUNT_MODAL, "Change your password", body, save)


def register_callbacks(app: Dash, engine: Engine) -> None:
    opened = [
        Output(ids.ACCOUNT_MODAL, "is_open"),
        Output(ids.ACCOUNT_MESSAGE, "children", allow_duplicate=True),
    ]

    @on_click(app, None, ids.ACCOUNT_OPEN, opened)
    def open_account(_clicks):
        return True, None

    # The message, then the three fields (emptied or left as typed).
    answer = [Output(ids.ACCOUNT_MESSAGE, "children")] + [Output(i, "value") for i in PASSWORD_IDS]

    @on_click(app, "view", ids.ACCOUNT_SAVE, answer, [State(i, "value") for i in PASSWORD_IDS])
    def change_password(_clicks, old, new, repeat):
        account = current_account()
        if account is None:
            return dbc.Alert("Sign in first.", color="danger"), no_update, no_update, no_update
        if (new or "") != (repeat or ""):
            return _said("The new passwords differ.", "danger"), no_update, "", ""
        try:
            version = auth.set_password(
                engine, account.id, old or "", new or "", actor=account.username
            )
        except auth.AuthError as exc:
            return _said(f"Not changed: {exc}.", "danger"), "", no_update, no_update
        keep_session(version)
        return _said("Your password was changed.", "success"), "", "", ""


def _said(text: str, color: str) -> dbc.Alert:
    return dbc.Alert(text, color=color, id="account-alert")
