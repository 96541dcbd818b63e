"""The order entry form: the header fields, each with a message slot under it, the lines grid
and the footer with the running total; and the outputs that fill it (blank, or an order to edit).
"""

from __future__ import annotations

from datetime import datetime

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, Output, State, dcc, html, no_update

from dashapp import orders as domain
from dashapp.store.models import ORDER_STATUSES
from dashapp.ui import ids
from dashapp.ui.parts import checked_field

DATE_INPUT_FORMAT = "%Y-%m-%dT%H:%M"

LINE_COLUMNS = [
    {
        "field": "sku",
        "headerName": "SKU",
        "editable": True,
        "minWidth": 110,
        "headerTooltip": "Type a SKU, or add a product with the picker above",
    },
    {"field": "name", "headerName": "Product", "flex": 2, "minWidth": 150},
    {
        "field": "quantity",
        "headerName": "Qty",
        "editable": True,
        "cellDataType": "number",
        "cellEditorParams": {"precision": 0},
        "type": "rightAligned",
        "minWidth": 80,
    },
    {
        "field": "unit_price",
        "headerName": "Unit price",
        "editable": True,
        "cellDataType": "number",
        "cellEditorParams": {"precision": 2},
        "valueFormatter": {"function": "moneyText(params.value)"},
        "type": "rightAligned",
        "minWidth": 110,
    },
    {
        "field": "discount_pct",
        "headerName": "Discount %",
        "editable": True,
        "cellDataType": "number",
        "cellEditorParams": {"precision": 2},
        "type": "rightAligned",
        "minWidth": 105,
    },
    {
        "colId": "amount",
        "headerName": "Amount",
        "valueGetter": {"function": "orderLineAmount(params)"},
        "valueFormatter": {"function": "moneyText(params.value)"},
        "type": "rightAligned",
        "minWidth": 110,
    },
    {
        "field": "error",
        "headerName": "Check",
        "flex": 2,
        "minWidth": 180,
        "wrapText": True,
        "autoHeight": True,
        "cellClass": "line-error",
    },
    {
        "colId": "remove",
        "headerName": "",
        "cellRenderer": "RemoveLineButton",
        "width": 56,
        "maxWidth": 56,
        "resizable": False,
    },
]


def _field(label: str, control, name: str, width: str = "") -> html.Div:
    error = ids.order_field_error(name)
    return checked_field(label, control, error, f"order-field {width}", role="alert")


def entry_form() -> dbc.Card:
    """The "New order" card (its title says "Editing order ..." while one is loaded)."""
    header = html.Div(
        [
            _field(
                "Customer",
                dcc.Dropdown(
                    id=ids.ORDER_CUSTOMER,
                    placeholder="Type part of a name or email",
                    clearable=True,
                ),
                "customer_id",
                "wide",
            ),
            _field(
                "Date",
                dbc.Input(
                    id=ids.ORDER_DATE,
                    type="datetime-local",
                    value=datetime.now().strftime(DATE_INPUT_FORMAT),
                ),
                "ordered_at",
            ),
            _field(
                "Status",
                dbc.Select(
                    id=ids.ORDER_STATUS,
                    options=[{"label": s, "value": s} for s in ORDER_STATUSES],
                    value=domain.DEFAULT_STATUS,
                ),
                "status",
            ),
            _field(
                "Channel",
                dbc.Input(id=ids.ORDER_CHANNEL, placeholder="e.g. Phone, Web", maxLength=30),
                "channel",
            ),
            _field(
                "Payment",
                dbc.Input(id=ids.ORDER_PAYMENT, placeholder="e.g. Card, Invoice", maxLength=30),
                "payment_type",
            ),
            _field(
                "Note",
                dbc.Input(id=ids.ORDER_NOTE, placeholder="Optional", maxLength=500),
                "note",
                "wide",
            ),
        ],
        className="order-form-grid",
    )
    lines = html.Div(
        [
            html.Div(
                [
                    dcc.Dropdown(
                        id=ids.ORDER_ADD_PRODUCT,
                        placeholder="Add a product: type part of its name or SKU",
                        className="add-product",
                    ),
                    html.Div(id=ids.order_field_error("lines"), className="field-error"),
                ],
                className="add-product-wrap",
            ),
            dag.AgGrid(
                id=ids.ORDER_LINES,
                columnDefs=LINE_COLUMNS,
                rowData=[],
                getRowId="params.data.key",
                defaultColDef={"sortable": False, "resizable": True, "suppressMovable": True},
                columnSize="responsiveSizeToFit",
                dashGridOptions={
                    "domLayout": "autoHeight",
                    "singleClickEdit": False,
                    "stopEditingWhenCellsLoseFocus": True,
                    "localeText": {"noRowsToShow": "No lines yet: add a product above."},
                },
                className="lines-grid",
            ),
        ]
    )
    footer = html.Div(
        [
            html.Div(
                [
                    html.Span("Order total", className="order-total-label"),
                    html.Span("$0.00", id=ids.ORDER_TOTAL, className="order-total"),
                    html.Span(id=ids.ORDER_TOTAL + "-lines", className="order-total-lines"),
                ],
                className="order-total-wrap",
                **{"aria-live": "polite"},
            ),
            html.Div(
                [
                    dbc.Button("Clear", id=ids.ORDER_CLEAR, color="secondary", outline=True),
                    dbc.Button("Save order", id=ids.ORDER_SAVE, color="primary"),
                ],
                className="d-flex gap-2",
            ),
        ],
        className="order-footer",
    )
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.H2("New order", id=ids.ORDER_FORM_TITLE, className="card-title"),
                        html.Div(
                            "Pick a customer, add products, adjust quantities and prices in the "
                            "grid (double-click a cell), then save.",
                            className="card-caption",
                        ),
                    ],
                    className="mb-3",
                ),
                dcc.Store(id=ids.ORDER_EDITING, data=None),
                header,
                lines,
                html.Div(id=ids.ORDER_MESSAGE, className="mt-2"),
                footer,
            ]
        ),
        className="chart-card order-entry",
    )


FORM_OUTPUTS = [
    (ids.ORDER_EDITING, "data"),
    (ids.ORDER_FORM_TITLE, "children"),
    (ids.ORDER_CUSTOMER, "options"),
    (ids.ORDER_CUSTOMER, "value"),
    (ids.ORDER_DATE, "value"),
    (ids.ORDER_STATUS, "value"),
    (ids.ORDER_CHANNEL, "value"),
    (ids.ORDER_PAYMENT, "value"),
    (ids.ORDER_NOTE, "value"),
    (ids.ORDER_LINES, "rowData"),
    (ids.order_field_error(ALL), "children"),
]


def form_outputs(duplicate: bool) -> list[Output]:
    """Outputs for every part of the form, in FORM_OUTPUTS order."""
    return [Output(i, p, allow_duplicate=duplicate) for i, p in FORM_OUTPUTS]


def form_states() -> list[State]:
    """What Save reads: every part FORM_OUTPUTS fills but the title and the error slots, then
    the slots' ids (to answer one message per slot)."""
    held = [State(i, p) for i, p in FORM_OUTPUTS if p != "children"]
    return [*held, State(ids.order_field_error(ALL), "id")]


def blank_form(n_errors: int) -> tuple:
    """Values for FORM_OUTPUTS that give an empty new order (the customer options are kept)."""
    return (
        None,
        "New order",
        no_update,
        None,
        datetime.now().strftime(DATE_INPUT_FORMAT),
        domain.DEFAULT_STATUS,
        "",
        "",
        "",
        [],
        [""] * n_errors,
    )
