"""Loss finder (issue 19 item 5): the products, customers or orders that lose money or earn a
margin under a threshold, the most money lost first, with "Show orders" for the selected row;
and the discount given against the margin earned per sub-category. Under the page filters;
the numbers are dashapp.analytics.losses' (SQL GROUP BYs, nothing loaded line by line)."""

from __future__ import annotations

from urllib.parse import quote

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html
from sqlalchemy import Engine

from dashapp.analytics import dimensions
from dashapp.analytics.drill import DrillError, slice_filters
from dashapp.analytics.kpis import cents_to_decimal
from dashapp.analytics.losses import (
    DEFAULT_THRESHOLD,
    MAX_THRESHOLD,
    MIN_THRESHOLD,
    Losses,
    LossQueryError,
    SubCategoryMargin,
    discount_and_margin,
    loss_makers,
    order_customer_and_day,
)
from dashapp.ui import ids
from dashapp.ui.cards import graph
from dashapp.ui.drill import orders_address
from dashapp.ui.figures import empty_figure
from dashapp.ui.parts import (
    HIDDEN,
    PAGED,
    SINGLE_ROW,
    choice_buttons,
    filled_grid,
    labelled,
    number_field,
    titled_card,
)
from dashapp.ui.shell import LISTED_CONTROLS, Section, filters_of
from dashapp.ui.text import describe, money_text, plot_text
from dashapp.ui.triggers import on_refresh

LIMIT = 100
LEVEL_NAMES = {"product": "products", "customer": "customers", "order": "orders"}
NO_COST = (
    "No cost is known for the orders in view, so no profit or margin can be worked out. "
    "Give products a cost in Products (new orders take it) or import a file with a cost column."
)
_MONEY = {"function": "params.value == null ? '' : moneyText(params.value)"}
_PERCENT = {"function": "params.value == null ? 'n/a' : d3.format('.1%')(params.value)"}


def _money_column(field: str, header: str, **more) -> dict:
    return {
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "valueFormatter": _MONEY,
        "width": 130,
        **more,
    }


# The money lost beside the name, so a phone shows it without scrolling the grid sideways.
COLUMNS = [
    {"field": "label", "headerName": "Name", "flex": 1, "minWidth": 150, "tooltipField": "label"},
    _money_column(
        "profit", "Profit", cellClass="lf-profit", cellClassRules={"lf-loss": "params.value < 0"}
    ),
    {
        "field": "margin",
        "headerName": "Margin",
        "type": "rightAligned",
        "valueFormatter": _PERCENT,
        "width": 95,
    },
    _money_column("revenue", "Revenue"),
    _money_column("cost", "Cost"),
    _money_column("discounts", "Discounts"),
    {"field": "orders", "headerName": "Orders", "type": "rightAligned", "width": 90},
    {"field": "key", "headerName": "Key", "width": 120},
]


def layout() -> html.Div:
    levels = {key: name.title() for key, name in LEVEL_NAMES.items()}
    level = choice_buttons(ids.LF_LEVEL, levels, "product")
    threshold = number_field(
        ids.LF_THRESHOLD,
        "%",
        MIN_THRESHOLD,
        MAX_THRESHOLD,
        DEFAULT_THRESHOLD,
        "lf-threshold",
        inputmode="numeric",
    )
    controls = html.Div(
        [
            labelled("Show", level, "lf-control"),
            labelled("Margin under", threshold, "lf-control", ids.LF_THRESHOLD),
            dcc.Link(
                "Show orders →",
                id=ids.LF_SHOW_ORDERS,
                href="/orders",
                className="btn btn-primary btn-sm lf-show-orders disabled",
                title="Select a row first",
            ),
        ],
        className="d-flex flex-wrap gap-3 align-items-end",
    )
    grid = filled_grid(
        ids.LF_GRID,
        COLUMNS,
        "params.data.key",
        {"sortable": True, "resizable": True, "suppressMovable": True},
        {
            "rowSelection": SINGLE_ROW,
            "domLayout": "autoHeight",
            **PAGED,
            "paginationPageSizeSelector": False,
        },
        style={"width": "100%"},
        className="ag-theme-alpine lf-grid",
    )
    rows_card = titled_card(
        "Loss finder",
        controls,
        html.P(id=ids.LF_CAPTION, className="card-caption mt-2 mb-2"),
        html.Div(id=ids.LF_MESSAGE),
        grid,
        title_class="card-title",
    )
    scatter_card = titled_card(
        "Discount vs margin by sub-category",
        html.P(id=ids.LF_SCATTER_CAPTION, className="card-caption mb-2"),
        graph(ids.LF_SCATTER, 360),
        title_class="card-title",
    )
    return html.Div([rows_card, scatter_card], className="section-stack loss-finder")


SECTION = Section(
    key="losses",
    label="Loss finder",
    layout=layout,
    filters=("dates", "category", "product", "country", "customer", "status", *LISTED_CONTROLS),
)


def threshold_of(value) -> int | None:
    """The threshold typed, as a whole percent in range; None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != int(number) or not MIN_THRESHOLD <= number <= MAX_THRESHOLD:
        return None
    return int(number)


def records(found: Losses) -> list[dict]:
    """The grid's rows: money as numbers of dollars (exact cents / 100), margin a fraction."""
    return [
        {
            "key": r.key,
            "label": r.label,
            "orders": r.orders,
            "revenue": r.revenue_cents / 100,
            "cost": r.cost_cents / 100,
            "profit": r.profit_cents / 100,
            "margin": None if r.margin is None else float(r.margin),
            "discounts": r.discounts_cents / 100,
        }
        for r in found.rows
    ]


def caption(found: Losses, scope: str) -> str:
    what = LEVEL_NAMES[found.level]
    under = "losing money" if found.threshold == 0 else f"with a margin under {found.threshold}%"
    lost = sum(r.lost_cents for r in found.rows)
    parts = [f"{found.found:,} {what} {under}"]
    if found.found > len(found.rows):
        parts.append(f"the {len(found.rows):,} losing most shown")
    if lost:
        parts.append(f"{money_text(cents_to_decimal(lost))} lost")
    parts += [scope, "over the lines whose cost is known", "select a row to see its orders"]
    return " · ".join(parts)


def scatter(points: list[SubCategoryMargin]) -> dict:
    """Discount given (share of list value) against margin, one dot per sub-category sized by
    revenue; names escaped for Plotly, which renders a subset of HTML in labels."""
    shown = [p for p in points if p.margin is not None and p.discount_rate is not None]
    if not shown:
        return empty_figure("No sub-category with a cost known in this view")
    biggest = max(abs(p.revenue_cents) for p in shown) or 1
    names = [plot_text(p.name) for p in shown]
    named = list(zip(names, shown, strict=True))
    trace = {
        "type": "scatter",
        "mode": "markers+text",
        "x": [float(p.discount_rate) for p in shown],
        "y": [float(p.margin) for p in shown],
        "text": names,
        "textposition": "top center",
        "customdata": [[n, money_text(cents_to_decimal(p.revenue_cents))] for n, p in named],
        "marker": {
            "size": [12 + 28 * abs(p.revenue_cents) / biggest for p in shown],
            "color": ["#dc2626" if p.margin < 0 else "#2563eb" for p in shown],
            "opacity": 0.75,
            "line": {"width": 1, "color": "#fff"},
        },
        "hovertemplate": "%{customdata[0]}<br>discount %{x:.1%} · margin %{y:.1%}"
        "<br>revenue %{customdata[1]}<extra></extra>",
    }
    return {
        "data": [trace],
        "layout": {
            "xaxis": {"title": {"text": "Discount (share of list value)"}, "tickformat": ".2~%"},
            "yaxis": {"title": {"text": "Margin"}, "tickformat": ".1~%", "zeroline": True},
            "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
            "showlegend": False,
        },
    }


def register_callbacks(app: Dash, engine: Engine) -> None:
    @on_refresh(
        app,
        None,
        [
            Output(ids.LF_GRID, "rowData"),
            Output(ids.LF_GRID, "style"),
            Output(ids.LF_CAPTION, "children"),
            Output(ids.LF_MESSAGE, "children"),
            Output(ids.LF_SCATTER, "figure"),
            Output(ids.LF_SCATTER_CAPTION, "children"),
        ],
        [Input(ids.VIEW, "data"), Input(ids.LF_LEVEL, "value"), Input(ids.LF_THRESHOLD, "value")],
    )
    def update_losses(view, level, threshold, _token):
        def refused(message: dbc.Alert) -> tuple:
            """No rows and no figure, only `message`: what was asked cannot be answered."""
            return [], HIDDEN, "", message, empty_figure(""), ""

        f = filters_of(view)
        limit = threshold_of(threshold)
        if limit is None:
            return refused(
                dbc.Alert(
                    f"Type a whole percent from {MIN_THRESHOLD} to {MAX_THRESHOLD}.",
                    color="warning",
                    className="mb-2",
                )
            )
        try:
            with engine.connect() as conn:
                found = loss_makers(conn, f, level, limit, LIMIT)
                points = discount_and_margin(conn, f) if found.cost_known else []
                scope = describe(f, dimensions.customer_labels(conn, f.customers))
        except LossQueryError as exc:  # a forged level: say so, show nothing
            return refused(dbc.Alert(str(exc), color="warning"))
        if not found.cost_known:
            note = dbc.Alert(NO_COST, color="light", className="empty-state mb-2")
            nothing = empty_figure("No cost known in this view: no margin to plot")
            return [], HIDDEN, f"No cost known · {scope}", note, nothing, scope
        if not found.rows:
            what = LEVEL_NAMES[found.level]
            under = "loses money" if limit == 0 else f"earns a margin under {limit}%"
            hint = "Raise the threshold to list thin margins too." if limit <= 0 else ""
            note = dbc.Alert(
                f"None of the {what} in view {under}. {hint}".strip(),
                color="light",
                className="empty-state mb-2",
            )
        else:
            note = None
        without = [p.name for p in points if p.margin is None]
        scatter_caption = f"Discount given against margin earned · dot size: revenue · {scope}"
        if without:
            scatter_caption += f" · no cost known for {', '.join(without)}"
        shown = {"width": "100%"} if found.rows else HIDDEN
        return (
            records(found),
            shown,
            caption(found, scope),
            note,
            scatter(points),
            scatter_caption,
        )

    @app.callback(
        Output(ids.LF_SHOW_ORDERS, "href"),
        Output(ids.LF_SHOW_ORDERS, "className"),
        Input(ids.LF_GRID, "selectedRows"),
        State(ids.LF_LEVEL, "value"),
        State(ids.VIEW, "data"),
        State(ids.URL, "search"),
    )
    def show_orders(selected, level, view, search):
        """The selected product's or customer's orders under the page filters; an order's:
        its customer's orders of that day."""
        disabled = "btn btn-primary btn-sm lf-show-orders disabled"
        if not selected or level not in LEVEL_NAMES or not isinstance(selected[0], dict):
            return "/orders", disabled
        key = str(selected[0].get("key", ""))
        f = filters_of(view)
        try:
            with engine.connect() as conn:
                g = slice_filters(conn, f, *_picks(conn, level, key))
        except DrillError:
            return "/orders", disabled
        back = quote(SECTION.path + (search or ""), safe="")
        return f"{orders_address(g)}#back={back}", "btn btn-primary btn-sm lf-show-orders"


def _picks(conn, level: str, key: str):
    """(picks, period) of a loss-finder row: a product's SKU, a customer's id, or an order's
    customer and day."""
    if level == "product":
        return {"product": key}, None
    if level == "customer":
        return {"customer": key}, None
    found = order_customer_and_day(conn, key)
    if found is None:
        raise DrillError(f"No order {key!r}")
    customer, day = found
    return ({"customer": customer} if customer is not None else {}), (day, day)
