"""Forecast & inventory section (SPEC §4.5): a daily forecast with its backtest, and the
reorder table."""

from __future__ import annotations

import logging
from dataclasses import replace

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.analytics import dimensions
from dashapp.analytics.forecasting import (
    MAX_HORIZON,
    MIN_HORIZON,
    MODEL_NAMES,
    ForecastResult,
    InsufficientHistory,
    daily_series,
    forecast,
    load_models,
)
from dashapp.analytics.reorder import WINDOW_DAYS, reorder_csv, reorder_recommendations
from dashapp.filters import Filters
from dashapp.reports.tables import reorder_workbook
from dashapp.ui import ids
from dashapp.ui.cards import chart_card, chart_config
from dashapp.ui.counts import counted
from dashapp.ui.forecast.figures import HISTORY_DAYS, forecast_chart
from dashapp.ui.parts import (
    HIDDEN,
    PAGED,
    background_run,
    choice_buttons,
    filled_grid,
    labelled,
    number_field,
)
from dashapp.ui.shell import SEARCH_LIMIT, Section, view_filters
from dashapp.ui.text import date_text, describe
from dashapp.ui.triggers import on_click
from dashapp.web.access import current_account, guarded, job_account, sign_account
from dashapp.web.answers import EXTENSION as ANSWERS
from dashapp.web.answers import AnswerCache, cached

log = logging.getLogger(__name__)
MODEL_CHOICES = {"auto": "Auto (best backtest)", **MODEL_NAMES}
SCOPES = {"total": "Whole business", "category": "Category", "product": "Product"}
# A sales user forecasts only the orders they entered (SPEC §6): their "total" is not the business.
OWN_ORDERS = "Your orders"
STATUS_CLASSES = {
    "URGENT": "urgent",
    "WARNING": "warning",
    "OUT OF STOCK": "out",
    "SLOW MOVER": "slow",
    "OK": "ok",
}
VELOCITY_DAYS = WINDOW_DAYS
# The interval levels the page offers, as its buttons send them.
LEVEL_CHOICES = {"0.8": "80 %", "0.9": "90 %", "0.95": "95 %"}
# The forecast chart, in the body only when there is a forecast to draw (else a message). A
# pattern id, so that an interval change can set the figure of the chart already drawn, in
# place (`Output(GRAPH_ANY, "figure")` matches nothing while a message is shown): a new chart
# in the body's children is a new component, mounted and drawn from scratch (issue 17).
GRAPH = {"type": "fc-graph", "index": 0}
GRAPH_ANY = {"type": "fc-graph", "index": ALL}


def _field(label: str, control, html_for: str, **props) -> html.Div:
    return labelled(label, control, "fc-field", html_for, **props)


def scope_options(can_see_all: bool) -> dict[str, str]:
    """The Scope choices, the first named for what it covers for this account."""
    return SCOPES if can_see_all else {**SCOPES, "total": OWN_ORDERS}


def scope_caption(description: str, can_see_all: bool) -> str:
    """The filters a forecast covers; for a sales user, said to be their own orders."""
    return description if can_see_all else f"{OWN_ORDERS.lower()} · {description}"


def _controls(can_see_all: bool) -> dbc.Card:
    fields = [
        _field(
            "Measure",
            choice_buttons(ids.FC_MEASURE, {"revenue": "Revenue", "units": "Units"}, "revenue"),
            ids.FC_MEASURE,
        ),
        _field(
            "Scope", choice_buttons(ids.FC_SCOPE, scope_options(can_see_all), "total"), ids.FC_SCOPE
        ),
        _field(
            "Category",
            dcc.Dropdown(id=ids.FC_CATEGORY, placeholder="Pick a category", clearable=False),
            ids.FC_CATEGORY,
            id=ids.FC_CATEGORY_FIELD,
            style=HIDDEN,
        ),
        _field(
            "Product",
            dcc.Dropdown(id=ids.FC_PRODUCT, placeholder="Search products", clearable=False),
            ids.FC_PRODUCT,
            id=ids.FC_PRODUCT_FIELD,
            style=HIDDEN,
        ),
        _field(
            "Horizon",
            number_field(
                ids.FC_HORIZON, "days", MIN_HORIZON, MAX_HORIZON, 30, "fc-horizon", required=True
            ),
            ids.FC_HORIZON,
        ),
        _field(
            "Model",
            dbc.Select(
                id=ids.FC_MODEL,
                value="auto",
                size="sm",
                options=[{"label": v, "value": k} for k, v in MODEL_CHOICES.items()],
            ),
            ids.FC_MODEL,
        ),
        _field(
            "Interval",
            choice_buttons(ids.FC_LEVEL, LEVEL_CHOICES, "0.8"),
            ids.FC_LEVEL,
        ),
    ]
    run = background_run("Run forecast", ids.FC_RUN, ids.FC_PROGRESS)
    return dbc.Card(
        dbc.CardBody([html.Div([*fields, run], className="fc-controls")]), className="chart-card"
    )


def _reorder_grid() -> dag.AgGrid:
    # Numbers sort; the text columns (category, status...) also filter.
    number = {"type": "rightAligned", "filter": False}
    order = "['URGENT','WARNING','OUT OF STOCK','SLOW MOVER','OK']"
    count = {"function": "params.value == null ? '' : d3.format(',')(params.value)"}
    # Widths fit the numbers; the product name takes what is left. The columns one acts on,
    # Suggested order and Status, stay pinned on the right at any width.
    columns = [
        {"field": "sku", "headerName": "SKU", "width": 88},
        {
            "field": "name",
            "headerName": "Product",
            "minWidth": 112,
            "flex": 1,
            "tooltipField": "name",
        },
        {"field": "category", "headerName": "Category", "width": 112, "tooltipField": "category"},
        {"field": "stock", "headerName": "Stock", "width": 76, "valueFormatter": count, **number},
        {
            "field": "avg_daily_units",
            "headerName": f"Units a day ({VELOCITY_DAYS} d avg)",
            "valueFormatter": {"function": "d3.format(',.2f')(params.value)"},
            **number,
            "width": 92,
        },
        {
            "field": "days_of_cover",
            "headerName": "Days of cover",
            "valueFormatter": {
                "function": "params.value == null ? '—' : d3.format(',.1f')(params.value)"
            },
            "width": 82,
            **number,
        },
        {"field": "lead_time_days", "headerName": "Lead time (d)", "width": 76, **number},
        {
            "field": "lead_time_demand",
            "headerName": "Demand over lead time",
            "valueFormatter": {"function": "d3.format(',.1f')(params.value)"},
            "width": 92,
            **number,
        },
        {"field": "last_sale", "headerName": "Last sale", "width": 108},
        {
            "field": "suggested_order_qty",
            "headerName": "Suggested order",
            "valueFormatter": count,
            "pinned": "right",
            "width": 96,
            **number,
        },
        {
            "field": "status",
            "headerName": "Status",
            "pinned": "right",
            "width": 142,
            "filter": "agTextColumnFilter",
            # Most pressing first when sorted ascending, as the table arrives.
            "comparator": {"function": f"{order}.indexOf(valueA) - {order}.indexOf(valueB)"},
            "cellClassRules": {
                f"status-chip status-{cls}": f"params.value === '{status}'"
                for status, cls in STATUS_CLASSES.items()
            },
        },
    ]
    return filled_grid(
        ids.REORDER_GRID,
        columns,
        "params.data.sku",
        {
            "sortable": True,
            "resizable": True,
            "filter": True,
            "minWidth": 60,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        {
            "animateRows": False,
            "domLayout": "autoHeight",
            **PAGED,
            "paginationPageSizeSelector": False,
        },
        className="ag-theme-quartz reorder-grid",
    )


def layout() -> html.Div:
    account = current_account()
    can_see_all = account is None or account.can("view:all")
    chart = chart_card(
        "Forecast",
        ids.FC_CAPTION,
        html.Div(id=ids.FC_BODY, className="fc-body"),
    )
    backtest = dbc.Card(
        dbc.CardBody(
            [
                html.H2("Backtest", className="card-title"),
                html.Div(
                    "How the model did on the last weeks of history, fitted without them.",
                    className="card-caption",
                ),
                html.Div(id=ids.FC_BACKTEST, className="fc-backtest"),
            ]
        ),
        className="chart-card",
    )
    reorder = _reorder_card() if can_see_all else _reorder_note()
    return html.Div(
        [
            # The forecast job may run on a Celery worker, outside this request: it acts as the
            # account signed here (a sales user forecasts only the orders they entered).
            dcc.Store(id=ids.FC_ACCOUNT, data=sign_account(account)),
            dcc.Store(id=ids.FC_REFIT),
            _controls(can_see_all),
            html.Div([chart, backtest], className="fc-main"),
            reorder,
        ],
        className="forecast d-flex flex-column gap-3",
    )


def reorder_caption(products: int, urgent: int) -> str:
    """The reorder table's caption: how many products, over which sales window, how many urgent."""
    return (
        f"{counted(products, 'active product')} · sales velocity over the {VELOCITY_DAYS} days "
        f"to the last order day · {urgent:,} urgent · most pressing first"
    )


def _reorder_note() -> dbc.Card:
    """What a sales user sees in place of the reorder table, which is whole-business data."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Reorder", className="card-title"),
                html.P(
                    "The reorder table covers the whole business's stock and sales, so it is "
                    "shown to managers, admins and viewers. Your forecast above covers the "
                    "orders you entered.",
                    className="mb-0 text-muted",
                    id=ids.REORDER_CAPTION + "-note",
                ),
            ]
        ),
        className="chart-card",
    )


def _reorder_card() -> dbc.Card:
    return chart_card(
        "Reorder",
        ids.REORDER_CAPTION,
        _reorder_grid(),
        tools=html.Div(
            [
                dbc.Button(
                    "Export CSV", id=ids.REORDER_EXPORT, color="secondary", outline=True, size="sm"
                ),
                dbc.Button(
                    "Export XLSX", id=ids.REORDER_XLSX, color="secondary", outline=True, size="sm"
                ),
                dcc.Download(id=ids.REORDER_DOWNLOAD),
                dcc.Download(id=ids.REORDER_XLSX_DOWNLOAD),
            ],
            className="d-flex gap-2",
        ),
    )


# The forecast's own scope (total, a category or a product) replaces the page's category and
# product filters (scoped_filters): the page's pickers for them are hidden here.
SECTION = Section(
    key="forecast",
    label="Forecast & inventory",
    path="/forecast",
    layout=layout,
    filters=(
        "dates",
        "country",
        "customer",
        "status",
        *("region", "state", "city", "segment", "subcategory", "ship_mode"),
    ),
    filters_note="Category and product: chosen in the forecast's controls below.",
)


def scoped_filters(f: Filters, scope: str, category: str | None, product: str | None) -> Filters:
    """The page's filters with the section's own scope in place of category and product."""
    if scope == "category":
        return replace(f, categories=(category,) if category else (), products=())
    if scope == "product":
        return replace(f, categories=(), products=(product,) if product else ())
    return replace(f, categories=(), products=())


def fitted_filters(f: Filters, series: pd.Series) -> Filters:
    """The filters with the days the model was fitted on in place of an open range, so the
    caption names those days rather than "all time"."""
    if series.empty:
        return f
    return replace(f, start=series.index[0].date(), end=series.index[-1].date())


def forecast_caption(result: ForecastResult, filters_text: str) -> str:
    """What the chart draws: how many days of history (at most HISTORY_DAYS of those fitted),
    the forecast and its interval, the model, then the fitted days and filters."""
    shown = min(HISTORY_DAYS, len(result.history))
    level = f"{round(result.level * 100)} %"
    return (
        f"Daily {result.history.name or 'revenue'}: the last {counted(shown, 'day')} of history "
        f"and a {len(result.mean)}-day forecast with its {level} interval · "
        f"{MODEL_NAMES[result.model]} · fitted on {filters_text}"
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def backtest_card(result: ForecastResult, asked: str) -> list:
    """The backtest figures beside the chart: model, MAPE, MASE, the naive baseline, notes."""
    bt = result.backtest
    model = MODEL_NAMES[result.model]
    rows = [("Model used", model + (" (chosen by auto)" if asked == "auto" else ""))]
    if bt is not None:
        start = bt.actual.index[0].date()
        end = bt.actual.index[-1].date()
        rows += [
            ("Held out", f"{bt.holdout_days} days, {date_text(start)} – {date_text(end)}"),
            ("MAPE", _percent(bt.mape)),
            ("MASE", _ratio(bt.mase)),
            ("Seasonal naive MAPE", _percent(bt.naive_mape)),
            ("Seasonal naive MASE", _ratio(bt.naive_mase)),
        ]
    beats = None if bt is None else bt.beats_naive
    verdict = {True: ("Yes", "good"), False: ("No", "bad"), None: ("Cannot tell", "flat")}[beats]
    if result.model == "naive":
        verdict = ("It is the baseline", "flat")
    body = [
        html.Dl(
            [item for label, value in rows for item in (html.Dt(label), html.Dd(value))],
            className="fc-metrics",
        ),
        html.Div(
            [
                html.Span("Beats seasonal naive: "),
                html.Strong(verdict[0], id=ids.FC_BACKTEST + "-verdict", className=verdict[1]),
            ],
            className="fc-verdict",
        ),
    ]
    if result.candidates:
        scores = ", ".join(f"{MODEL_NAMES[c.model]} {_ratio(c.mase)}" for c in result.candidates)
        body.append(html.P(f"MASE of each model: {scores}.", className="fc-note"))
    body += [html.P(note, className="fc-note warning") for note in result.notes]
    return body


def fitted_forecast(
    answers: AnswerCache | None,
    engine: Engine,
    f: Filters,
    series: pd.Series,
    measure: str,
    horizon: int,
    model: str,
    level: str,
) -> ForecastResult:
    """The forecast of `series` at `level`, from the answer cache when this view, measure,
    horizon and model were forecast before in this data version, by any worker, at any level.

    One entry holds every level the page offers: the models are fitted once and each level's
    interval comes from that fit (forecasting keeps fits per process: about 20 ms a level), so
    an interval change never refits on the worker that did not fit (issue 17: 1.8 s of CPU)."""
    if answers is None or not isinstance(level, str) or level not in LEVEL_CHOICES:
        return forecast(series, horizon, model, level)  # a forged level: forecast() refuses it

    def every_level() -> dict[str, ForecastResult]:
        return {choice: forecast(series, horizon, model, choice) for choice in LEVEL_CHOICES}

    params = (measure, horizon, model)
    return answers.get_or_compute(engine, "forecast", f, every_level, params)[level]


def cached_forecast(
    answers: AnswerCache | None, engine: Engine, f: Filters, measure: str, horizon, model, level
) -> ForecastResult | None:
    """The forecast at `level` when `fitted_forecast` has stored this view's fit in this data
    version, else None (nothing is fitted here)."""
    if answers is None or not isinstance(level, str) or level not in LEVEL_CHOICES:
        return None
    found = answers.get(engine, "forecast", f, (measure, horizon, model))
    return found[level] if found else None


def forecast_outputs(result: ForecastResult, caption_filters: str, model: str) -> tuple:
    """The chart, its caption and the backtest card of a forecast."""
    graph = dcc.Graph(
        id=GRAPH,
        figure=forecast_chart(result),
        config=chart_config("forecast"),
        style={"height": "360px"},
    )
    return graph, forecast_caption(result, caption_filters), backtest_card(result, model)


def _message(text: str, color: str = "light") -> dbc.Alert:
    return dbc.Alert(text, color=color, className="empty-state mb-0")


def register_callbacks(app: Dash, engine: Engine) -> None:
    """Forecast (a background callback), its controls' options, the reorder table and export."""
    secret = app.server.secret_key
    load_models()  # at start, not in the first forecast someone waits for
    # The answer cache of this server (None without one): the forecast runs in a job thread,
    # outside any request, so it is taken here rather than from the request's app.
    answers = app.server.extensions.get(ANSWERS)

    def history(f: Filters, measure: str, account) -> tuple[pd.Series, str]:
        """The daily series a forecast is fitted on, and the caption of what it covers; the
        series from the answer cache when this view's was read in this data version (an
        interval change needs only the caption: the read was 60 % of its CPU, issue 17)."""

        def read() -> pd.Series:
            with engine.connect() as conn:
                return daily_series(conn, f, measure)

        if answers is None:
            series = read()
        else:
            series = answers.get_or_compute(engine, "forecast.history", f, read, (measure,))
        return series, scope_caption(describe(fitted_filters(f, series)), account.can("view:all"))

    app.clientside_callback(
        """function(scope) {
            const show = {display: 'block'}, hide = {display: 'none'};
            return [scope === 'category' ? show : hide, scope === 'product' ? show : hide];
        }""",
        Output(ids.FC_CATEGORY_FIELD, "style"),
        Output(ids.FC_PRODUCT_FIELD, "style"),
        Input(ids.FC_SCOPE, "value"),
    )

    @app.callback(Output(ids.FC_CATEGORY, "options"), Input(ids.REFRESH_TOKEN, "data"))
    def category_options(_token):
        with engine.connect() as conn:
            return dimensions.categories(conn)

    @app.callback(
        Output(ids.FC_PRODUCT, "options"),
        Input(ids.FC_PRODUCT, "search_value"),
        State(ids.FC_PRODUCT, "value"),
    )
    def product_options(search, selected):
        with engine.connect() as conn:
            chosen = dimensions.product_labels(conn, [selected] if selected else [])
            found = dimensions.find_products(conn, search or "", SEARCH_LIMIT)
        options = [{"label": label, "value": sku} for sku, label in chosen.items()]
        return options + [
            {"label": label, "value": sku} for sku, label in found if sku not in chosen
        ]

    @app.callback(
        Output(ids.FC_BODY, "children"),
        Output(ids.FC_CAPTION, "children"),
        Output(ids.FC_BACKTEST, "children"),
        Input(ids.VIEW, "data"),
        Input(ids.REFRESH_TOKEN, "data"),
        Input(ids.FC_RUN, "n_clicks"),
        Input(ids.FC_MEASURE, "value"),
        Input(ids.FC_SCOPE, "value"),
        Input(ids.FC_CATEGORY, "value"),
        Input(ids.FC_PRODUCT, "value"),
        Input(ids.FC_HORIZON, "value"),
        Input(ids.FC_MODEL, "value"),
        # A level change comes through change_level, which reads the cached fit, and only
        # when there is none through FC_REFIT.
        Input(ids.FC_REFIT, "data"),
        State(ids.FC_LEVEL, "value"),
        State(ids.FC_ACCOUNT, "data"),
        background=True,
        # Ask for the job's answer every 250 ms, not Dash's 1 s: a cached or quick forecast shows
        # as soon as it is there.
        interval=250,
        progress=[Output(ids.FC_PROGRESS, "children")],
        running=[
            (Output(ids.FC_RUN, "disabled"), True, False),
            (Output(ids.FC_PROGRESS + "-wrap", "style"), {}, HIDDEN),
            (Output(ids.FC_BODY, "className"), "fc-body running", "fc-body"),
        ],
    )
    def update_forecast(
        set_progress,
        view,
        _token,
        _run,
        measure,
        scope,
        category,
        product,
        horizon,
        model,
        _refit,
        level,
        signed_account,
    ):
        if view is None:
            raise PreventUpdate  # the view store arrives a moment later and triggers the run
        account = job_account(engine, secret, signed_account)
        if account is None:
            text = "Your session has ended: reload the page and sign in again."
            return _message(text, "warning"), "Daily forecast", []
        f = scoped_filters(view_filters(view).for_account(account), scope, category, product)
        if scope == "category" and not category:
            return _message("Pick a category to forecast."), "Daily forecast", []
        if scope == "product" and not product:
            return _message("Search for a product to forecast."), "Daily forecast", []
        if horizon is None:  # empty, or outside the input's 7..365
            text = f"Enter a horizon between {MIN_HORIZON} and {MAX_HORIZON} days."
            return _message(text, "danger"), "Daily forecast", []
        set_progress("Reading the daily history…")
        series, caption_filters = history(f, measure, account)
        set_progress("Fitting and backtesting…")

        try:
            # Seconds of fitting: answered once per view, measure, horizon and model of this
            # data version for every worker, every interval level with it.
            result = fitted_forecast(answers, engine, f, series, measure, horizon, model, level)
        except InsufficientHistory as exc:
            caption = f"Daily {measure} · {caption_filters}"
            return _message(str(exc), "warning"), caption, []
        except ValueError as exc:  # horizon out of range or empty, and such
            return _message(str(exc), "danger"), f"Daily {measure} · {caption_filters}", []
        return forecast_outputs(result, caption_filters, model)

    @app.callback(
        Output(ids.FC_BODY, "children", allow_duplicate=True),
        Output(GRAPH_ANY, "figure"),
        Output(ids.FC_CAPTION, "children", allow_duplicate=True),
        Output(ids.FC_BACKTEST, "children", allow_duplicate=True),
        Output(ids.FC_REFIT, "data"),
        Input(ids.FC_LEVEL, "value"),
        State(ids.VIEW, "data"),
        State(ids.FC_MEASURE, "value"),
        State(ids.FC_SCOPE, "value"),
        State(ids.FC_CATEGORY, "value"),
        State(ids.FC_PRODUCT, "value"),
        State(ids.FC_HORIZON, "value"),
        State(ids.FC_MODEL, "value"),
        prevent_initial_call=True,
    )
    def change_level(level, view, measure, scope, category, product, horizon, model):
        """An interval change, answered in this request from the fit the answer cache holds
        (issue 17: a background job's start and polling alone took 0.7 s); when there is none,
        the background job above fits (its FC_REFIT input). The chart on the page takes the
        new figure in place; only when there is none (a message was shown) is one mounted."""
        shown = len(ctx.outputs_list[1])  # 1 with the chart on the page, 0 with a message
        fit = (no_update, [no_update] * shown, no_update, no_update, level)
        account = current_account()
        unscoped = (scope == "category" and not category) or (scope == "product" and not product)
        if view is None or account is None or horizon is None or unscoped:
            return fit  # the job says what is missing
        f = scoped_filters(view_filters(view).for_account(account), scope, category, product)
        result = cached_forecast(answers, engine, f, measure, horizon, model, level)
        if result is None:
            return fit
        _series, caption_filters = history(f, measure, account)
        graph, caption, backtest = forecast_outputs(result, caption_filters, model)
        if shown:
            return no_update, [graph.figure] * shown, caption, backtest, no_update
        return graph, [], caption, backtest, no_update

    # Stock and whole-business sales velocity: not part of a sales user's own view.
    def reorder_table() -> pd.DataFrame:
        """The reorder table as the database has it now, for the grid and its downloads."""
        with engine.connect() as conn:
            return reorder_recommendations(conn, window_days=VELOCITY_DAYS)

    @guarded(
        app,
        "view:all",
        Output(ids.REORDER_GRID, "rowData"),
        Output(ids.REORDER_CAPTION, "children"),
        Input(ids.REFRESH_TOKEN, "data"),
    )
    def update_reorder(_token):
        def read():
            df = reorder_table()
            if df.empty:
                return [], "No active products in the catalog."
            caption = reorder_caption(len(df), int((df["status"] == "URGENT").sum()))
            return df.astype(object).where(df.notna(), None).to_dict("records"), caption

        # The whole catalog's velocity (0.6 s at 1M orders): once per data version.
        return cached(engine, "reorder_rows", Filters(), read, VELOCITY_DAYS)

    @on_click(app, "view:all", ids.REORDER_EXPORT, [Output(ids.REORDER_DOWNLOAD, "data")])
    def export_reorder(_clicks):
        return dcc.send_string(reorder_csv(reorder_table()), "reorder.csv", type="text/csv")

    @on_click(app, "view:all", ids.REORDER_XLSX, [Output(ids.REORDER_XLSX_DOWNLOAD, "data")])
    def export_reorder_xlsx(_clicks):
        """The CSV's rows as a workbook (stock and velocity as numbers)."""
        df = reorder_table()
        about = [("Sales velocity", f"units a day over the last {VELOCITY_DAYS} days of data")]
        return dcc.send_bytes(lambda out: reorder_workbook(out, df, about), "reorder.xlsx")
