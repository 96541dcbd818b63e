"""The order history: a grid paged, sorted and filtered on the server, with its caption and
CSV link; it asks again for a new view or a saved change, and its selection enables the row
buttons."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.analytics import dimensions
from dashapp.orders.history import HistoryQueryError, as_grid_row, order_history_page
from dashapp.store.models import CANCELLED
from dashapp.ui import ids
from dashapp.ui.counts import counted
from dashapp.ui.shell import filters_of
from dashapp.ui.text import describe
from dashapp.web.exports import history_export_url

# Widths fit the content ("D00004999", "2026-12-06 14:35", "$19,506.34"); the customer takes
# what is left, so the whole row shows at 1366 px, and Total stays pinned on a narrow screen.
NUMBER = {"filter": "agNumberColumnFilter", "type": "rightAligned"}
HISTORY_COLUMNS = [
    {"field": "number", "headerName": "Order", "filter": "agTextColumnFilter", "width": 112},
    {
        "field": "date",
        "headerName": "Date",
        "filter": "agDateColumnFilter",
        "sort": "desc",
        "valueFormatter": {"function": "orderDateText(params.value)"},
        "width": 150,
    },
    {
        "field": "customer",
        "headerName": "Customer",
        "filter": "agTextColumnFilter",
        "flex": 1,
        "minWidth": 160,
        "tooltipField": "customer",
    },
    {"field": "country", "headerName": "Country", "filter": "agTextColumnFilter", "width": 115},
    {"field": "status", "headerName": "Status", "filter": "agTextColumnFilter", "width": 112},
    {"field": "channel", "headerName": "Channel", "filter": "agTextColumnFilter", "width": 100},
    {"field": "lines", "headerName": "Lines", "width": 78, **NUMBER},
    {
        "field": "units",
        "headerName": "Units",
        "width": 82,
        "valueFormatter": {"function": "params.value == null ? '' : d3.format(',')(params.value)"},
        **NUMBER,
    },
    {
        "field": "total",
        "headerName": "Total",
        "valueFormatter": {"function": "moneyText(params.value)"},
        "width": 125,
        "pinned": "right",
        **NUMBER,
    },
]
HISTORY_BLOCK = 100


def history_card(can_write: bool) -> dbc.Card:
    """The history card; Edit, Cancel order and Delete only for a role that may write."""
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


def register_history_callbacks(app: Dash, engine: Engine) -> None:
    """The grid's rows, its reloads and the row buttons' state."""

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
        caption = f"{counted(total, 'order')} · {describe(f, names)} · click a row to select it"
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
