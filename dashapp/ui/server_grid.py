"""Grids whose rows the server pages, sorts and filters (AG Grid's infinite row model): the
order history and the catalog. The grid asks for a block of rows; the callback answers it."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import html
from dash.exceptions import PreventUpdate

from dashapp.ui.parts import SINGLE_ROW


def grid_header(title: str, caption_id: str, tools: list, tools_class: str, *notes) -> html.Div:
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


def server_grid(
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


def requested_rows(request: dict | None, block: int) -> tuple[int, int]:
    """The rows the grid asks for, as [start, end); before it asks (None) nothing is updated."""
    if not request:
        raise PreventUpdate
    return int(request.get("startRow") or 0), int(request.get("endRow") or block)


def rows_answer(rows: list[dict], total: int) -> dict:
    """The answer to the grid's request: the block's rows and how many there are in all."""
    return {"rowData": rows, "rowCount": total}
