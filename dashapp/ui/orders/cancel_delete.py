"""Cancelling or deleting the order selected in the history, after a confirmation dialog."""

from __future__ import annotations

from decimal import Decimal

import dash_bootstrap_components as dbc
from dash import Dash, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp import orders as domain
from dashapp.store.models import CANCELLED
from dashapp.ui import ids
from dashapp.ui.parts import dialog, feedback, refusal, secondary_button
from dashapp.ui.text import money_text
from dashapp.ui.triggers import new_token, on_click, wrote
from dashapp.validation import InputError
from dashapp.web.access import current_account


def confirm_modal() -> dbc.Modal:
    """The dialog that asks before a cancel or a delete; its text names the order."""
    return dialog(
        ids.CONFIRM_MODAL,
        "Please confirm",
        dbc.ModalBody(id=ids.CONFIRM_TEXT),
        [
            secondary_button("Keep it", ids.CONFIRM_BACK),
            dbc.Button("Yes, go ahead", id=ids.CONFIRM_OK, color="danger"),
        ],
        centered=True,
    )


def register_cancel_delete_callbacks(app: Dash, engine: Engine) -> None:
    """The dialog (open, back) and the confirmed write (guarded by orders:write)."""

    @on_click(
        app,
        None,
        [ids.HISTORY_CANCEL, ids.HISTORY_DELETE, ids.CONFIRM_BACK],
        [
            Output(ids.CONFIRM_MODAL, "is_open"),
            Output(ids.CONFIRM_TEXT, "children"),
            Output(ids.CONFIRM_ACTION, "data"),
        ],
        [State(ids.HISTORY_GRID, "selectedRows")],
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

    @on_click(
        app,
        "orders:write",
        ids.CONFIRM_OK,
        [Output(ids.CONFIRM_MODAL, "is_open", allow_duplicate=True), *wrote(ids.ORDER_MESSAGE)],
        [State(ids.CONFIRM_ACTION, "data")],
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
            return False, refusal("That order no longer exists."), no_update
        except (domain.OrderAccessError, InputError) as exc:
            return False, refusal(str(exc), id="order-refused"), no_update
        return False, feedback(text), new_token(engine)
