"""Saving the form (a new order, or the one being edited) and filling it: Clear empties it,
Edit loads the order selected in the history."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp import orders as domain
from dashapp.catalog.search import customers_by_id, products_by_key
from dashapp.ui import ids
from dashapp.ui.orders.entry import customer_label
from dashapp.ui.orders.form import (
    DATE_INPUT_FORMAT,
    FORM_OUTPUTS,
    blank_form,
    form_outputs,
    form_states,
)
from dashapp.ui.orders.lines import (
    draft_from_form,
    error_summary,
    line_row,
    lines_with_errors,
    next_key,
)
from dashapp.ui.parts import feedback, refusal
from dashapp.ui.text import money_text
from dashapp.ui.triggers import new_token, on_click
from dashapp.validation import InputError
from dashapp.web.access import current_account


def register_save_callbacks(app: Dash, engine: Engine) -> None:
    """Save (guarded by orders:write), and Clear / Edit filling the form."""

    @on_click(
        app,
        "orders:write",
        ids.ORDER_SAVE,
        [
            Output(ids.ORDER_MESSAGE, "children"),
            Output(ids.REFRESH_TOKEN, "data", allow_duplicate=True),
            *form_outputs(duplicate=True),
        ],
        form_states(),
    )
    def save(n, editing, options, customer, when, status, channel, payment, note, rows, slots):
        # Dash calls this when the form appears (an output, the refresh token, was already
        # on the page); only a click saves.
        if not n:
            raise PreventUpdate
        rows = list(rows or [])
        draft = draft_from_form(customer, when, status, channel, payment, note, rows)
        account = current_account()
        try:
            # None is a new order; anything else must be a real order id (a forged 0 or ""
            # must not quietly become a new order).
            if editing is not None:
                saved = domain.update_order(engine, domain.order_id(editing), draft, account)
                verb = "Updated"
            else:
                saved = domain.create_order(engine, draft, account)
                verb = "Saved"
        except domain.ValidationError as exc:
            header = {
                slot["field"]: " ".join(e.message for e in exc.errors if e.field == slot["field"])
                for slot in slots
            }
            alert = dbc.Alert(
                [html.Strong("Nothing was saved. "), *error_summary(exc.errors)],
                color="danger",
                className="mb-0",
                id="order-errors",
            )
            unchanged = [no_update] * (len(FORM_OUTPUTS) - 2)
            return (
                alert,
                no_update,
                *unchanged,
                lines_with_errors(rows, exc.errors),
                [header.get(s["field"], "") for s in slots],
            )
        except (domain.OrderNotFound, domain.OrderAccessError, InputError) as exc:
            text = (
                "This order no longer exists (someone deleted it). Nothing was saved."
                if isinstance(exc, domain.OrderNotFound)
                else f"Nothing was saved: {exc}"
            )
            alert = refusal(text, id="order-refused")
            unchanged = [no_update] * (len(FORM_OUTPUTS) - 1)
            return (alert, no_update, *unchanged, [no_update] * len(slots))
        text = f"{verb} order {saved.number} · total {money_text(saved.total)}"
        return (feedback(text, id="order-saved"), new_token(engine), *blank_form(len(slots)))

    @on_click(
        app,
        None,
        [ids.ORDER_CLEAR, ids.HISTORY_EDIT],
        [Output(ids.ORDER_MESSAGE, "children", allow_duplicate=True), *form_outputs(True)],
        [State(ids.HISTORY_GRID, "selectedRows"), State(ids.order_field_error(ALL), "id")],
    )
    def load_form(clear, edit, selected, slots):
        """Clear the form, or load the selected order into it for editing."""
        if not (clear or edit):
            raise PreventUpdate
        if ctx.triggered_id == ids.ORDER_CLEAR or not selected:
            return (None, *blank_form(len(slots)))
        try:
            order_id = domain.order_id(
                selected[0].get("id") if isinstance(selected[0], dict) else None
            )
            with engine.connect() as conn:
                draft = domain.draft_from_order(conn, order_id, current_account())
        except (domain.OrderAccessError, InputError) as exc:
            return (refusal(str(exc), id="order-refused"), *blank_form(len(slots)))
        if draft is None:
            raise PreventUpdate
        with engine.connect() as conn:
            catalog = products_by_key(conn, ids=[line.product for line in draft.lines])
            known = customers_by_id(conn, [draft.customer_id])
        rows = []
        for line in draft.lines:
            row = line_row(next_key(rows), catalog[line.product])
            row.update(quantity=line.quantity, unit_price=float(line.unit_price))
            row["discount_pct"] = float(line.discount_pct)
            rows.append(row)
        number = str(selected[0].get("number") or f"#{order_id}")[:40]
        found = known.get(draft.customer_id)
        label = customer_label(found) if found else f"#{draft.customer_id}"
        customer = {"label": label, "value": draft.customer_id}
        return (
            None,
            order_id,
            f"Editing order {number}",
            [customer],
            draft.customer_id,
            draft.ordered_at.strftime(DATE_INPUT_FORMAT),
            draft.status,
            draft.channel or "",
            draft.payment_type or "",
            draft.note or "",
            rows,
            [""] * len(slots),
        )
