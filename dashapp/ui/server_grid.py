"""Grids whose rows the server pages, sorts and filters (AG Grid's infinite row model): the
order history and the catalog. The grid asks for a block of rows; the callback answers it."""

from __future__ import annotations

from collections.abc import Sequence

import dash_ag_grid as dag
from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashapp.ui.parts import SINGLE_ROW


def header(title: str, caption_id: str, tools: list, tools_class: str, *notes) -> html.Div:
    """The card's heading over the grid: the title, the caption a callback fills (what the rows
    are), any notes, and the tools on the right (search, export, row buttons)."""
    captions = [html.Div(id=caption_id, className="card-caption")]
    captions += [html.Div(note, className="card-caption") for note in notes]
    return html.Div(
        [
            html.Div([html.H2(title, className="card-title"), *captions], className="me-auto"),
            html.Div(tools, className=tools_class),
        ],
        className="d-flex flex-wrap gap-2 align-items-start mb-2",
    )


def export_link(id_: str, href: str, filename: str, label: str = "Export CSV", **props) -> html.A:
    """The grid's "Export CSV" (or "Export XLSX"): a plain link, so the browser saves what the
    server streams (a callback re-points `href` at the rows shown)."""
    return html.A(
        label,
        id=id_,
        href=href,
        download=filename,
        className="btn btn-outline-secondary btn-sm",
        **props,
    )


def infinite_grid(
    grid_id: str,
    columns: list[dict],
    block: int,
    default_column: dict,
    options: dict,
    **props,
) -> dag.AgGrid:
    """The grid, asking for `block` rows at a time, one request at a time, one row selectable
    (`options` adds to AG Grid's options)."""
    return dag.AgGrid(
        id=grid_id,
        rowModelType="infinite",
        columnDefs=columns,
        getRowId="'' + params.data.id",
        defaultColDef=default_column,
        dashGridOptions={
            "rowSelection": SINGLE_ROW,
            "cacheBlockSize": block,
            "maxConcurrentDatasourceRequests": 1,
            "infiniteInitialRowCount": 1,
            **options,
        },
        **props,
    )


def on_rows_request(
    app: Dash,
    grid: str,
    caption: str,
    outputs: Sequence[Output] = (),
    states: Sequence[State] = (),
):
    """The callback that answers the grid's requests: the rows (`rows_answer`) and the caption
    saying what they are, then `outputs`; `states` are what the rows are chosen by."""
    return app.callback(
        Output(grid, "getRowsResponse"),
        Output(caption, "children"),
        *outputs,
        Input(grid, "getRowsRequest"),
        *states,
    )


def requested_rows(request: dict | None, block: int) -> tuple[int, int]:
    """The rows the grid asks for, as [start, end); before it asks (None) nothing is updated."""
    if not request:
        raise PreventUpdate
    return int(request.get("startRow") or 0), int(request.get("endRow") or block)


def rows_answer(rows: list[dict], total: int) -> dict:
    """The answer to the grid's request: the block's rows and how many there are in all."""
    return {"rowData": rows, "rowCount": total}
