"""What a report of the current view holds: its header (section, filters, who, when), the KPIs
against the previous period and last year, and one table per card of the section (Overview,
Customer insight, Loss finder, Pivot, Targets, Anomalies, Forecast & inventory), each read with
the same domain function the page's callback calls."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from sqlalchemy import Connection

from dashapp.alerts import list_kpi_alerts
from dashapp.analytics import breakdowns, dimensions, losses, pivot, trends
from dashapp.analytics.anomalies import list_alerts
from dashapp.analytics.forecasting import (
    MODEL_NAMES,
    InsufficientHistory,
    daily_series,
    forecast,
)
from dashapp.analytics.kpis import (
    Kpis,
    cents_to_decimal,
    delta,
    kpi_summary,
    only_cancelled,
    resolve_range,
)
from dashapp.analytics.reorder import COLUMNS as REORDER_KEYS
from dashapp.analytics.reorder import WINDOW_DAYS, reorder_recommendations
from dashapp.auth import Account
from dashapp.filters import DIMENSIONS, GRANULARITIES, Filters
from dashapp.segments.rfm import rfm_scores
from dashapp.segments.summary import rf_heatmap, segment_summary
from dashapp.targets import listed_progress
from dashapp.targets.records import METRIC_LABELS, SCOPE_LABELS

# A column's kind decides its cell format: money is integer cents written as an exact amount.
TEXT, MONEY, COUNT, SHARE, DAY = "text", "money", "count", "share", "day"
DECIMAL = "decimal"  # a measured quantity with decimals (average units a day)
TOP_N_RANGE = (5, 20)
# Sections whose cards a report writes; any other section's report says so and writes the
# Overview's figures under the same filters (every section reads the same view).
SECTION_LABELS = {
    "overview": "Overview",
    "insight": "Customer insight",
    "losses": "Loss finder",
    "pivot": "Pivot",
    "targets": "Targets",
    "anomalies": "Anomalies",
    "forecast": "Forecast & inventory",
}
ALERT_ROWS = 1000  # as many alerts as the Anomalies page lists
KPI_ALERT_ROWS = 500  # as many fired KPI alerts as its card lists
WHOLE_BUSINESS = "view:all"  # alerts are whole-business figures, not for a sales user (SPEC §6)
LOSS_ROWS = 100  # as many rows as the Loss finder's grid shows


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    """One figure's data: a sheet of the workbook, a chart and a table of the PDF."""

    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: list[tuple]
    # How the PDF draws it: "line" (the first money column, then dotted), "lines" (one per
    # money column), "columns" (vertical bars over time), "bar" (horizontal, ranked), or
    # "table" (no chart: the table alone).
    chart: str = "bar"


@dataclass(frozen=True)
class KpiLine:
    label: str
    kind: str
    value: object
    previous: object
    change: float | None  # against the previous period (rates: in fraction points)
    last_year: object
    change_last_year: float | None = None
    note: str = ""


@dataclass(frozen=True)
class ViewReport:
    section: str
    filters: Filters
    filter_lines: list[tuple[str, str]]
    user: str
    generated_at: datetime
    granularity: str
    kpis: list[KpiLine] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def filters_text(self) -> str:
        """One line: "Dates: 1 Jan 2024 – 31 Jan 2024 · Category: Planes"."""
        return " · ".join(f"{name}: {value}" for name, value in self.filter_lines)


def date_text(d: date | None) -> str:
    return d.strftime("%-d %b %Y") if d else "…"


def filter_lines(conn: Connection, f: Filters) -> list[tuple[str, str]]:
    """(name, values) of the dates and of every active filter, customers by name, in the order
    of the page's chips, so no filter applies unseen; a sales user's own view says so."""
    dates = "all time" if not (f.start or f.end) else f"{date_text(f.start)} – {date_text(f.end)}"
    lines = [("Dates", dates)]
    names = dimensions.customer_labels(conn, f.customers)
    for dim in DIMENSIONS:
        values = f.values(dim)
        if not values:
            continue
        if dim == "customer":
            values = [names.get(c, f"#{c}") for c in values]
        lines.append((dim.replace("_", " ").title(), ", ".join(str(v) for v in values)))
    if f.created_by:
        lines.append(("Orders entered by", f.created_by))
    return lines


def clamp_top(n: object) -> int:
    try:
        value = int(str(n))
    except ValueError:
        return 10
    return max(TOP_N_RANGE[0], min(TOP_N_RANGE[1], value))


def view_report(
    conn: Connection,
    f: Filters,
    *,
    section: str = "overview",
    granularity: str = "month",
    top_n: int = 10,
    top_by: str = "revenue",
    user: str = "",
    now: datetime | None = None,
    account: Account | None = None,
) -> ViewReport:
    """The report of one view. `f` is already scoped to the account (Filters.for_account);
    `account` decides which targets and alerts the Targets and Anomalies sheets list (None:
    only what anyone may see)."""
    granularity = granularity if granularity in GRANULARITIES else "month"
    top_by = top_by if top_by in ("revenue", "units") else "revenue"
    top_n = clamp_top(top_n)
    resolved = resolve_range(conn, f)
    notes = []
    label = SECTION_LABELS.get(section)
    if section == "targets":
        tables = target_tables(conn, account)
    elif section == "anomalies":
        tables = alert_tables(conn, account)
        if account is None or not account.can(WHOLE_BUSINESS):
            notes.append(
                "Alerts watch the whole business: they are not in a report of your own orders."
            )
    elif section == "forecast":
        tables = forecast_tables(conn, f, account)
        if account is None or not account.can(WHOLE_BUSINESS):
            notes.append(
                "The reorder list covers the whole business's stock: it is not in a report of "
                "your own orders."
            )
    elif section in SECTION_TABLES:
        tables = SECTION_TABLES[section](conn, f)
    else:
        tables = overview_tables(conn, f, granularity, top_n, top_by)
    if label is None:
        notes.append(
            f"The {section.replace('-', ' ')} page has no figure sheets of its own: these are "
            "the Overview's figures under the same filters."
        )
        label = f"{section.replace('-', ' ').title()} (Overview figures)"
    return ViewReport(
        section=label,
        filters=resolved,
        filter_lines=filter_lines(conn, resolved),
        user=user,
        generated_at=now or datetime.now().astimezone(),
        granularity=granularity,
        kpis=kpi_lines(conn, f),
        tables=tables,
        notes=notes,
    )


_KPI_FIELDS: Sequence[tuple[str, str, Callable[[Kpis], object]]] = (
    ("Revenue", MONEY, lambda k: k.revenue_cents),
    ("Orders", COUNT, lambda k: k.orders),
    ("Avg order value", MONEY, lambda k: k.aov),
    ("Customers", COUNT, lambda k: k.customers),
    ("Units", COUNT, lambda k: k.units),
    ("Cancellation rate", SHARE, lambda k: k.cancellation_rate),
    ("Gross profit", MONEY, lambda k: k.profit_cents),
    ("Margin", SHARE, lambda k: k.margin),
)


def _compare(kind: str, value: object, other: object, orders: int) -> float | None:
    """The change against another period: relative, or in points for a rate (a rate moves in
    points, not percent of itself); None when there is nothing to compare against."""
    if value is None or other is None:
        return None
    if kind == SHARE:
        return value - other if orders else None
    return delta(value, other)


def kpi_lines(conn: Connection, f: Filters) -> list[KpiLine]:
    """The Overview's KPI cards: value, previous period and same period last year with the
    change against each (money in cents; AOV is the Decimal the card shows, in cents; profit
    and margin None, with the reason in the note, where no cost is known)."""
    summary = kpi_summary(conn, f)
    periods = (summary.current, summary.previous, summary.last_year)
    lines = []
    for label, kind, read in _KPI_FIELDS:
        values = [read(k) for k in periods]
        values = [int(v * 100) if isinstance(v, Decimal) else v for v in values]
        now = summary.current
        notes = {
            "Revenue": "cancelled orders excluded",
            "Customers": f"{now.new_customers:,} first-time, {now.returning_customers:,} returning",
            "Cancellation rate": f"{now.cancelled_orders:,} of {now.all_orders:,} orders",
            "Gross profit": now.profit_note or f"cost known for {now.cost_coverage:.0%} of sales",
            "Margin": now.profit_note or "profit ÷ revenue, lines with a known cost",
        }
        lines.append(
            KpiLine(
                label,
                kind,
                values[0],
                values[1],
                _compare(kind, values[0], values[1], summary.previous.all_orders),
                values[2],
                _compare(kind, values[0], values[2], summary.last_year.all_orders),
                notes.get(label, ""),
            )
        )
    return lines


def overview_tables(
    conn: Connection, f: Filters, granularity: str, top_n: int, top_by: str
) -> list[Table]:
    """The Overview's figures as tables, each from the function its callback calls."""
    cancelled = only_cancelled(f)
    what = "Cancelled value" if cancelled else "Revenue"
    series, previous, _ = trends.revenue_trend(conn, f, granularity)
    notes = series.notes()
    before = dict(zip(previous.get("period", []), previous.get("revenue_cents", []), strict=True))
    trend = Table(
        f"{what} trend",
        f"{what} per {series.granularity}, beside the same days of the previous period",
        (
            Column("Period starting", DAY),
            Column(what, MONEY),
            Column("Previous period", MONEY),
            Column("Note"),
        ),
        [
            (p, int(c), _cents_or_none(before.get(p)), notes.get(p, ""))
            for p, c in zip(series.frame["period"], series.frame["revenue_cents"], strict=True)
        ],
        chart="line",
    )
    tables = [trend]
    if not cancelled:
        tables += _category_tables(conn, f, granularity)
        tables += _top_tables(conn, f, top_n, top_by)
        countries = breakdowns.sales_by_country(conn, f)
        tables.append(
            Table(
                "By country",
                "Revenue, orders and customers per country, largest revenue first",
                (
                    Column("Country"),
                    Column("Revenue", MONEY),
                    Column("Orders", COUNT),
                    Column("Customers", COUNT),
                ),
                _rows(countries, ["country", "revenue_cents", "orders", "customers"]),
            )
        )
    g = resolve_range(conn, f)
    if cancelled:
        days = breakdowns.cancelled_over_time(conn, g, "day")
    else:
        days = breakdowns.sales_over_time(conn, g, "day", customers=False)
    tables.append(
        Table(
            "By day",
            f"{what} per day (the calendar)",
            (Column("Day", DAY), Column(what, MONEY), Column("Orders", COUNT)),
            [
                (_day(p), int(c), int(o))
                for p, c, o in days[["period", "revenue_cents", "orders"]].itertuples(index=False)
            ],
            chart="columns",
        )
    )
    return tables


def insight_tables(conn: Connection, f: Filters) -> list[Table]:
    """The Customer insight section's figures: the segment table and share, and the R x F
    grid, from the RFM scores its callbacks read."""
    scores = rfm_scores(conn, f)
    summary = segment_summary(scores)
    heatmap = rf_heatmap(scores)
    return [
        Table(
            "Segments",
            "Customers per RFM segment, their share, revenue, orders, AOV and what to do",
            (
                Column("Segment"),
                Column("Customers", COUNT),
                Column("Share", SHARE),
                Column("Revenue", MONEY),
                Column("Orders", COUNT),
                Column("AOV", MONEY),
                Column("Priority"),
                Column("Action"),
            ),
            _rows(
                summary,
                ["segment", "customers", "share", "revenue_cents", "orders", "aov_cents"]
                + ["priority", "action"],
            ),
        ),
        Table(
            "Recency x frequency",
            "Average revenue per customer of each R x F cell (5 = most recent, most orders)",
            (
                Column("Recency score", COUNT),
                Column("Frequency score", COUNT),
                Column("Segment"),
                Column("Customers", COUNT),
                Column("Avg revenue per customer", MONEY),
            ),
            _rows(heatmap, ["r", "f", "segment", "customers", "avg_monetary_cents"]),
            chart="table",
        ),
    ]


_LOSS_COLUMNS = (
    Column("Revenue", MONEY),
    Column("Cost", MONEY),
    Column("Profit", MONEY),
    Column("Margin", SHARE),
    Column("Discounts", MONEY),
    Column("Orders", COUNT),
)


def loss_tables(conn: Connection, f: Filters) -> list[Table]:
    """The Loss finder's figures at its default threshold (losing money): the products,
    customers and orders, most money lost first, and discount against margin per sub-category,
    from the functions its callback calls (money over the lines whose cost is known)."""
    level_names = {"product": "products", "customer": "customers", "order": "orders"}
    keys = {"product": "SKU", "customer": "Customer id", "order": "Order"}
    names = {"product": "Product", "customer": "Customer", "order": "Customer"}
    tables = []
    for level in losses.LEVELS:
        found = losses.loss_makers(conn, f, level, losses.DEFAULT_THRESHOLD, LOSS_ROWS)
        shown = f", the {len(found.rows)} losing most" if found.found > len(found.rows) else ""
        tables.append(
            Table(
                f"Losing {level_names[level]}",
                f"{found.found} {level_names[level]} losing money{shown}, most money lost "
                "first, over the lines whose cost is known",
                (Column(keys[level]), Column(names[level]), *_LOSS_COLUMNS),
                [
                    (
                        r.key,
                        r.label,
                        r.revenue_cents,
                        r.cost_cents,
                        r.profit_cents,
                        _share(r.margin),
                        r.discounts_cents,
                        r.orders,
                    )
                    for r in found.rows
                ],
                chart="table",
            )
        )
    points = losses.discount_and_margin(conn, f)
    tables.append(
        Table(
            "Discount vs margin",
            "Discount given (share of list value) and margin earned per sub-category, largest "
            "revenue first; no margin where no cost is known",
            (
                Column("Sub-category"),
                Column("Revenue", MONEY),
                Column("Discounts", MONEY),
                Column("Discount rate", SHARE),
                Column("Revenue with a cost", MONEY),
                Column("Cost", MONEY),
                Column("Margin", SHARE),
            ),
            [
                (
                    p.name,
                    p.revenue_cents,
                    p.discounts_cents,
                    _share(p.discount_rate),
                    p.costed_revenue_cents,
                    p.cost_cents,
                    _share(p.margin),
                )
                for p in points
            ],
            chart="table",
        )
    )
    return tables


def target_tables(conn: Connection, account: Account | None) -> list[Table]:
    """The Targets page's grid (every target the account may see, newest period first, with
    its actual, share, projection to the period's end and status, from listed_progress), one
    sheet per metric so each amount column has one kind (money in cents, orders a count)."""
    as_of, found = listed_progress(conn, account)
    when = f"progress to {date_text(as_of)}, the last day with orders" if as_of else "no orders"
    tables = []
    for metric, label in METRIC_LABELS.items():
        kind = COUNT if metric == "orders" else MONEY
        rows = []
        for p in found:
            t = p.target
            if t.metric != metric:
                continue
            projection = p.projection if p.open_projection is not None else None
            rows.append(
                (
                    t.period_key,
                    SCOPE_LABELS.get(t.scope, t.scope),
                    t.key or None,  # the business has no key
                    t.amount,
                    p.actual,
                    p.share,
                    p.open_projection,
                    None if projection is None else projection.low,
                    None if projection is None else projection.high,
                    "" if p.projection is None else p.projection.note,
                    p.status,
                )
            )
        tables.append(
            Table(
                f"{label} targets",
                f"{label} targets, newest period first, {when}",
                (
                    Column("Period"),
                    Column("Scope"),
                    Column("Key"),
                    Column("Target", kind),
                    Column("Actual", kind),
                    Column("Share", SHARE),
                    Column("Projected", kind),
                    Column("Projected low", kind),
                    Column("Projected high", kind),
                    Column("Method"),
                    Column("Status"),
                ),
                rows,
                chart="table",
            )
        )
    return tables


def alert_tables(conn: Connection, account: Account | None) -> list[Table]:
    """The Anomalies page's two lists, whole business whatever the filters (as the page):
    the anomaly alerts (list_alerts) and the KPI alert rules' fired alerts (list_kpi_alerts),
    newest first. A role that sees only its own orders gets neither (the page is not theirs)."""
    if account is None or not account.can(WHOLE_BUSINESS):
        return []
    found = list_alerts(conn, limit=ALERT_ROWS)
    anomalies = Table(
        "Alerts",
        "Days whose revenue fell well below what was expected, newest day first; drop and "
        "score as the check recorded them",
        (
            Column("Day", DAY),
            Column("Scope"),
            Column("Key"),
            Column("Expected", MONEY),
            Column("Actual", MONEY),
            Column("Drop", SHARE),
            Column("Score", DECIMAL),
            Column("Status"),
            Column("Drivers"),
        ),
        [
            (
                a["day"],
                a["scope"],
                a["key"],
                a["baseline_cents"],
                a["actual_cents"],
                a["drop_pct"] / 100,
                a["score"],
                a["status"],
                "; ".join(
                    f"{d['key']} ({d['dimension']}) -{cents_to_decimal(int(d['lost_cents']))}"
                    for d in a["drivers"]
                ),
            )
            for a in found
        ],
        chart="table",
    )
    fired = list_kpi_alerts(conn, account, limit=KPI_ALERT_ROWS)
    kpi_alerts = Table(
        "KPI alerts",
        "What the KPI alert rules fired, newest period first, with the figure and the note of "
        "the check",
        (
            Column("Period start", DAY),
            Column("Period end", DAY),
            Column("Rule"),
            Column("Figure"),
            Column("Alert when"),
            Column("Status"),
            Column("Note"),
        ),
        [
            (
                a["period_start"],
                a["period_end"],
                a["rule"],
                a["figure"],
                a["condition"],
                a["status"],
                a["note"] or "",
            )
            for a in fired
        ],
        chart="table",
    )
    return [anomalies, kpi_alerts]


REORDER_COLUMNS = (
    Column("SKU"),
    Column("Product"),
    Column("Category"),
    Column("Stock", COUNT),
    Column("Reorder point", COUNT),
    Column("Lead time (days)", COUNT),
    Column("Units sold in the window", COUNT),
    Column("Avg units a day", DECIMAL),
    Column("Days of cover", DECIMAL),
    Column("Lead-time demand", DECIMAL),
    Column("Suggested order", COUNT),
    Column("Last sale", DAY),
    Column("Status"),
)
# The Forecast page's first look: revenue, 30 days, the model its backtest picks, 80 %.
FORECAST_HORIZON, FORECAST_LEVEL = 30, 0.8


def forecast_table(conn: Connection, f: Filters) -> Table:
    """Revenue per day for the next 30 days under the view's filters, as the Forecast page
    first shows it (analytics.forecasting.forecast on the same daily series; refitted here, a
    few seconds at most), with its 80 % interval; or why there is none (too little history)."""
    try:
        result = forecast(
            daily_series(conn, f, "revenue"), FORECAST_HORIZON, "auto", FORECAST_LEVEL
        )
    except InsufficientHistory as exc:
        return Table("Forecast", str(exc), (Column("Note"),), [(str(exc),)], "table")
    cents = lambda value: int(round(float(value) * 100))  # noqa: E731 (an estimate, to the cent)
    rows = [
        (day.date(), cents(mean), cents(low), cents(high))
        for day, mean, low, high in zip(
            result.mean.index, result.mean, result.lower, result.upper, strict=True
        )
    ]
    caption = (
        f"Revenue per day for the next {FORECAST_HORIZON} days, "
        f"{MODEL_NAMES[result.model]} (picked by backtest), with its "
        f"{round(FORECAST_LEVEL * 100)} % interval: the page's first look (its measure, "
        "horizon and model controls are not part of the view)"
    )
    columns = (
        Column("Day", DAY),
        Column("Forecast", MONEY),
        Column("Low", MONEY),
        Column("High", MONEY),
    )
    return Table("Forecast", caption, columns, rows, "line")


def forecast_tables(conn: Connection, f: Filters, account: Account | None) -> list[Table]:
    """The Forecast & inventory page's forecast (forecast_table) and reorder list
    (reorder_recommendations, most pressing first, whole business as on the page: none for a
    role that sees only its own orders)."""
    tables = [forecast_table(conn, f)]
    if account is not None and account.can(WHOLE_BUSINESS):
        df = reorder_recommendations(conn, window_days=WINDOW_DAYS)
        tables.append(
            Table(
                "Reorder",
                f"Days of cover from stock and the units a day sold over the last {WINDOW_DAYS} "
                "days of data, most pressing first",
                REORDER_COLUMNS,
                list(reorder_rows(df)),
                chart="table",
            )
        )
    return tables


def reorder_rows(df: pd.DataFrame) -> Iterator[tuple]:
    """The reorder table's rows in REORDER_COLUMNS' order (the CSV's); days of cover empty
    where the product is not selling; the last sale (ISO text in the frame) as a day."""
    last = REORDER_KEYS.index("last_sale")
    for row in df.reindex(columns=REORDER_KEYS).itertuples(index=False, name=None):
        values = [plain(v) for v in row]
        if isinstance(values[last], str):
            values[last] = date.fromisoformat(values[last])
        yield tuple(values)


PIVOT_KINDS = {"money": MONEY, "count": COUNT, "percent": SHARE}


def pivot_tables(conn: Connection, f: Filters) -> list[Table]:
    """The Pivot's default table (revenue by category and year), as much of it as the pivot's
    own export gives, from the function its callback calls."""
    p = pivot.pivot(
        conn,
        f,
        "category",
        "year",
        "revenue",
        max_rows=pivot.MAX_ROWS,
        max_columns=pivot.MAX_COLUMNS,
    )
    columns, rows = pivot_sheet(p)
    measure = pivot.MEASURES[p.measure].label
    shown = (
        "" if p.rows_found <= len(p.row_labels) else f", {len(p.row_labels)} of {p.rows_found} rows"
    )
    return [
        Table(
            "Pivot",
            f"{measure} by {pivot.DIMENSIONS[p.rows].label.lower()} and "
            f"{pivot.DIMENSIONS[p.columns].label.lower()}, totals last{shown}",
            columns,
            list(rows),
            chart="table",
        )
    ]


def pivot_sheet(p: pivot.Pivot) -> tuple[tuple[Column, ...], Iterator[tuple]]:
    """The columns and rows of a pivot (analytics.pivot.as_table: a row per label, a column
    per shown column, the totals row last): money in cents, a percent measure as a share
    (35.25 -> 0.3525)."""
    header, body = pivot.as_table(p)
    kind = PIVOT_KINDS[pivot.MEASURES[p.measure].kind]
    columns = (Column(str(header[0])), *(Column(str(h), kind) for h in header[1:]))

    def cell(value: object) -> object:
        if value is None:
            return None
        if kind == MONEY:
            return int(Decimal(value) * 100)  # the pivot's amounts are exact to the cent
        return float(Decimal(value) / 100) if kind == SHARE else value

    return columns, ((str(row[0]), *(cell(v) for v in row[1:])) for row in body)


def _share(value: object) -> float | None:
    """An exact ratio (Fraction, Decimal) as the float a share cell holds."""
    return None if value is None else float(value)


def _category_tables(conn: Connection, f: Filters, granularity: str) -> list[Table]:
    share = breakdowns.sales_by_category(conn, f)
    total = int(share["revenue_cents"].sum()) if not share.empty else 0
    by_category = Table(
        "By category",
        "Revenue per category and its share of the total, largest first",
        (
            Column("Category"),
            Column("Revenue", MONEY),
            Column("Share", SHARE),
            Column("Units", COUNT),
            Column("Orders", COUNT),
        ),
        [
            (c, int(r), (int(r) / total) if total else None, int(u), int(o))
            for c, r, u, o in share[["category", "revenue_cents", "units", "orders"]].itertuples(
                index=False
            )
        ],
    )
    series = trends.category_series(conn, f, granularity)
    frame = series.frame
    categories = list(dict.fromkeys(share["category"])) or sorted(set(frame.get("category", [])))
    wide = (
        frame.pivot_table(
            index="period", columns="category", values="revenue_cents", aggfunc="sum", fill_value=0
        )
        if not frame.empty
        else pd.DataFrame()
    )
    rows = [
        (p, *(int(wide.at[p, c]) if c in wide.columns else 0 for c in categories))
        for p in wide.index
    ]
    trend = Table(
        "Category trend",
        f"Revenue per {series.granularity} and category",
        (Column("Period starting", DAY), *(Column(str(c), MONEY) for c in categories)),
        rows,
        chart="lines",
    )
    return [by_category, trend]


def _top_tables(conn: Connection, f: Filters, n: int, by: str) -> list[Table]:
    products = breakdowns.top_products(conn, f, n, by)
    customers = breakdowns.top_customers(conn, f, n, by)
    measures = (Column("Revenue", MONEY), Column("Units", COUNT), Column("Orders", COUNT))
    return [
        Table(
            "Top products",
            f"Top {n} products by {by}",
            (Column("SKU"), Column("Product"), Column("Category"), *measures),
            _rows(products, ["sku", "name", "category", "revenue_cents", "units", "orders"]),
        ),
        Table(
            "Top customers",
            f"Top {n} customers by {by}",
            (Column("Customer"), Column("Country"), *measures),
            _rows(customers, ["name", "country", "revenue_cents", "units", "orders"]),
        ),
    ]


SECTION_TABLES: dict[str, Callable[[Connection, Filters], list[Table]]] = {
    "insight": insight_tables,
    "losses": loss_tables,
    "pivot": pivot_tables,
}


def _rows(df: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(plain(v) for v in row) for row in df[columns].itertuples(index=False, name=None)]


def plain(value: object) -> object:
    """numpy scalars as Python ones; NaN and None as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value


def _cents_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _day(value: object) -> date:
    return value if isinstance(value, date) else pd.Timestamp(value).date()


def money_of(cents: int) -> Decimal:
    """Cents as the exact amount a cell holds."""
    return cents_to_decimal(cents)
