"""Admin › Audit log: who changed what, filtered by user, entity, action and days, paged.
Each entry reads as the fields that changed ("price: 12.00 → 13.50"); selecting it shows the
raw before/after snapshots."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html
from sqlalchemy import Engine

from dashapp.store.audit import audit_choices, audit_entries
from dashapp.ui import ids
from dashapp.ui.parts import ADMIN_CARD, SINGLE_ROW, labelled, titled_card
from dashapp.ui.triggers import on_refresh, on_selection

PAGE_SIZE = 50
# Snapshot keys as the grids and forms name them.
FIELD_LABELS = {
    "list_price": "price",
    "msrp": "MSRP",
    "sku": "SKU",
    "sub_category": "sub-category",
    "stock_on_hand": "stock",
    "reorder_point": "reorder at",
    "lead_time_days": "lead days",
    "allow_backorder": "backorder",
    "discount_pct": "discount %",
    "customer_id": "customer",
    "product_id": "product",
    "order_number": "order",
    "ordered_at": "date",
    "payment_type": "payment",
}


def _label(key: str) -> str:
    return FIELD_LABELS.get(key, key.replace("_", " "))


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A snapshot as {label: value}; an order's lines become "line 2 quantity" and so on."""
    if not isinstance(value, dict):
        return {prefix or "value": value}
    out: dict[str, Any] = {}
    for key, item in value.items():
        label = f"{prefix} {_label(key)}".strip()
        if key == "lines" and isinstance(item, list):
            for i, line in enumerate(item, start=1):
                out.update(_flat(line, f"{prefix} line {i}".strip()))
        elif isinstance(item, dict):
            out.update(_flat(item, label))
        else:
            out[label] = item
    return out


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(_value_text(v) for v in value) or "none"
    return str(value)


def _parse(raw: str | None) -> Any:
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def changed_fields(before: str | None, after: str | None) -> list[str]:
    """What an entry changed, one 'field: old → new' per field; a created or removed record
    lists the fields it had ('name: Car A')."""
    old, new = _parse(before), _parse(after)
    if old is None and new is None:
        return []
    if old is None or new is None:
        return [
            f"{k}: {_value_text(v)}"
            for k, v in _flat(new if old is None else old).items()
            if v not in (None, "")
        ]
    old_fields, new_fields = _flat(old), _flat(new)
    out = []
    for key in list(old_fields) + [k for k in new_fields if k not in old_fields]:
        a, b = old_fields.get(key), new_fields.get(key)
        if key not in new_fields:
            out.append(f"{key}: {_value_text(a)} → removed")
        elif key not in old_fields:
            out.append(f"{key}: added {_value_text(b)}")
        elif a != b:
            out.append(f"{key}: {_value_text(a)} → {_value_text(b)}")
    return out


def changes_text(before: str | None, after: str | None) -> str:
    """The changes on one line, for the grid ("price: 12.00 → 13.50 · stock: 40 → 45")."""
    fields = changed_fields(before, after)
    if fields:
        return " · ".join(fields)
    return "no field changed" if before is not None and after is not None else ""


# The pickers over the log, by the key of audit_choices: (id, label, placeholder).
PICKERS = {
    "user": (ids.AUDIT_USER, "User", "All users"),
    "entity": (ids.AUDIT_ENTITY, "Entity", "All entities"),
    "action": (ids.AUDIT_ACTION, "Action", "All actions"),
}


def layout() -> html.Div:
    days = dcc.DatePickerRange(
        id=ids.AUDIT_DATES,
        display_format="D MMM YYYY",
        first_day_of_week=1,
        clearable=True,
        start_date_placeholder_text="From",
        end_date_placeholder_text="To",
        className="date-range",
    )
    pickers = [
        labelled(label, dcc.Dropdown(id=id_, placeholder=placeholder, clearable=True))
        for id_, label, placeholder in PICKERS.values()
    ]
    filters = html.Div([*pickers, labelled("Days", days)], className="filter-grid mb-3")
    grid = dag.AgGrid(
        id=ids.AUDIT_GRID,
        columnDefs=[
            {"field": "at", "headerName": "When", "width": 178},
            {"field": "username", "headerName": "User", "width": 110},
            {"field": "action", "headerName": "Action", "width": 105},
            {"field": "entity", "headerName": "Entity", "width": 100},
            {"field": "entity_id", "headerName": "Id", "width": 80},
            {"field": "changes", "headerName": "Changes", "flex": 1, "minWidth": 260},
        ],
        rowData=[],
        getRowId="params.data.id",
        defaultColDef={
            "resizable": True,
            "sortable": False,
            "tooltipValueGetter": {"function": "params.value"},
        },
        dashGridOptions={"rowSelection": SINGLE_ROW},
        style={"height": "460px"},
        className="audit-grid",
    )
    pager = dbc.Pagination(
        id=ids.AUDIT_PAGER,
        max_value=1,
        active_page=1,
        fully_expanded=False,
        first_last=True,
        previous_next=True,
        size="sm",
        class_name="mt-3 mb-0 flex-wrap",
    )
    card = titled_card(
        "Audit log",
        html.Div(id=ids.AUDIT_CAPTION, className="card-caption mb-3"),
        filters,
        html.Div("Select an entry to see all it changed.", className="small text-muted mb-1"),
        grid,
        html.Div(id=ids.AUDIT_DETAILS, className="audit-details"),
        pager,
        class_name=ADMIN_CARD,
    )
    return html.Div(card, className="admin-pane")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def register_callbacks(app: Dash, engine: Engine) -> None:
    @on_refresh(
        app,
        "users:manage",
        [Output(id_, "options") for id_, _, _ in PICKERS.values()],
        [Input(ids.AUDIT_CAPTION, "id")],
    )
    def audit_options(_id, _token):
        with engine.connect() as conn:
            choices = audit_choices(conn)
        return tuple(choices[key] for key in PICKERS)

    @on_refresh(
        app,
        "users:manage",
        [
            Output(ids.AUDIT_GRID, "rowData"),
            Output(ids.AUDIT_PAGER, "max_value"),
            Output(ids.AUDIT_PAGER, "active_page"),
            Output(ids.AUDIT_CAPTION, "children"),
        ],
        [
            *[Input(id_, "value") for id_, _, _ in PICKERS.values()],
            Input(ids.AUDIT_DATES, "start_date"),
            Input(ids.AUDIT_DATES, "end_date"),
            Input(ids.AUDIT_PAGER, "active_page"),
        ],
        [State(ids.AUDIT_PAGER, "max_value")],
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
                "changes": changes_text(r["before"], r["after"]),
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

    @on_selection(app, "users:manage", ids.AUDIT_GRID, [Output(ids.AUDIT_DETAILS, "children")])
    def audit_details(selected):
        """The selected entry: every field it changed, then its raw snapshots (as text)."""
        if not selected:
            return None
        row = selected[0]
        fields = changed_fields(row.get("before"), row.get("after"))
        title = f"{row.get('action')} {row.get('entity')} {row.get('entity_id') or ''}".strip()
        raw = [
            part
            for label, key in (("Before", "before"), ("After", "after"))
            if row.get(key)
            for part in (
                html.Div(label, className="small fw-semibold"),
                html.Pre(_pretty(row[key])),
            )
        ]
        return dbc.Card(
            dbc.CardBody(
                [
                    html.H3(
                        f"{title} · {row.get('at')} · {row.get('username')}", className="subhead"
                    ),
                    html.Ul([html.Li(f) for f in fields], className="mb-2")
                    if fields
                    else html.P("No field changed.", className="small text-muted"),
                    html.Details(
                        [html.Summary("Raw before / after (JSON)"), *raw], className="small"
                    )
                    if raw
                    else None,
                ]
            ),
            className="mt-3",
        )


def _pretty(raw: str) -> str:
    parsed = _parse(raw)
    if isinstance(parsed, str):
        return parsed
    return json.dumps(parsed, indent=2, ensure_ascii=False, sort_keys=True)
