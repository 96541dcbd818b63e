"""The order history: a grid paged, sorted and filtered on the server, with its caption and
CSV link; it asks again for a new view or a saved change, and its selection enables the row
buttons."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, no_update
from sqlalchemy import Engine

from dashapp.analytics import dimensions
from dashapp.orders.history import HistoryQueryError, as_grid_row, order_history_page
from dashapp.store.models import CANCELLED
from dashapp.ui import ids, server_grid
from dashapp.ui.counts import counted
from dashapp.ui.parts import row_button
from dashapp.ui.shell import filters_of
from dashapp.ui.text import describe
from dashapp.ui.triggers import on_selection
from dashapp.web.exports import history_export_url


# Widths fit the content ("D00004999", "2026-12-06 14:35", "$19,506.34"); the customer takes
# what is left, so the whole row shows at 1366 px, and Total stays pinned on a narrow screen.
def _column(field: str, header: str, column_filter: str, **more) -> dict:
    return {"field": field, "headerName": header, "filter": column_filter, **more}


def _text(field: str, header: str, **more) -> dict:
    return _column(field, header, "agTextColumnFilter", **more)


def _number(field: str, header: str, formatter: str = "", **more) -> dict:
    shown = {"valueFormatter": {"function": formatter}} if formatter else {}
    return _column(field, header, "agNumberColumnFilter", type="rightAligned", **shown, **more)


HISTORY_COLUMNS = [
    _text("number", "Order", width=112),
    _column(
        "date",
        "Date",
        "agDateColumnFilter",
        sort="desc",
        valueFormatter={"function": "orderDateText(params.value)"},
        width=150,
    ),
    _text("customer", "Customer", flex=1, minWidth=160, tooltipField="customer"),
    _text("country", "Country", width=115),
    _text("status", "Status", width=112),
    _text("channel", "Channel", width=100),
    _number("lines", "Lines", width=78),
    _number("units", "Units", "params.value == null ? '' : d3.format(',')(params.value)", width=82),
    _number("total", "Total", "moneyText(params.value)", width=125, pinned="right"),
]
HISTORY_BLOCK = 100


def history_card(can_write: bool) -> dbc.Card:
    """The history card; Edit, Cancel order and Delete only for a role that may write."""
    buttons = [
        server_grid.export_link(
            ids.HISTORY_EXPORT,
            "/export/orders.csv",
            "orders.csv",
            title="Download the orders below, with the same filters and sorting",
        ),
        server_grid.export_link(
            ids.HISTORY_XLSX,
            "/export/orders.xlsx",
            "orders.xlsx",
            "Export XLSX",
            title="The same orders as an Excel workbook (totals as currency cells)",
        ),
    ]
    if can_write:
        buttons = [
            row_button("Edit", ids.HISTORY_EDIT, "primary"),
            row_button("Cancel order", ids.HISTORY_CANCEL, "warning", outline=True),
            row_button("Delete", ids.HISTORY_DELETE, "danger", outline=True),
            *buttons,
        ]
    grid = server_grid.infinite_grid(
        ids.HISTORY_GRID,
        HISTORY_COLUMNS,
        HISTORY_BLOCK,
        {
            "sortable": True,
            "resizable": True,
            "filterParams": {"maxNumConditions": 1, "buttons": ["reset"]},
        },
        {"maxBlocksInCache": 20, "rowBuffer": 0},
        style={"height": "460px"},
        className="history-grid",
    )
    header = server_grid.header(
        "Order history", ids.HISTORY_CAPTION, buttons, "d-flex flex-wrap gap-2"
    )
    return dbc.Card(
        dbc.CardBody([header, grid, dcc.Store(id=ids.HISTORY_RELOADED)]), className="chart-card"
    )


def register_history_callbacks(app: Dash, engine: Engine) -> None:
    """The grid's rows, its reloads and the row buttons' state."""

    @server_grid.on_rows_request(
        app,
        ids.HISTORY_GRID,
        ids.HISTORY_CAPTION,
        [Output(ids.HISTORY_EXPORT, "href"), Output(ids.HISTORY_XLSX, "href")],
        [State(ids.VIEW, "data")],
    )
    def history_rows(request, view):
        start, end = server_grid.requested_rows(request, HISTORY_BLOCK)
        f = filters_of(view)
        size = max(1, end - start)
        sort, columns = request.get("sortModel") or [], request.get("filterModel") or {}
        try:
            with engine.connect() as conn:
                rows, total = order_history_page(conn, f, start // size + 1, size, sort, columns)
                names = dimensions.customer_labels(conn, f.customers)
        except HistoryQueryError as exc:
            return server_grid.rows_answer([], 0), str(exc), no_update, no_update
        caption = f"{counted(total, 'order')} · {describe(f, names)} · click a row to select it"
        shown = (view or {}).get("filters", ""), sort, columns
        answer = server_grid.rows_answer([as_grid_row(r) for r in rows], total)
        return answer, caption, history_export_url(*shown), history_export_url(*shown, "xlsx")

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

    row_buttons = (ids.HISTORY_EDIT, ids.HISTORY_CANCEL, ids.HISTORY_DELETE)

    @on_selection(app, None, ids.HISTORY_GRID, [Output(b, "disabled") for b in row_buttons])
    def selection_buttons(selected):
        if not selected:
            return True, True, True
        return False, selected[0].get("status") == CANCELLED, False
