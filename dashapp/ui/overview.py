"""Overview section (SPEC §4.1): KPI cards, trends, categories, top N, countries, calendar."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html
from sqlalchemy import Engine

from dashapp.analytics import breakdowns, dimensions
from dashapp.analytics.kpis import Kpis, delta, kpi_summary, resolve_range
from dashapp.filters import Filters, previous_period
from dashapp.ui import figures, ids
from dashapp.ui.cards import chart_card, graph, kpi_card
from dashapp.ui.shell import Section, filters_of, granularity_of
from dashapp.ui.text import describe, money_text
from dashapp.ui.theme import category_colours
from dashapp.web.answers import cached

DATA_INPUTS = [Input(ids.VIEW, "data"), Input(ids.REFRESH_TOKEN, "data")]


def layout() -> html.Div:
    top_tools = html.Div(
        [
            dbc.RadioItems(
                id=ids.TOP_BY,
                value="revenue",
                inline=True,
                options=[
                    {"label": "Revenue", "value": "revenue"},
                    {"label": "Units", "value": "units"},
                ],
                input_class_name="btn-check",
                label_class_name="btn btn-outline-primary btn-sm",
                label_checked_class_name="active",
                class_name="btn-group",
            ),
            html.Div(
                [
                    html.Label("Top", htmlFor=ids.TOP_N, className="small text-muted me-1"),
                    dcc.Slider(
                        id=ids.TOP_N,
                        min=5,
                        max=20,
                        step=1,
                        value=10,
                        marks={5: "5", 10: "10", 15: "15", 20: "20"},
                        tooltip={"placement": "bottom"},
                    ),
                ],
                className="top-n",
            ),
        ],
        className="d-flex flex-wrap align-items-center gap-3",
    )
    return html.Div(
        [
            dcc.Loading(html.Div(id=ids.KPI_ROW, className="kpi-row"), type="dot", delay_show=150),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card("Revenue trend", ids.TREND_CAPTION, graph(ids.TREND, 320)), lg=12
                    ),
                ],
                className="g-3",
            ),
            dbc.Row(
                dbc.Col(
                    chart_card(
                        "Revenue by category",
                        ids.CATEGORY_CAPTION,
                        dbc.Row(
                            [
                                dbc.Col(graph(ids.xfilter(ids.CATEGORY_DONUT), 300), lg=5),
                                dbc.Col(graph(ids.xfilter(ids.CATEGORY_TREND), 300), lg=7),
                            ],
                            className="g-2",
                        ),
                    ),
                ),
                className="g-3",
            ),
            dbc.Row(
                dbc.Col(
                    chart_card(
                        "Top products and customers",
                        ids.TOP_CAPTION,
                        dbc.Row(
                            [
                                dbc.Col(
                                    [
                                        html.H3("Products", className="subhead"),
                                        graph(ids.xfilter(ids.TOP_PRODUCTS), 380),
                                    ],
                                    lg=6,
                                ),
                                dbc.Col(
                                    [
                                        html.H3("Customers", className="subhead"),
                                        graph(ids.xfilter(ids.TOP_CUSTOMERS), 380),
                                    ],
                                    lg=6,
                                ),
                            ],
                            className="g-2",
                        ),
                        tools=top_tools,
                    ),
                ),
                className="g-3",
            ),
            dbc.Row(
                dbc.Col(
                    chart_card(
                        "Revenue by country",
                        ids.COUNTRY_CAPTION,
                        dbc.Row(
                            [
                                dbc.Col(graph(ids.xfilter(ids.COUNTRY_MAP), 340), lg=7),
                                dbc.Col(graph(ids.xfilter(ids.COUNTRY_BAR), 340), lg=5),
                            ],
                            className="g-2",
                        ),
                    ),
                ),
                className="g-3",
            ),
            dbc.Row(
                dbc.Col(
                    chart_card("Revenue calendar", ids.CALENDAR_CAPTION, graph(ids.CALENDAR, 260))
                ),
                className="g-3",
            ),
        ],
        className="overview",
    )


SECTION = Section(key="overview", label="Overview", path="/", layout=layout)

_KPIS = [
    # key, label, value of a Kpis, text, higher is good
    ("revenue", "Revenue", lambda k: float(k.revenue), lambda k: money_text(k.revenue), True),
    ("orders", "Orders", lambda k: k.orders, lambda k: f"{k.orders:,}", True),
    ("aov", "Avg order value", lambda k: float(k.aov), lambda k: money_text(k.aov), True),
    ("customers", "Customers", lambda k: k.customers, lambda k: f"{k.customers:,}", True),
    ("units", "Units", lambda k: k.units, lambda k: f"{k.units:,}", True),
    (
        "cancellation",
        "Cancellation rate",
        lambda k: k.cancellation_rate,
        lambda k: f"{k.cancellation_rate:.1%}",
        False,
    ),
]
_SPARK_COLUMN = {
    "revenue": "revenue_cents",
    "orders": "orders",
    "customers": "customers",
    "units": "units",
}


def _rate_delta_text(current: float, previous: float, had_orders: bool) -> tuple[str, str]:
    """Rates move in percentage points; a rising cancellation rate is bad."""
    if not had_orders:
        return "— no earlier data to compare", "flat"
    points = (current - previous) * 100
    if abs(points) < 0.05:
        return "→ 0.0 pp vs previous period", "flat"
    arrow = "▲" if points > 0 else "▼"
    return f"{arrow} {abs(points):.1f} pp vs previous period", "bad" if points > 0 else "good"


def _delta_text(current: float, previous: float, higher_is_good: bool) -> tuple[str, str]:
    change = delta(current, previous)
    if change is None:
        return "— no earlier data to compare", "flat"
    if abs(change) < 0.0005:
        return "→ 0.0% vs previous period", "flat"
    arrow = "▲" if change > 0 else "▼"
    good = (change > 0) == higher_is_good
    return f"{arrow} {abs(change):.1%} vs previous period", "good" if good else "bad"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _spark_granularity(f: Filters) -> str:
    days = (f.end - f.start).days if f.start and f.end else 0
    return "day" if days <= 92 else "week" if days <= 731 else "month"


def _kpi_cards(current: Kpis, previous: Kpis, last_year: Kpis, series) -> list:
    cards = []
    for key, label, number, text, higher_is_good in _KPIS:
        if key == "cancellation":
            delta_text, tone = _rate_delta_text(
                number(current), number(previous), previous.all_orders > 0
            )
            secondary = (
                f"{(number(current) - number(last_year)) * 100:+.1f} pp vs last year"
                if last_year.all_orders
                else "no data last year"
            )
        else:
            delta_text, tone = _delta_text(number(current), number(previous), higher_is_good)
            ly = delta(number(current), number(last_year))
            secondary = f"{ly:+.1%} vs last year" if ly is not None else "no data last year"
        if key == "customers":
            secondary = f"{current.new_customers:,} new · {current.returning_customers:,} returning"
        if key == "aov":
            spark_df = series.assign(aov=series["revenue_cents"] / series["orders"].clip(lower=1))
            column = "aov"
        elif key == "cancellation":
            spark_df = series.assign(rate=series["cancelled"] / series["all_orders"].clip(lower=1))
            column = "rate"
        else:
            spark_df, column = series, _SPARK_COLUMN[key]
        cards.append(
            kpi_card(
                key,
                label,
                text(current),
                delta_text,
                tone,
                secondary,
                figures.sparkline(spark_df, column),
            )
        )
    return cards


def register_callbacks(app: Dash, engine: Engine) -> None:
    """The Overview's data callbacks: each reads the view, takes its answer from the shared cache
    (computed by domain queries on a miss), and builds figures."""

    @app.callback(Output(ids.KPI_ROW, "children"), *DATA_INPUTS)
    def update_kpis(view, _token):
        f = filters_of(view)

        def compute():
            with engine.connect() as conn:
                summary = kpi_summary(conn, f)
                resolved = f.with_range(summary.start, summary.end)
                series = breakdowns.sales_over_time(conn, resolved, _spark_granularity(resolved))
            return summary, series

        summary, series = cached(engine, "overview.kpis", f, compute)
        if summary.current.all_orders == 0:
            return dbc.Alert(
                [
                    html.Strong("No orders in this range. "),
                    "Widen the dates, remove a filter, or import data "
                    "(python -m dashapp import FILE).",
                ],
                color="light",
                className="empty-state mb-0",
            )
        return _kpi_cards(summary.current, summary.previous, summary.last_year, series)

    @app.callback(Output(ids.TREND, "figure"), Output(ids.TREND_CAPTION, "children"), *DATA_INPUTS)
    def update_trend(view, _token):
        gran = granularity_of(view)

        def compute():
            with engine.connect() as conn:
                f = resolve_range(conn, filters_of(view))
                current = breakdowns.sales_over_time(conn, f, gran, customers=False)
                previous = (
                    breakdowns.sales_over_time(
                        conn,
                        f.with_range(*previous_period(f.start, f.end)),
                        gran,
                        customers=False,
                    )
                    if f.start and f.end
                    else current.iloc[0:0]
                )
                names = dimensions.customer_labels(conn, f.customers)
            return f, current, previous, names

        f, current, previous, names = cached(
            engine, "overview.trend", filters_of(view), compute, gran
        )
        caption = f"Revenue per {gran}, dotted: the previous period · {describe(f, names)}"
        return figures.revenue_trend(current, previous, gran), caption

    @app.callback(
        Output(ids.xfilter(ids.CATEGORY_DONUT), "figure"),
        Output(ids.xfilter(ids.CATEGORY_TREND), "figure"),
        Output(ids.CATEGORY_CAPTION, "children"),
        *DATA_INPUTS,
    )
    def update_categories(view, _token):
        f, gran = filters_of(view), granularity_of(view)

        def compute():
            with engine.connect() as conn:
                colours = category_colours(dimensions.categories(conn))
                share = breakdowns.sales_by_category(conn, f)
                trend = breakdowns.category_over_time(conn, f, gran)
                names = dimensions.customer_labels(conn, f.customers)
            return colours, share, trend, names

        colours, share, trend, names = cached(engine, "overview.categories", f, compute, gran)
        caption = (
            f"{_count(len(share), 'category', 'categories')} · share of revenue and revenue "
            f"per {gran} · "
            f"{describe(f, names)} · click a category to filter"
        )
        return (
            figures.category_donut(share, colours),
            figures.category_trend(trend, colours, gran),
            caption,
        )

    @app.callback(
        Output(ids.xfilter(ids.TOP_PRODUCTS), "figure"),
        Output(ids.xfilter(ids.TOP_CUSTOMERS), "figure"),
        Output(ids.TOP_CAPTION, "children"),
        *DATA_INPUTS,
        Input(ids.TOP_N, "value"),
        Input(ids.TOP_BY, "value"),
    )
    def update_top(view, _token, n, by):
        f = filters_of(view)
        n = max(5, min(20, int(n or 10)))
        by = by if by in ("revenue", "units") else "revenue"

        def compute():
            with engine.connect() as conn:
                colours = category_colours(dimensions.categories(conn))
                products = breakdowns.top_products(conn, f, n, by)
                customers = breakdowns.top_customers(conn, f, n, by)
                names = dimensions.customer_labels(conn, f.customers)
            return colours, products, customers, names

        colours, products, customers, names = cached(engine, "overview.top", f, compute, n, by)
        products = products.assign(label=products["name"])
        caption = f"Top {n} by {by} · {describe(f, names)} · click a bar to filter"
        return (
            figures.ranked_bar(
                products,
                "label",
                "sku",
                by,
                colours=[colours.get(c, "#64748b") for c in products["category"]],
            ),
            figures.ranked_bar(customers, "name", "customer_id", by),
            caption,
        )

    @app.callback(
        Output(ids.xfilter(ids.COUNTRY_MAP), "figure"),
        Output(ids.xfilter(ids.COUNTRY_BAR), "figure"),
        Output(ids.COUNTRY_CAPTION, "children"),
        *DATA_INPUTS,
    )
    def update_countries(view, _token):
        f = filters_of(view)

        def compute():
            with engine.connect() as conn:
                return (
                    breakdowns.sales_by_country(conn, f),
                    dimensions.customer_labels(conn, f.customers),
                )

        df, names = cached(engine, "overview.countries", f, compute)
        caption = (
            f"{_count(len(df), 'country', 'countries')} · {describe(f, names)}"
            " · click a country to filter"
        )
        bar = figures.ranked_bar(df, "country", "country", "revenue")
        return figures.country_map(df), bar, caption

    @app.callback(
        Output(ids.CALENDAR, "figure"), Output(ids.CALENDAR_CAPTION, "children"), *DATA_INPUTS
    )
    def update_calendar(view, _token):
        def compute():
            with engine.connect() as conn:
                f = resolve_range(conn, filters_of(view))
                days = breakdowns.sales_over_time(conn, f, "day", customers=False)
                names = dimensions.customer_labels(conn, f.customers)
            return f, days, names

        f, days, names = cached(engine, "overview.calendar", filters_of(view), compute)
        long = f.start and f.end and (f.end - f.start).days > 371
        shape = "month × year" if long else "weekday × week"
        caption = f"Revenue per day ({shape}) · {describe(f, names)}"
        return figures.calendar_heatmap(days, f.start, f.end), caption
