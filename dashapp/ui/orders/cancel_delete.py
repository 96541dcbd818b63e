"""Cancelling or deleting the order selected in the history, after a confirmation dialog."""

from __future__ import annotations

from decimal import Decimal

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp import orders as domain
from dashapp.store.models import CANCELLED
from dashapp.ui import ids
from dashapp.ui.text import money_text
from dashapp.validation import InputError
from dashapp.web.access import current_account, guarded


def confirm_modal() -> dbc.Modal:
    """The dialog that asks before a cancel or a delete; its text names the order."""
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Please confirm")),
            dbc.ModalBody(id=ids.CONFIRM_TEXT),
            dbc.ModalFooter(
                [
                    dbc.Button("Keep it", id=ids.CONFIRM_BACK, color="secondary", outline=True),
                    dbc.Button("Yes, go ahead", id=ids.CONFIRM_OK, color="danger"),
                ]
            ),
        ],
        id=ids.CONFIRM_MODAL,
        is_open=False,
        centered=True,
    )


def register_cancel_delete_callbacks(app: Dash, engine: Engine) -> None:
    """The dialog (open, back) and the confirmed write (guarded by orders:write)."""

    @app.callback(
        Output(ids.CONFIRM_MODAL, "is_open"),
        Output(ids.CONFIRM_TEXT, "children"),
        Output(ids.CONFIRM_ACTION, "data"),
        Input(ids.HISTORY_CANCEL, "n_clicks"),
        Input(ids.HISTORY_DELETE, "n_clicks"),
        Input(ids.CONFIRM_BACK, "n_clicks"),
        State(ids.HISTORY_GRID, "selectedRows"),
        prevent_initial_call=True,
    )
    def ask(cancel, delete, back, selected):
        if not (cancel or delete or back):
            raise PreventUpdate
        if ctx.triggered_id == ids.CONFIRM_BACK or not selected:
            return False, no_update, None
        row = selected[0]
        action = "cancel" if ctx.triggered_id == ids.HISTORY_CANCEL else "delete"
        what = (
            f"order {row['number']} ({row['customer']}, {money_text(Decimal(str(row['total'])))})"
        )
        text = (
            f"Cancel {what}? Its units go back into stock and it no longer counts as revenue."
            if action == "cancel"
            else f"Delete {what} for good? Its units go back into stock. This cannot be undone."
        )
        return True, text, {"action": action, "id": row["id"], "number": row["number"]}

    @guarded(
        app,
        "orders:write",
        Output(ids.CONFIRM_MODAL, "is_open", allow_duplicate=True),
        Output(ids.ORDER_MESSAGE, "children", allow_duplicate=True),
        Output(ids.REFRESH_TOKEN, "data", allow_duplicate=True),
        Input(ids.CONFIRM_OK, "n_clicks"),
        State(ids.CONFIRM_ACTION, "data"),
        prevent_initial_call=True,
    )
    def confirmed(n, action):
        if not n or not isinstance(action, dict):
            raise PreventUpdate
        account = current_account()
        number = str(action.get("number", ""))[:40]
        try:
            if action.get("action") == "cancel":
                domain.set_status(engine, domain.order_id(action.get("id")), CANCELLED, account)
                text = f"Cancelled order {number}; its stock is back."
            elif action.get("action") == "delete":
                domain.delete_order(engine, domain.order_id(action.get("id")), account)
                text = f"Deleted order {number}; its stock is back."
            else:
                raise InputError("Unknown action: use cancel or delete.")
        except domain.OrderNotFound:
            return False, dbc.Alert("That order no longer exists.", color="warning"), no_update
        except (domain.OrderAccessError, InputError) as exc:
            refused = dbc.Alert(str(exc), color="warning", id="order-refused")
            return False, refused, no_update
        with engine.connect() as conn:
            token = domain.data_version(conn)
        message = dbc.Alert(text, color="success", dismissable=True, className="mb-0")
        return False, message, token
