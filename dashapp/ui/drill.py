"""Drill-through on the page (issue 19 item 4): a click on a bar, slice, map region, heatmap
cell or pivot cell opens a small panel naming the slice with its order count and revenue and a
"Show orders" link to the order history under exactly that slice (dashapp.analytics.drill);
the history then offers "Back" to the view the drill started from.

The link carries the view to go back to in its fragment (#back=/?category=...), which the
URL sync leaves alone; the fragment is filled in the browser from the address at the time, so
"Back" returns to the view as it is when "Show orders" is pressed (a click that cross-filtered
the page included)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Connection, Engine

from dashapp.analytics import dimensions
from dashapp.analytics.drill import (
    DrillError,
    SliceFigures,
    period_range,
    pivot_picks,
    slice_figures,
    slice_filters,
)
from dashapp.analytics.kpis import cents_to_decimal, only_cancelled, resolve_range
from dashapp.analytics.periods import fitting_granularity
from dashapp.filters import Filters
from dashapp.ui import ids
from dashapp.ui.parts import HIDDEN
from dashapp.ui.shell import clicked_place, filters_of, granularity_of
from dashapp.ui.text import date_text, money_text

ORDERS_PATH = "/orders"


def panel() -> html.Div:
    """The drill panel, hidden until a mark of a chart is clicked."""
    return html.Div(
        [
            html.Div(id=ids.DRILL_BODY, className="drill-body"),
            dcc.Link(
                "Show orders →",
                id=ids.DRILL_LINK,
                href=ORDERS_PATH,
                className="btn btn-primary btn-sm drill-link",
            ),
            html.Button(
                "×",
                id=ids.DRILL_CLOSE,
                n_clicks=0,
                className="btn btn-link btn-close-panel drill-close",
                title="Close",
                **{"aria-label": "Close"},
            ),
            dcc.Store(id=ids.DRILL_TARGET),
        ],
        id=ids.DRILL_PANEL,
        className="drill-panel",
        hidden=True,
        role="status",
        **{"aria-live": "polite"},
    )


def orders_address(g: Filters) -> str:
    """The order history under a slice's filters."""
    query = g.to_query()
    return ORDERS_PATH + (f"?{query}" if query else "")


def period_label(kind: str, first: date) -> str:
    """How a clicked period reads: "4 Mar 2024", "week of 4 Mar 2024", "March 2024"..."""
    if kind == "day":
        return date_text(first)
    if kind == "week":
        return f"week of {date_text(first)}"
    if kind == "month":
        return first.strftime("%B %Y")
    if kind == "quarter":
        return f"Q{(first.month - 1) // 3 + 1} {first.year}"
    return str(first.year)


def pick_label(conn: Connection, dim: str, value) -> str:
    """ "Category: Furniture", "Product: Chair (CHAIR)", "Customer: Acme": plain text."""
    if dim == "product":
        value = dimensions.product_labels(conn, [value]).get(value, value)
    elif dim == "customer":
        value = dimensions.customer_labels(conn, [int(value)]).get(int(value), f"#{value}")
    return f"{dim.replace('_', ' ').capitalize()}: {value}"


def body(title: str, figures: SliceFigures, cancelled_only: bool = False) -> list:
    """The panel's text: what was clicked, and how many orders it holds."""
    n = figures.orders
    count = f"{n:,} {'order' if n == 1 else 'orders'}"
    if cancelled_only:
        what = f"{count} cancelled"
    else:
        what = f"{count} · {money_text(cents_to_decimal(figures.revenue_cents))}"
    return [
        html.Div(title, className="drill-title"),
        html.Div(what, id="drill-count", className="drill-count"),
    ]


def calendar_period(click: dict, start: date | None, long: bool) -> tuple[str, str] | None:
    """(kind, value) of a clicked calendar cell: a day of the weekday x week grid (its hover
    text "Mon 04 Mar 2024", else its [row, column] from the range's first Monday), or a month
    of the month x year grid (x "Mar", y "2024")."""
    points = (click or {}).get("points") or []
    if not points:
        return None
    point = points[0]
    if long:
        year = str(point.get("y", ""))[:4]
        try:
            month = datetime.strptime(str(point.get("x", "")), "%b").month
        except ValueError:
            return None
        return ("month", f"{year}-{month:02d}") if year.isdigit() else None
    text = point.get("text")
    if text:
        try:
            return "day", datetime.strptime(text, "%a %d %b %Y").date().isoformat()
        except ValueError:
            pass
    cell = point.get("pointNumber")
    if start is None or not isinstance(cell, list) or len(cell) != 2:
        return None
    row, column = cell
    if not (isinstance(row, int) and isinstance(column, int) and 0 <= row < 7 and column >= 0):
        return None
    first_monday = start - timedelta(days=start.weekday())
    return "day", (first_monday + timedelta(weeks=column, days=row)).isoformat()


def back_target(hash_: str | None) -> str | None:
    """The view to go back to, from the history's #back=... fragment: a path of this site
    only (never another host or a script)."""
    found = parse_qs((hash_ or "").lstrip("#")).get("back")
    if not found:
        return None
    target = found[-1]
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def register_link(app: Dash) -> None:
    """The link's address: the slice's orders, plus the view as it is now to come back to."""
    app.clientside_callback(
        """function(target, search, pathname) {
            if (!target) { return window.dash_clientside.no_update; }
            const here = (pathname || '/') + (search || '');
            return target + '#back=' + encodeURIComponent(here);
        }""",
        Output(ids.DRILL_LINK, "href"),
        Input(ids.DRILL_TARGET, "data"),
        Input(ids.URL, "search"),
        State(ids.URL, "pathname"),
    )

    @app.callback(
        Output(ids.DRILL_PANEL, "hidden", allow_duplicate=True),
        Input(ids.DRILL_CLOSE, "n_clicks"),
        prevent_initial_call=True,
    )
    def close(_clicks):
        return True


def register_back(app: Dash) -> None:
    """On the order history: "Back" when the page was opened by a drill."""

    @app.callback(
        Output(ids.DRILL_BACK, "href"),
        Output(ids.DRILL_BACK_BAR, "hidden"),
        Input(ids.URL, "hash"),
    )
    def show_back(hash_):
        target = back_target(hash_)
        if target is None:
            return no_update, True
        return target, False

    # The history sits under the entry form: bring it into view with its way back.
    app.clientside_callback(
        f"""function(hidden) {{
            if (!hidden) {{
                const bar = document.getElementById('{ids.DRILL_BACK_BAR}');
                if (bar) {{ bar.scrollIntoView({{block: 'start'}}); }}
            }}
            return window.dash_clientside.no_update;
        }}""",
        Output(ids.DRILL_BACK_BAR, "title"),
        Input(ids.DRILL_BACK_BAR, "hidden"),
        prevent_initial_call=True,
    )


def back_bar() -> html.Div:
    """ "← Back" to the chart the orders were opened from (shown by register_back)."""
    return html.Div(
        [
            dcc.Link(
                "← Back", id=ids.DRILL_BACK, href="/", className="btn btn-outline-primary btn-sm"
            ),
            html.Span(
                "The orders behind the part of the chart you clicked (cancelled orders left "
                "out, as the chart leaves them out).",
                className="small text-muted",
            ),
        ],
        id=ids.DRILL_BACK_BAR,
        hidden=True,
        className="drill-back d-flex flex-wrap align-items-center gap-2",
    )


def clicked_period(kind: str, value: str) -> tuple[tuple[date, date], str]:
    """The dates of a clicked period and how it reads."""
    first, last = period_range(kind, value)
    return (first, last), period_label(kind, first)


def trend_period(click: dict, asked: str, r: Filters) -> tuple[tuple[date, date], str]:
    """The period of a clicked point of a trend over the resolved range `r` (its x, the
    period's first day, at the granularity the trend drew for `asked`)."""
    kind = fitting_granularity(asked, r.start, r.end)
    points = click.get("points") if isinstance(click, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        raise DrillError("That point names no period")
    return clicked_period(kind, str(points[0].get("x", ""))[:10])


def clicked_value(click: dict | None):
    """The raw key a chart keeps in a point's customdata (its first item), else its label."""
    points = (click or {}).get("points") or []
    if not points:
        return None
    value = points[0].get("customdata")
    if isinstance(value, list):
        value = value[0] if value else None
    return points[0].get("label") if value is None else value


_SHOWN = {}


def _no_slice(exc: DrillError) -> tuple:
    """The panel's outputs when a click names no slice: why, and no link to orders."""
    return [html.Div(str(exc), className="drill-title")], None, HIDDEN, False


def _answer(conn: Connection, f: Filters, picks: dict, period, period_name: str | None):
    """The panel's outputs for a slice: its text, the orders' address, the link's style."""
    try:
        g = slice_filters(conn, f, picks, period)
    except DrillError as exc:
        return _no_slice(exc)
    names = [pick_label(conn, d, v) for d, v in picks.items()]
    names += [period_name] if period_name else []
    title = " · ".join(names) or "All orders in view"
    return body(title, slice_figures(conn, g), only_cancelled(g)), orders_address(g), _SHOWN, False


def register_overview(app: Dash, engine: Engine) -> None:
    """The Overview's charts: a click on a mark opens the drill panel for its slice (the
    cross-filter the same click sets is the shell's)."""
    register_link(app)

    @app.callback(
        Output(ids.DRILL_BODY, "children"),
        Output(ids.DRILL_TARGET, "data"),
        Output(ids.DRILL_LINK, "style"),
        Output(ids.DRILL_PANEL, "hidden"),
        Input({"type": "xfilter", "name": ALL, "dim": ALL}, "clickData"),
        Input(ids.CALENDAR, "clickData"),
        Input(ids.TREND, "clickData"),
        State(ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def drill_from_chart(_clicks, _calendar, _trend, view):
        trigger = ctx.triggered_id
        click = ctx.triggered[0]["value"] if ctx.triggered else None
        if not click or trigger is None:
            raise PreventUpdate  # a chart drawn afresh, not a click
        f = filters_of(view)
        picks, period, period_name = {}, None, None
        with engine.connect() as conn:
            r = resolve_range(conn, f)
            try:
                if trigger == ids.CALENDAR:
                    long = bool(r.start and r.end and (r.end - r.start).days > 371)
                    found = calendar_period(click, r.start, long)
                    if found is None:
                        raise PreventUpdate
                    period, period_name = clicked_period(*found)
                elif trigger == ids.TREND:  # a point of the revenue trend: its period
                    period, period_name = trend_period(click, granularity_of(view), r)
                elif isinstance(trigger, dict) and trigger.get("dim"):
                    dim, value = trigger["dim"], clicked_value(click)
                    if dim == "place":  # the geography drill's click names its dimension
                        dim, value = clicked_place(click) or (None, None)
                    if value is None:
                        raise PreventUpdate
                    picks = {dim: value}
                    if trigger.get("name") == ids.CATEGORY_TREND:
                        period, period_name = trend_period(click, granularity_of(view), r)
                else:
                    raise PreventUpdate
            except DrillError as exc:
                return _no_slice(exc)
            return _answer(conn, f, picks, period, period_name)


def register_pivot(app: Dash, engine: Engine) -> None:
    """The pivot's cells: a click opens the drill panel for the cell's row and column values
    (a label cell: its row; a total: the other axis only). The panel's own callbacks are
    register_overview's (register_link)."""

    @app.callback(
        Output(ids.DRILL_BODY, "children", allow_duplicate=True),
        Output(ids.DRILL_TARGET, "data", allow_duplicate=True),
        Output(ids.DRILL_LINK, "style", allow_duplicate=True),
        Output(ids.DRILL_PANEL, "hidden", allow_duplicate=True),
        Input(ids.PIVOT_GRID, "cellClicked"),
        State(ids.PIVOT_GRID, "rowData"),
        State(ids.PIVOT_GRID, "columnDefs"),
        State(ids.PIVOT_ROWS, "value"),
        State(ids.PIVOT_COLUMNS, "value"),
        State(ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def drill_from_pivot(cell, rows_data, column_defs, rows, columns, view):
        if not isinstance(cell, dict) or not column_defs:
            raise PreventUpdate
        fields = [c.get("field") for c in column_defs]
        col_id, row_id = cell.get("colId"), str(cell.get("rowId", ""))
        if col_id not in fields:
            raise PreventUpdate
        position = fields.index(col_id)
        column_label = None
        if 0 < position < len(fields) - 1:  # a value column, not the labels or the totals
            column_label = column_defs[position].get("headerName")
        row_label = None
        if row_id.isdigit():  # pinned rows (the totals) have ids like "b-0"
            index = int(row_id)
            if not 0 <= index < len(rows_data or []):
                raise PreventUpdate
            row_label = str(rows_data[index].get(fields[0], ""))
        columns = None if columns in (None, "none") else columns
        f = filters_of(view)
        with engine.connect() as conn:
            try:
                row_picks, row_period = pivot_picks(rows, row_label)
                col_picks, col_period = pivot_picks(columns if column_label else None, column_label)
                if set(row_picks) & set(col_picks):
                    raise DrillError("Rows and columns are the same dimension")
                period, name = _both(row_period, col_period)
            except DrillError as exc:
                return _no_slice(exc)
            return _answer(conn, f, {**row_picks, **col_picks}, period, name)


def _both(a, b):
    """One period from a row's and a column's (a year by a month: the month within it)."""
    if a is None and b is None:
        return None, None
    if a is None or b is None:
        first, last = a or b
    else:
        first, last = max(a[0], b[0]), min(a[1], b[1])
        if first > last:
            raise DrillError("That row and column share no day")
    return (first, last), period_text_of(first, last)


def period_text_of(first: date, last: date) -> str:
    """A pivot period as words: "2024", "Q1 2024", "March 2024", or its dates."""
    if first.month == 1 and first.day == 1 and last == date(first.year, 12, 31):
        return str(first.year)
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        if months == 1:
            return first.strftime("%B %Y")
        if months == 3 and first.month % 3 == 1:
            return f"Q{(first.month - 1) // 3 + 1} {first.year}"
    return f"{date_text(first)} – {date_text(last)}"
