"""Admin › Audit log: who changed what, filtered by user, entity, action and days, paged."""

from __future__ import annotations

from datetime import date

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html
from sqlalchemy import Engine

from dashapp.store.audit import audit_choices, audit_entries
from dashapp.ui import ids
from dashapp.web.access import guarded

PAGE_SIZE = 50


def _picker(id_: str, placeholder: str) -> dcc.Dropdown:
    return dcc.Dropdown(id=id_, placeholder=placeholder, clearable=True)


def layout() -> html.Div:
    filters = html.Div(
        [
            html.Div(
                [
                    html.Label("User", className="filter-label"),
                    _picker(ids.AUDIT_USER, "All users"),
                ],
                className="filter-field",
            ),
            html.Div(
                [
                    html.Label("Entity", className="filter-label"),
                    _picker(ids.AUDIT_ENTITY, "All entities"),
                ],
                className="filter-field",
            ),
            html.Div(
                [
                    html.Label("Action", className="filter-label"),
                    _picker(ids.AUDIT_ACTION, "All actions"),
                ],
                className="filter-field",
            ),
            html.Div(
                [
                    html.Label("Days", className="filter-label"),
                    dcc.DatePickerRange(
                        id=ids.AUDIT_DATES,
                        display_format="D MMM YYYY",
                        first_day_of_week=1,
                        clearable=True,
                        start_date_placeholder_text="From",
                        end_date_placeholder_text="To",
                        className="date-range",
                    ),
                ],
                className="filter-field",
            ),
        ],
        className="filter-grid mb-3",
    )
    grid = dag.AgGrid(
        id=ids.AUDIT_GRID,
        columnDefs=[
            {"field": "at", "headerName": "When", "width": 185},
            {"field": "username", "headerName": "User", "width": 120},
            {"field": "action", "headerName": "Action", "width": 110},
            {"field": "entity", "headerName": "Entity", "width": 120},
            {"field": "entity_id", "headerName": "Id", "width": 90},
            {"field": "before", "headerName": "Before", "flex": 1, "minWidth": 200},
            {"field": "after", "headerName": "After", "flex": 1, "minWidth": 200},
        ],
        rowData=[],
        getRowId="params.data.id",
        defaultColDef={
            "resizable": True,
            "sortable": False,
            "tooltipValueGetter": {"function": "params.value"},
        },
        style={"height": "460px"},
    )
    return html.Div(
        dbc.Card(
            dbc.CardBody(
                [
                    html.H2("Audit log", className="card-title"),
                    html.Div(id=ids.AUDIT_CAPTION, className="card-caption mb-3"),
                    filters,
                    grid,
                    dbc.Pagination(
                        id=ids.AUDIT_PAGER,
                        max_value=1,
                        active_page=1,
                        fully_expanded=False,
                        first_last=True,
                        previous_next=True,
                        size="sm",
                        class_name="mt-3 mb-0 flex-wrap",
                    ),
                ]
            ),
            className="chart-card admin-card",
        ),
        className="admin-pane",
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def register_callbacks(app: Dash, engine: Engine) -> None:
    @guarded(
        app,
        "users:manage",
        Output(ids.AUDIT_USER, "options"),
        Output(ids.AUDIT_ENTITY, "options"),
        Output(ids.AUDIT_ACTION, "options"),
        Input(ids.AUDIT_CAPTION, "id"),
        Input(ids.REFRESH_TOKEN, "data"),
    )
    def audit_options(_id, _token):
        with engine.connect() as conn:
            choices = audit_choices(conn)
        return choices["user"], choices["entity"], choices["action"]

    @guarded(
        app,
        "users:manage",
        Output(ids.AUDIT_GRID, "rowData"),
        Output(ids.AUDIT_PAGER, "max_value"),
        Output(ids.AUDIT_PAGER, "active_page"),
        Output(ids.AUDIT_CAPTION, "children"),
        Input(ids.AUDIT_USER, "value"),
        Input(ids.AUDIT_ENTITY, "value"),
        Input(ids.AUDIT_ACTION, "value"),
        Input(ids.AUDIT_DATES, "start_date"),
        Input(ids.AUDIT_DATES, "end_date"),
        Input(ids.AUDIT_PAGER, "active_page"),
        Input(ids.REFRESH_TOKEN, "data"),
        State(ids.AUDIT_PAGER, "max_value"),
    )
    def audit_page(user, entity, action, start, end, page, _token, _pages):
        # Any filter change starts again at page 1.
        page = (page or 1) if ctx.triggered_id == ids.AUDIT_PAGER else 1
        with engine.connect() as conn:
            rows, total = audit_entries(
                conn, user, entity, action, _day(start), _day(end), page, PAGE_SIZE
            )
        data = [
            {
                **r,
                "id": str(r["id"]),  # AG Grid row ids are strings
                "at": f"{r['at']:%Y-%m-%d %H:%M:%S}" if r["at"] else "",
                "username": r["username"] or "—",
            }
            for r in rows
        ]
        pages = max(1, -(-total // PAGE_SIZE))
        first = (page - 1) * PAGE_SIZE + 1
        caption = (
            f"{first:,}–{first + len(rows) - 1:,} of {total:,} entries, newest first"
            if rows
            else "No entries match these filters."
        )
        return data, pages, page, caption
