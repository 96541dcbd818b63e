"""My account: every role changes its own password from the top bar (old + new). The change
ends the user's other sessions; this one stays signed in."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, html, no_update
from sqlalchemy import Engine

from dashapp import auth
from dashapp.ui import ids
from dashapp.web.access import current_account, guarded
from dashapp.web.sessions import keep_session


def account_modal() -> dbc.Modal:
    def field(id_: str, label: str, autocomplete: str) -> html.Div:
        return html.Div(
            [
                dbc.Label(label, html_for=id_),
                dbc.Input(id=id_, type="password", autocomplete=autocomplete),
            ],
            className="mb-3",
        )

    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Change your password")),
            dbc.ModalBody(
                [
                    field(ids.ACCOUNT_OLD, "Current password", "current-password"),
                    field(ids.ACCOUNT_NEW, "New password", "new-password"),
                    field(ids.ACCOUNT_REPEAT, "New password again", "new-password"),
                    html.Div(auth.PASSWORD_RULES, className="small text-muted"),
                    html.Div(id=ids.ACCOUNT_MESSAGE, className="mt-3", **{"aria-live": "polite"}),
                ]
            ),
            dbc.ModalFooter(dbc.Button("Change password", id=ids.ACCOUNT_SAVE, color="primary")),
        ],
        id=ids.ACCOUNT_MODAL,
        is_open=False,
    )


def register_callbacks(app: Dash, engine: Engine) -> None:
    @app.callback(
        Output(ids.ACCOUNT_MODAL, "is_open"),
        Output(ids.ACCOUNT_MESSAGE, "children", allow_duplicate=True),
        Input(ids.ACCOUNT_OPEN, "n_clicks"),
        prevent_initial_call=True,
    )
    def open_account(_clicks):
        return True, None

    @guarded(
        app,
        "view",
        Output(ids.ACCOUNT_MESSAGE, "children"),
        Output(ids.ACCOUNT_OLD, "value"),
        Output(ids.ACCOUNT_NEW, "value"),
        Output(ids.ACCOUNT_REPEAT, "value"),
        Input(ids.ACCOUNT_SAVE, "n_clicks"),
        State(ids.ACCOUNT_OLD, "value"),
        State(ids.ACCOUNT_NEW, "value"),
        State(ids.ACCOUNT_REPEAT, "value"),
        prevent_initial_call=True,
    )
    def change_password(_clicks, old, new, repeat):
        account = current_account()
        if account is None:
            return dbc.Alert("Sign in first.", color="danger"), no_update, no_update, no_update
        if (new or "") != (repeat or ""):
            message = dbc.Alert("The new passwords differ.", color="danger", id="account-alert")
            return message, no_update, "", ""
        try:
            version = auth.set_password(
                engine, account.id, old or "", new or "", actor=account.username
            )
        except auth.AuthError as exc:
            message = dbc.Alert(f"Not changed: {exc}.", color="danger", id="account-alert")
            return message, "", no_update, no_update
        keep_session(version)
        message = dbc.Alert("Your password was changed.", color="success", id="account-alert")
        return message, "", "", ""
