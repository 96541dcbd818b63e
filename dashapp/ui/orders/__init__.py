"""Orders section (issue 4): an entry form with a spreadsheet-like lines grid, and the order
history (paged, sorted and filtered on the server) with edit, cancel, delete and CSV export."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp import orders as domain
from dashapp.analytics import dimensions
from dashapp.catalog import search_customers, search_products
from dashapp.catalog.search import products_by_key
from dashapp.orders.history import HistoryQueryError, as_grid_row, order_history_page
from dashapp.store.models import CANCELLED, ORDER_STATUSES
from dashapp.ui import ids
from dashapp.ui.orders.lines import (
    draft_from_form,
    error_summary,
    line_row,
    lines_with_errors,
    next_key,
)
from dashapp.ui.shell import Section, filters_of
from dashapp.ui.text import describe, money_text
from dashapp.validation import InputError
from dashapp.web.access import current_account, guarded
from dashapp.web.exports import history_export_url

PICKER_LIMIT = 20
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

HISTORY_COLUMNS = [
    {"field": "number", "headerName": "Order", "filter": "agTextColumnFilter", "minWidth": 120},
    {
        "field": "date",
        "headerName": "Date",
        "filter": "agDateColumnFilter",
        "sort": "desc",
        "valueFormatter": {"function": "orderDateText(params.value)"},
        "minWidth": 130,
    },
    {
        "field": "customer",
        "headerName": "Customer",
        "filter": "agTextColumnFilter",
        "flex": 2,
        "minWidth": 190,
        "tooltipField": "customer",
    },
    {"field": "country", "headerName": "Country", "filter": "agTextColumnFilter", "minWidth": 120},
    {"field": "status", "headerName": "Status", "filter": "agTextColumnFilter", "minWidth": 120},
    {"field": "channel", "headerName": "Channel", "filter": "agTextColumnFilter", "minWidth": 110},
    {
        "field": "lines",
        "headerName": "Lines",
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "minWidth": 90,
    },
    {
        "field": "units",
        "headerName": "Units",
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "minWidth": 90,
    },
    {
        "field": "total",
        "headerName": "Total",
        "filter": "agNumberColumnFilter",
        "valueFormatter": {"function": "moneyText(params.value)"},
        "type": "rightAligned",
        "minWidth": 130,
    },
]
HISTORY_BLOCK = 100


def _field(label: str, control, name: str, width: str = "") -> html.Div:
    return html.Div(
        [
            html.Label(label, className="form-label small fw-semibold"),
            control,
            html.Div(id=ids.order_field_error(name), className="field-error", role="alert"),
        ],
        className=f"order-field {width}",
    )


def _entry_form() -> dbc.Card:
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


def _history(can_write: bool) -> dbc.Card:
    buttons = [
        html.A(
            "Export CSV",
            id=ids.HISTORY_EXPORT,
            href="/export/orders.csv",
            download="orders.csv",
            className="btn btn-outline-secondary btn-sm",
            title="Download the orders below, with the same filters and sorting",
        )
    ]
    if can_write:
        buttons = [
            dbc.Button("Edit", id=ids.HISTORY_EDIT, size="sm", color="primary", disabled=True),
            dbc.Button(
                "Cancel order",
                id=ids.HISTORY_CANCEL,
                size="sm",
                color="warning",
                outline=True,
                disabled=True,
            ),
            dbc.Button(
                "Delete",
                id=ids.HISTORY_DELETE,
                size="sm",
                color="danger",
                outline=True,
                disabled=True,
            ),
            *buttons,
        ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.Div(
                            [
                                html.H2("Order history", className="card-title"),
                                html.Div(id=ids.HISTORY_CAPTION, className="card-caption"),
                            ],
                            className="me-auto",
                        ),
                        html.Div(buttons, className="d-flex flex-wrap gap-2"),
                    ],
                    className="d-flex flex-wrap gap-2 align-items-start mb-2",
                ),
                dag.AgGrid(
                    id=ids.HISTORY_GRID,
                    rowModelType="infinite",
                    columnDefs=HISTORY_COLUMNS,
                    getRowId="'' + params.data.id",
                    defaultColDef={
                        "sortable": True,
                        "resizable": True,
                        "flex": 1,
                        "filterParams": {"maxNumConditions": 1, "buttons": ["reset"]},
                    },
                    dashGridOptions={
                        "rowSelection": {
                            "mode": "singleRow",
                            "checkboxes": False,
                            "enableClickSelection": True,
                        },
                        "cacheBlockSize": HISTORY_BLOCK,
                        "maxBlocksInCache": 20,
                        "maxConcurrentDatasourceRequests": 1,
                        "infiniteInitialRowCount": 1,
                        "rowBuffer": 0,
                    },
                    style={"height": "460px"},
                    className="history-grid",
                ),
                dcc.Store(id=ids.HISTORY_RELOADED),
            ]
        ),
        className="chart-card",
    )


def _confirm_modal() -> dbc.Modal:
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


def layout() -> html.Div:
    account = current_account()
    can_write = account is None or account.can("orders:write")
    parts = []
    if can_write:
        parts += [_entry_form(), _confirm_modal(), dcc.Store(id=ids.CONFIRM_ACTION)]
    else:
        parts.append(
            dbc.Alert(
                f"Your role ({account.role}) can look at orders but not enter or change them.",
                color="light",
                className="empty-state mb-0",
            )
        )
    parts.append(_history(can_write))
    return html.Div(parts, className="orders-section")


SECTION = Section(key="orders", label="Orders", path="/orders", layout=layout)

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


def _form_outputs(duplicate: bool) -> list[Output]:
    return [Output(i, p, allow_duplicate=duplicate) for i, p in FORM_OUTPUTS]


def _blank_form(n_errors: int) -> tuple:
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


def _customer_label(row: dict) -> str:
    where = f" · {row['country']}" if row.get("country") else ""
    return f"{row['name']}{where}"


def _product_label(row: dict) -> str:
    price = money_text(Decimal(row["list_price_cents"]) / 100)
    return f"{row['name']} · {row['sku']} · {price} · {row['stock_on_hand']:,} in stock"


def register_callbacks(app: Dash, engine: Engine) -> None:
    """Order entry, history paging and the writes (guarded by orders:write)."""

    @app.callback(
        Output(ids.ORDER_CUSTOMER, "options"),
        Input(ids.ORDER_CUSTOMER, "search_value"),
        State(ids.ORDER_CUSTOMER, "value"),
        State(ids.ORDER_CUSTOMER, "options"),
    )
    def customer_options(search, selected, current):
        with engine.connect() as conn:
            found = search_customers(conn, search, PICKER_LIMIT)
        options = [{"label": _customer_label(r), "value": r["id"]} for r in found]
        # Keep the chosen customer (also an inactive one being edited) among the options.
        kept = [o for o in current or [] if o["value"] == selected]
        return kept + [o for o in options if o["value"] != selected]

    @app.callback(
        Output(ids.ORDER_ADD_PRODUCT, "options"),
        Input(ids.ORDER_ADD_PRODUCT, "search_value"),
        State(ids.ORDER_ADD_PRODUCT, "value"),
        State(ids.ORDER_ADD_PRODUCT, "options"),
    )
    def product_options(search, selected, current):
        # Picking an option clears the search text; answering that with a fresh list would
        # drop the picked product (Dash's dropdown forgets a value missing from its options).
        if not search and current and ctx.triggered_id is not None:
            raise PreventUpdate
        with engine.connect() as conn:
            found = search_products(conn, search, PICKER_LIMIT)
        options = [{"label": _product_label(r), "value": r["id"]} for r in found]
        kept = [o for o in current or [] if o["value"] == selected]
        return kept + [o for o in options if o["value"] != selected]

    @app.callback(
        Output(ids.ORDER_LINES, "rowData", allow_duplicate=True),
        Output(ids.ORDER_ADD_PRODUCT, "value"),
        Input(ids.ORDER_ADD_PRODUCT, "value"),
        State(ids.ORDER_LINES, "rowData"),
        prevent_initial_call=True,
    )
    def add_line(product_id, rows):
        if product_id is None:
            raise PreventUpdate
        with engine.connect() as conn:
            product = products_by_key(conn, ids=[product_id]).get(product_id)
        if product is None:
            raise PreventUpdate
        rows = list(rows or [])
        return rows + [line_row(next_key(rows), product)], None

    @app.callback(
        Output(ids.ORDER_LINES, "rowData", allow_duplicate=True),
        Input(ids.ORDER_LINES, "cellValueChanged"),
        State(ids.ORDER_LINES, "rowData"),
        prevent_initial_call=True,
    )
    def line_edited(changes, rows):
        """A typed SKU is looked up at once (name and catalog price); an edit clears the
        line's old message."""
        rows = [dict(r) for r in rows or []]
        by_key = {r["key"]: r for r in rows}
        skus = [c["data"].get("sku") for c in changes or [] if c.get("colId") == "sku"]
        with engine.connect() as conn:
            catalog = products_by_key(conn, skus=[str(s).strip() for s in skus if s])
        changed = False
        for change in changes or []:
            row = by_key.get(change.get("rowId"))
            if row is None:
                continue
            if row.get("error"):
                row["error"], changed = "", True
            if change.get("colId") == "sku":
                sku = str(row.get("sku") or "").strip()
                product = catalog.get(sku)
                fresh = line_row(row["key"], product) if product else None
                row["product_id"] = product["id"] if product else None
                row["name"] = fresh["name"] if fresh else ""
                row["unit_price"] = fresh["unit_price"] if fresh else row.get("unit_price")
                row["error"] = "" if product or not sku else f"Unknown product {sku!r}"
                changed = True
        if not changed:
            raise PreventUpdate
        return rows

    @app.callback(
        Output(ids.ORDER_LINES, "rowData", allow_duplicate=True),
        Input(ids.ORDER_LINES, "cellRendererData"),
        State(ids.ORDER_LINES, "rowData"),
        prevent_initial_call=True,
    )
    def remove_line(clicked, rows):
        if not clicked:
            raise PreventUpdate
        return [r for r in rows or [] if r["key"] != clicked.get("rowId")]

    app.clientside_callback(
        # Edits change the row objects in place, so rowData alone does not fire this again:
        # cellValueChanged does, and the rows are read from the grid itself.
        f"""function(rows, changed) {{
            let current = rows;
            const edited = (window.dash_clientside.callback_context.triggered || [])
                .some(t => t.prop_id.endsWith('.cellValueChanged'));
            if (edited) {{
                try {{
                    const api = dash_ag_grid.getApi('{ids.ORDER_LINES}');
                    current = [];
                    api.forEachNode(node => current.push(node.data));
                }} catch (e) {{ current = rows; }}
            }}
            const t = window.dashAgGridFunctions.orderTotalText(current);
            const open = t.open ? ` · ${{t.open}} incomplete` : '';
            return [t.total, `${{t.lines}}${{open}}`];
        }}""",
        Output(ids.ORDER_TOTAL, "children"),
        Output(ids.ORDER_TOTAL + "-lines", "children"),
        Input(ids.ORDER_LINES, "rowData"),
        Input(ids.ORDER_LINES, "cellValueChanged"),
    )

    @guarded(
        app,
        "orders:write",
        Output(ids.ORDER_MESSAGE, "children"),
        Output(ids.REFRESH_TOKEN, "data", allow_duplicate=True),
        *_form_outputs(duplicate=True),
        Input(ids.ORDER_SAVE, "n_clicks"),
        State(ids.ORDER_EDITING, "data"),
        State(ids.ORDER_CUSTOMER, "options"),
        State(ids.ORDER_CUSTOMER, "value"),
        State(ids.ORDER_DATE, "value"),
        State(ids.ORDER_STATUS, "value"),
        State(ids.ORDER_CHANNEL, "value"),
        State(ids.ORDER_PAYMENT, "value"),
        State(ids.ORDER_NOTE, "value"),
        State(ids.ORDER_LINES, "rowData"),
        State(ids.order_field_error(ALL), "id"),
        prevent_initial_call=True,
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
            alert = dbc.Alert(text, color="warning", id="order-refused")
            unchanged = [no_update] * (len(FORM_OUTPUTS) - 1)
            return (alert, no_update, *unchanged, [no_update] * len(slots))
        with engine.connect() as conn:
            token = domain.data_version(conn)
        message = dbc.Alert(
            f"{verb} order {saved.number} · total {money_text(saved.total)}",
            color="success",
            dismissable=True,
            className="mb-0",
            id="order-saved",
        )
        return (message, token, *_blank_form(len(slots)))

    @app.callback(
        Output(ids.ORDER_MESSAGE, "children", allow_duplicate=True),
        *_form_outputs(duplicate=True),
        Input(ids.ORDER_CLEAR, "n_clicks"),
        Input(ids.HISTORY_EDIT, "n_clicks"),
        State(ids.HISTORY_GRID, "selectedRows"),
        State(ids.order_field_error(ALL), "id"),
        prevent_initial_call=True,
    )
    def load_form(clear, edit, selected, slots):
        """Clear the form, or load the selected order into it for editing."""
        if not (clear or edit):
            raise PreventUpdate
        if ctx.triggered_id == ids.ORDER_CLEAR or not selected:
            return (None, *_blank_form(len(slots)))
        try:
            order_id = domain.order_id(
                selected[0].get("id") if isinstance(selected[0], dict) else None
            )
            with engine.connect() as conn:
                draft = domain.draft_from_order(conn, order_id, current_account())
        except (domain.OrderAccessError, InputError) as exc:
            refused = dbc.Alert(str(exc), color="warning", id="order-refused")
            return (refused, *_blank_form(len(slots)))
        if draft is None:
            raise PreventUpdate
        with engine.connect() as conn:
            catalog = products_by_key(conn, ids=[line.product for line in draft.lines])
            names = dimensions.customer_labels(conn, [draft.customer_id])
        rows = []
        for line in draft.lines:
            row = line_row(next_key(rows), catalog[line.product])
            row.update(quantity=line.quantity, unit_price=float(line.unit_price))
            row["discount_pct"] = float(line.discount_pct)
            rows.append(row)
        number = str(selected[0].get("number") or f"#{order_id}")[:40]
        customer = {"label": names.get(draft.customer_id, f"#{draft.customer_id}")}
        customer["value"] = draft.customer_id
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

    @app.callback(
        Output(ids.HISTORY_GRID, "getRowsResponse"),
        Output(ids.HISTORY_CAPTION, "children"),
        Output(ids.HISTORY_EXPORT, "href"),
        Input(ids.HISTORY_GRID, "getRowsRequest"),
        State(ids.VIEW, "data"),
    )
    def history_rows(request, view):
        if not request:
            raise PreventUpdate
        f = filters_of(view)
        start, end = int(request.get("startRow") or 0), int(request.get("endRow") or HISTORY_BLOCK)
        size = max(1, end - start)
        sort, columns = request.get("sortModel") or [], request.get("filterModel") or {}
        try:
            with engine.connect() as conn:
                rows, total = order_history_page(conn, f, start // size + 1, size, sort, columns)
                names = dimensions.customer_labels(conn, f.customers)
        except HistoryQueryError as exc:
            return {"rowData": [], "rowCount": 0}, str(exc), no_update
        caption = f"{total:,} orders · {describe(f, names)} · click a row to select it"
        href = history_export_url((view or {}).get("filters", ""), sort, columns)
        return {"rowData": [as_grid_row(r) for r in rows], "rowCount": total}, caption, href

    # The grid asks for rows itself; a new view or a saved change makes it ask again.
    app.clientside_callback(
        f"""function(view, token) {{
            dash_ag_grid.getApiAsync('{ids.HISTORY_GRID}').then(api => api.purgeInfiniteCache());
            return Date.now();
        }}""",
        Output(ids.HISTORY_RELOADED, "data"),
        Input(ids.VIEW, "data"),
        Input(ids.REFRESH_TOKEN, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.HISTORY_EDIT, "disabled"),
        Output(ids.HISTORY_CANCEL, "disabled"),
        Output(ids.HISTORY_DELETE, "disabled"),
        Input(ids.HISTORY_GRID, "selectedRows"),
    )
    def selection_buttons(selected):
        if not selected:
            return True, True, True
        return False, selected[0].get("status") == CANCELLED, False

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
