"""Overview section (SPEC §4.1): KPI cards, trends, categories, top N, countries, calendar."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, Patch, State, dcc, html
from sqlalchemy import Engine

from dashapp.analytics import breakdowns, dimensions, profit, trends
from dashapp.analytics.kpis import (
    Kpis,
    cancelled_summary,
    cents_to_decimal,
    delta,
    kpi_summary,
    only_cancelled,
    resolve_range,
)
from dashapp.analytics.periods import count_periods
from dashapp.filters import Filters
from dashapp.ui import drill, figures, ids, target_card
from dashapp.ui.cards import chart_card, graph, kpi_card
from dashapp.ui.geography import place_row, register_place_callbacks
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
            target_card.placeholder(),
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
                        html.Div(
                            [
                                dbc.Row(
                                    [
                                        dbc.Col(graph(ids.xfilter(ids.COUNTRY_MAP), 340), lg=7),
                                        dbc.Col(graph(ids.xfilter(ids.COUNTRY_BAR), 340), lg=5),
                                    ],
                                    className="g-2",
                                ),
                                # Inside one country: its regions, states or cities.
                                place_row(),
                            ]
                        ),
                        tools=html.Div(
                            [
                                html.Label("Map", htmlFor=ids.MAP_REGION, className="small me-1"),
                                dbc.Select(
                                    id=ids.MAP_REGION,
                                    value="world",
                                    size="sm",
                                    options=[
                                        {"label": label, "value": key}
                                        for key, (label, _) in figures.MAP_REGIONS.items()
                                    ],
                                ),
                            ],
                            className="d-flex align-items-center map-region",
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
            drill.panel(),
        ],
        className="overview",
    )


SECTION = Section(key="overview", label="Overview", path="/", layout=layout)

_KPIS = [
    # key, label, value of a Kpis, text, higher is good, what it counts
    (
        "revenue",
        "Revenue",
        lambda k: float(k.revenue),
        lambda k: money_text(k.revenue),
        True,
        lambda k: "cancelled orders excluded",
    ),
    (
        "orders",
        "Orders",
        lambda k: k.orders,
        lambda k: f"{k.orders:,}",
        True,
        lambda k: f"excl. {_count(k.cancelled_orders, 'cancelled order', 'cancelled')}",
    ),
    (
        "aov",
        "Avg order value",
        lambda k: float(k.aov),
        lambda k: money_text(k.aov),
        True,
        lambda k: "revenue ÷ orders",
    ),
    (
        "customers",
        "Customers",
        lambda k: k.customers,
        lambda k: f"{k.customers:,}",
        True,
        lambda k: "with an order not cancelled",
    ),
    (
        "units",
        "Units",
        lambda k: k.units,
        lambda k: f"{k.units:,}",
        True,
        lambda k: "cancelled orders excluded",
    ),
    (
        "cancellation",
        "Cancellation rate",
        lambda k: k.cancellation_rate,
        lambda k: f"{k.cancellation_rate:.1%}",
        False,
        lambda k: f"{k.cancelled_orders:,} of {_count(k.all_orders, 'order', 'orders')}",
    ),
]
_SPARK_COLUMN = {
    "revenue": "revenue_cents",
    "orders": "orders",
    "customers": "customers",
    "units": "units",
}
NO_EARLIER = "— no earlier data to compare"
# Revenue leaves cancelled orders out (SPEC §3): under Status = Cancelled there is none to split.
CANCELLED_ONLY = (
    "Cancelled orders bring no revenue — the cards, the trend and the calendar show their value"
)


def _rate_change(current: float, previous: float, against: str) -> tuple[str, str]:
    """Rates move in percentage points; a rising cancellation rate is bad."""
    points = (current - previous) * 100
    if abs(points) < 0.05:
        return f"→ 0.0 pp vs {against}", "flat"
    arrow = "▲" if points > 0 else "▼"
    return f"{arrow} {abs(points):.1f} pp vs {against}", "bad" if points > 0 else "good"


def _change(current: float, previous: float, higher_is_good: bool, against: str):
    """("▲ 12.5% vs {against}", tone), or None when there is nothing to compare against."""
    change = delta(current, previous)
    if change is None:
        return None
    if abs(change) < 0.0005:
        return f"→ 0.0% vs {against}", "flat"
    arrow = "▲" if change > 0 else "▼"
    good = (change > 0) == higher_is_good
    return f"{arrow} {abs(change):.1%} vs {against}", "good" if good else "bad"


def _comparisons(key, number, higher_is_good, current, previous, last_year):
    """(delta line, tone, second line): the previous period first, else last year; the second
    line says what the first does not, and never shows a change under "no earlier data"."""
    if key == "cancellation":
        prev = _rate_change(number(current), number(previous), "previous period")
        prev = prev if previous.all_orders else None
        ly = _rate_change(number(current), number(last_year), "last year")
        ly = ly if last_year.all_orders else None
    else:
        prev = _change(number(current), number(previous), higher_is_good, "previous period")
        ly = _change(number(current), number(last_year), higher_is_good, "last year")
    if prev is None and ly is None:
        return NO_EARLIER, "flat", ""
    if prev is None:
        return ly[0], ly[1], "no data in the previous period"
    return prev[0], prev[1], _signed(ly[0]) if ly else "no data last year"


def _signed(change_text: str) -> str:
    """ "▲ 66.7% vs last year" as "+66.7% vs last year", for the quieter second line."""
    arrow, rest = change_text.split(" ", 1)
    return {"▲": "+", "▼": "−", "→": ""}[arrow] + rest


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _kpi_cards(current: Kpis, previous: Kpis, last_year: Kpis, spark) -> list:
    series, partial = spark
    cards = []
    for key, label, number, text, higher_is_good, counts in _KPIS:
        delta_text, tone, secondary = _comparisons(
            key, number, higher_is_good, current, previous, last_year
        )
        if key == "customers":
            secondary = (
                f"{current.new_customers:,} first-time · "
                f"{current.returning_customers:,} had ordered before"
            )
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
                figures.sparkline(spark_df, column, partial=partial),
                hint=counts(current),
            )
        )
    return cards


_CANCELLED_KPIS = [
    # key, label, value of a CancelledKpis, text, what it counts
    (
        "revenue",
        "Cancelled value",
        lambda k: float(k.value),
        lambda k: money_text(k.value),
        "lines of the cancelled orders",
    ),
    (
        "orders",
        "Cancelled orders",
        lambda k: k.orders,
        lambda k: f"{k.orders:,}",
        "status Cancelled",
    ),
    (
        "aov",
        "Avg cancelled order",
        lambda k: float(k.average),
        lambda k: money_text(k.average),
        "cancelled value ÷ orders",
    ),
    (
        "customers",
        "Customers",
        lambda k: k.customers,
        lambda k: f"{k.customers:,}",
        "with a cancelled order",
    ),
    (
        "units",
        "Units cancelled",
        lambda k: k.units,
        lambda k: f"{k.units:,}",
        "on cancelled orders",
    ),
]


def _cancelled_cards(summary, spark) -> list:
    """Status = Cancelled: the cancelled orders' own numbers (revenue and orders leave them out
    by definition, so the usual cards would all read zero and the rate 100 %)."""
    cards = []
    series, partial = spark
    blank = figures.sparkline(series.iloc[0:0], "orders")
    columns = {"revenue": "revenue_cents", "orders": "orders", "units": "units"}
    for key, label, number, text, counts in _CANCELLED_KPIS:
        change = _change(
            number(summary.current), number(summary.previous), False, "previous period"
        )
        delta_text, tone = change or (NO_EARLIER, "flat")
        cards.append(
            kpi_card(
                key,
                label,
                text(summary.current),
                delta_text,
                tone,
                "",
                figures.sparkline(series, columns[key], partial=partial)
                if key in columns
                else blank,
                hint=counts,
            )
        )
    rate = summary.every_status
    cards.append(
        kpi_card(
            "cancellation",
            "Cancellation rate",
            f"{rate.cancellation_rate:.1%}",
            f"{rate.cancelled_orders:,} of {_count(rate.all_orders, 'order', 'orders')}",
            "flat",
            "",
            blank,
            hint="of all orders, any status",
        )
    )
    return cards


def _signed_money(cents: int) -> str:
    """-1234 cents as "−$12.34" (not "$-12.34")."""
    return ("−" if cents < 0 else "") + money_text(cents_to_decimal(abs(cents)))


def _money_change(current: int, previous: int | None, against: str):
    """Profit against an earlier profit: relative to its size, so a loss turning into a gain
    reads as a rise; None when the earlier period has no cost known or no profit."""
    if not previous:
        return None
    change = (current - previous) / abs(previous)
    if abs(change) < 0.0005:
        return f"→ 0.0% vs {against}", "flat"
    return f"{'▲' if change > 0 else '▼'} {abs(change):.1%} vs {against}", (
        "good" if change > 0 else "bad"
    )


def _points_change(current: float, previous: float | None, against: str):
    """Margin against an earlier margin, in percentage points; a rising margin is good."""
    if previous is None:
        return None
    points = (current - previous) * 100
    if abs(points) < 0.05:
        return f"→ 0.0 pp vs {against}", "flat"
    arrow = "▲" if points > 0 else "▼"
    return f"{arrow} {abs(points):.1f} pp vs {against}", "good" if points > 0 else "bad"


def _coverage_hint(k: Kpis, whole: str) -> str:
    """What the profit counts: every line, or the share of the sales whose cost is known."""
    if k.cost_coverage >= 0.9995:
        return whole
    return f"cost known for {k.cost_coverage:.0%} of sales"


def _missing(k: Kpis, when: str) -> str:
    """Why an earlier period gives no profit to compare against."""
    return f"no data {when}" if not k.all_orders else f"no cost known {when}"


def _profit_cards(current: Kpis, previous: Kpis, last_year: Kpis, spark) -> list:
    """Gross profit and margin (SPEC §3), over the lines whose cost is known, compared like the
    other cards; "n/a" and why when no line of the view has a cost."""
    frame, partial = spark
    if frame is None:  # no profit per period read (none is known): a blank sparkline
        frame, partial = pd.DataFrame({"profit_cents": [], "costed_revenue_cents": []}), []
    # A period without costed sales has no margin (not a margin of 0): the line skips it.
    costed = [bool(r) for r in frame["costed_revenue_cents"]]
    margin_partial = [p for p, c in zip(partial, costed, strict=True) if c]
    specs = (
        (
            "profit",
            "Gross profit",
            lambda k: k.profit_cents,
            _signed_money,
            _money_change,
            "revenue − cost",
            frame.assign(value=frame["profit_cents"]),
            partial,
        ),
        (
            "margin",
            "Margin",
            lambda k: k.margin,
            lambda m: f"{m:.1%}",
            _points_change,
            "profit ÷ revenue",
            frame.assign(value=profit.margins(frame))[costed],
            margin_partial,
        ),
    )
    cards = []
    for key, label, value_of, text, change, whole, spark_df, spark_partial in specs:
        value = value_of(current)
        if value is None:
            reason = (current.profit_note or "").removeprefix("n/a: ")
            cards.append(
                kpi_card(
                    key,
                    label,
                    "n/a",
                    reason[:1].upper() + reason[1:],
                    "flat",
                    "add product costs or import a file with a cost column",
                    figures.sparkline(pd.DataFrame({"value": []}), "value"),
                    hint="needs the cost of the lines sold",
                )
            )
            continue
        prev = change(value, value_of(previous), "previous period")
        ly = change(value, value_of(last_year), "last year")
        if prev is not None:
            delta_text, tone = prev
            secondary = _signed(ly[0]) if ly else _missing(last_year, "last year")
        elif ly is not None:
            delta_text, tone = ly
            secondary = _missing(previous, "in the previous period")
        else:
            delta_text, tone, secondary = "— no earlier cost to compare", "flat", ""
        cards.append(
            kpi_card(
                key,
                label,
                text(value),
                delta_text,
                tone,
                secondary,
                figures.sparkline(spark_df, "value", partial=spark_partial),
                hint=_coverage_hint(current, whole),
            )
        )
    return cards


def _no_orders() -> dbc.Alert:
    return dbc.Alert(
        [
            html.Strong("No orders in this range. "),
            "Widen the dates, remove a filter, or import data (python -m dashapp import FILE).",
        ],
        color="light",
        className="empty-state mb-0",
    )


def _spark_granularity(f: Filters) -> str:
    days = (f.end - f.start).days if f.start and f.end else 0
    return "day" if days <= 92 else "week" if days <= 731 else "month"


def _granularity_text(series: trends.Series) -> str:
    """ "week", or "week (month would give only 4 points)" when the chart chose a finer one."""
    if series.granularity == series.asked or not (series.filters.start and series.filters.end):
        return series.granularity
    n = count_periods(series.filters.start, series.filters.end, series.asked)
    return f"{series.granularity} ({series.asked} would give only {_count(n, 'point', 'points')})"


def _partial_text(series: trends.Series) -> str:
    """ ", dashed: the month to date" when a period of the chart is only partly covered."""
    partial = [c for c in series.covered if c.partial]
    if not partial or series.granularity == "day":
        return ""
    kind = f"incomplete {series.granularity}"
    return f", dashed: {_count(len(partial), kind, kind + 's')}"


def _to_date_text(c: trends.Comparison, granularity: str) -> str:
    """The last period to date against the same days of the one before it, for the hover."""
    change = delta(c.revenue_cents, c.before_cents)
    pct = f" · {change:+.1%}" if change is not None else ""
    return (
        f"same days of the previous {granularity} ({trends.day_span(c.before_first, c.before_last)}"
        f"): {money_text(cents_to_decimal(c.before_cents))}{pct}"
    )


def _kpi_row(engine: Engine, f: Filters) -> list | dbc.Alert:
    """The KPI cards of the view (or why there are none): its summary and sparklines from the
    answer cache, or computed."""

    def compute():
        with engine.connect() as conn:
            summary = (cancelled_summary if only_cancelled(f) else kpi_summary)(conn, f)
            gran = _spark_granularity(f.with_range(summary.start, summary.end))
            read = trends.cancelled_series if only_cancelled(f) else trends.sales_series
            spark = read(conn, f, gran, fixed=True)
        return summary, (spark.frame, spark.partial(spark.frame["period"]))

    summary, spark = cached(engine, "overview.kpis", f, compute)
    if only_cancelled(f):
        if summary.every_status.all_orders == 0:
            return _no_orders()
        return _cancelled_cards(summary, spark)
    if summary.current.all_orders == 0:
        return _no_orders()
    cards = _kpi_cards(summary.current, summary.previous, summary.last_year, spark)
    margins = (None, None)
    if summary.current.cost_known:
        # Only a view with some cost known reads the profit per period (no cost: no query).
        def profit_spark():
            g = f.with_range(summary.start, summary.end)
            with engine.connect() as conn:
                series = profit.profit_series(conn, g, _spark_granularity(g))
            return series.frame, series.partial(series.frame["period"])

        margins = cached(engine, "overview.profit", f, profit_spark)
    return cards + _profit_cards(summary.current, summary.previous, summary.last_year, margins)


def register_callbacks(app: Dash, engine: Engine) -> None:
    """The Overview's data callbacks: each reads the view and answers with its finished outputs
    (figures, cards, captions) from the shared cache, keyed like every answer by the account's
    filters and the data version; on a miss it builds them from the domain answers (cached
    too) and files them. A click on a chart's mark offers its orders (drill-through).

    The outputs, not only the data: rebuilding cards and figures from cached frames was most
    of a warm page's server CPU (issue 17)."""
    drill.register_overview(app, engine)

    @app.callback(Output(ids.KPI_ROW, "children"), *DATA_INPUTS)
    def update_kpis(view, _token):
        f = filters_of(view)
        return cached(engine, "overview.kpi_row", f, lambda: _kpi_row(engine, f))

    @app.callback(Output(ids.TREND, "figure"), Output(ids.TREND_CAPTION, "children"), *DATA_INPUTS)
    def update_trend(view, _token):
        gran = granularity_of(view)
        f = filters_of(view)
        return cached(engine, "overview.trend_outputs", f, lambda: trend_outputs(f, gran), gran)

    def trend_outputs(f: Filters, gran: str):
        def compute():
            with engine.connect() as conn:
                series, previous, to_date = trends.revenue_trend(conn, f, gran)
                names = dimensions.customer_labels(conn, series.filters.customers)
            return series, previous, to_date, names

        series, previous, to_date, names = cached(engine, "overview.trend", f, compute, gran)
        notes = series.notes()
        point_notes = [notes.get(p, "") for p in series.frame["period"]]
        if to_date is not None and point_notes:
            point_notes[-1] += "<br>" + _to_date_text(to_date, series.granularity)
        what = "Value of the cancelled orders" if only_cancelled(series.filters) else "Revenue"
        caption = (
            f"{what} per {_granularity_text(series)}, dotted: the same days of the previous "
            f"period{_partial_text(series)} · {describe(series.filters, names)}"
        )
        name = "Cancelled value" if only_cancelled(series.filters) else "Revenue"
        figure = figures.revenue_trend(
            series.frame, previous, series.granularity, point_notes, name
        )
        return target_card.with_target_line(engine, figure, series), caption

    @app.callback(
        Output(ids.xfilter(ids.CATEGORY_DONUT), "figure"),
        Output(ids.xfilter(ids.CATEGORY_TREND), "figure"),
        Output(ids.CATEGORY_CAPTION, "children"),
        *DATA_INPUTS,
    )
    def update_categories(view, _token):
        f, gran = filters_of(view), granularity_of(view)
        build = lambda: category_outputs(f, gran)  # noqa: E731
        return cached(engine, "overview.category_outputs", f, build, gran)

    def category_outputs(f: Filters, gran: str):
        def compute():
            with engine.connect() as conn:
                colours = category_colours(breakdowns.categories_in_order_of_appearance(conn))
                share = breakdowns.sales_by_category(conn, f)
                trend = trends.category_series(conn, f, gran)
                names = dimensions.customer_labels(conn, f.customers)
            return colours, share, trend, names

        colours, share, trend, names = cached(engine, "overview.categories", f, compute, gran)
        if only_cancelled(f):
            empty = figures.empty_figure(CANCELLED_ONLY)
            return empty, empty, f"Revenue by category · {describe(f, names)}"
        caption = (
            f"{_count(len(share), 'category', 'categories')} · share of revenue and revenue "
            f"per {_granularity_text(trend)}{_partial_text(trend)} · "
            f"{describe(f, names)} · click a category to filter"
        )
        return (
            figures.category_donut(share, colours),
            figures.category_trend(trend.frame, colours, trend.granularity, trend.notes()),
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
        return cached(engine, "overview.top_outputs", f, lambda: top_outputs(f, n, by), n, by)

    def top_outputs(f: Filters, n: int, by: str):
        def compute():
            with engine.connect() as conn:
                colours = category_colours(breakdowns.categories_in_order_of_appearance(conn))
                products = breakdowns.top_products(conn, f, n, by)
                customers = breakdowns.top_customers(conn, f, n, by)
                names = dimensions.customer_labels(conn, f.customers)
            return colours, products, customers, names

        colours, products, customers, names = cached(engine, "overview.top", f, compute, n, by)
        if only_cancelled(f):
            empty = figures.empty_figure(CANCELLED_ONLY)
            return empty, empty, f"Top {n} · {describe(f, names)}"
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

    register_place_callbacks(app, engine)

    @app.callback(
        Output(ids.xfilter(ids.COUNTRY_MAP), "figure"),
        Output(ids.xfilter(ids.COUNTRY_BAR), "figure"),
        Output(ids.COUNTRY_CAPTION, "children"),
        *DATA_INPUTS,
        State(ids.MAP_REGION, "value"),
    )
    def update_countries(view, _token, region):
        f = filters_of(view)
        region = region or "world"
        build = lambda: country_outputs(f, region)  # noqa: E731
        return cached(engine, "overview.country_outputs", f, build, region)

    def country_outputs(f: Filters, region: str):
        def compute():
            with engine.connect() as conn:
                return (
                    breakdowns.sales_by_country(conn, f),
                    dimensions.customer_labels(conn, f.customers),
                )

        df, names = cached(engine, "overview.countries", f, compute)
        if only_cancelled(f):
            empty = figures.empty_figure(CANCELLED_ONLY)
            return empty, empty, describe(f, names)
        caption = (
            f"{_count(len(df), 'country', 'countries')} · {describe(f, names)}"
            " · click a country to filter"
        )
        bar = figures.ranked_bar(df, "country", "country", "revenue")
        return figures.country_map(df, region), bar, caption

    @app.callback(
        Output(ids.xfilter(ids.COUNTRY_MAP), "figure", allow_duplicate=True),
        Input(ids.MAP_REGION, "value"),
        prevent_initial_call=True,
    )
    def zoom_map(region):
        """A continent zoom moves the map's view only: no query, no new data sent."""
        patch = Patch()
        patch["layout"]["geo"] = figures.map_geo(region or "world")
        return patch

    @app.callback(
        Output(ids.CALENDAR, "figure"), Output(ids.CALENDAR_CAPTION, "children"), *DATA_INPUTS
    )
    def update_calendar(view, _token):
        f = filters_of(view)
        return cached(engine, "overview.calendar_outputs", f, lambda: calendar_outputs(f))

    def calendar_outputs(f: Filters):
        def compute():
            with engine.connect() as conn:
                g = resolve_range(conn, f)
                if only_cancelled(g):
                    days = breakdowns.cancelled_over_time(conn, g, "day")
                else:
                    days = breakdowns.sales_over_time(conn, g, "day", customers=False)
                names = dimensions.customer_labels(conn, g.customers)
            return g, days, names

        g, days, names = cached(engine, "overview.calendar", f, compute)
        long = g.start and g.end and (g.end - g.start).days > 371
        what = "Value of the cancelled orders" if only_cancelled(g) else "Revenue"
        cells = "per month (month × year)" if long else "per day (weekday × week)"
        caption = f"{what} {cells} · {describe(g, names)}"
        return figures.calendar_heatmap(days, g.start, g.end), caption
