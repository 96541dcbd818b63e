"""Orders section (issue 4): an entry form with a spreadsheet-like lines grid, and the order
history (paged, sorted and filtered on the server) with edit, cancel, delete and CSV export.

This module only puts the parts together:
- form.py: the entry form's layout and the outputs that fill it;
- lines.py: the form as data (grid rows, the draft, errors placed by their line and field);
- entry.py: typing an order (pickers, lines, running total);
- save.py: Save, and Clear / Edit filling the form;
- history.py: the history grid, its caption and export link;
- cancel_delete.py: cancel or delete the selected order after a confirmation.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, dcc, html
from sqlalchemy import Engine

from dashapp.ui import drill, ids
from dashapp.ui.orders.cancel_delete import confirm_modal, register_cancel_delete_callbacks
from dashapp.ui.orders.entry import register_entry_callbacks
from dashapp.ui.orders.form import entry_form
from dashapp.ui.orders.history import history_card, register_history_callbacks
from dashapp.ui.orders.save import register_save_callbacks
from dashapp.ui.shell import Section
from dashapp.web.access import current_account


def layout() -> html.Div:
    """The form and its dialog for a role that may write orders, a note for one that may not;
    then the history."""
    account = current_account()
    can_write = account is None or account.can("orders:write")
    parts = []
    if can_write:
        parts += [entry_form(), confirm_modal(), dcc.Store(id=ids.CONFIRM_ACTION)]
    else:
        parts.append(
            dbc.Alert(
                f"Your role ({account.role}) can look at orders but not enter or change them.",
                color="light",
                className="empty-state mb-0",
            )
        )
    parts += [drill.back_bar(), history_card(can_write)]
    return html.Div(parts, className="orders-section")


SECTION = Section(
    key="orders",
    label="Orders",
    layout=layout,
    filters_note="These filters apply to the order history, not to the entry form.",
)


def register_callbacks(app: Dash, engine: Engine) -> None:
    """Order entry, history paging and the writes (guarded by orders:write)."""
    register_entry_callbacks(app, engine)
    register_save_callbacks(app, engine)
    register_history_callbacks(app, engine)
    register_cancel_delete_callbacks(app, engine)
    drill.register_back(app)
