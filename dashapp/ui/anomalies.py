"""Anomalies section (SPEC §4.6): run the check with adjustable thresholds, review the stored
alerts, see an alert on its series with the segments behind it, acknowledge or resolve it."""

from __future__ import annotations

from datetime import datetime, timedelta

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from sqlalchemy import Engine

from dashapp.analytics.anomalies import (
    DEFAULT_MIN_SCORE,
    INCOMPLETE_RULE,
    RESCAN_DAYS,
    SCOPES,
    list_alerts,
    run_check,
    scan_range,
    scope_filters,
    set_alert_status,
    webhook_url_from_env,
)
from dashapp.analytics.forecasting import daily_series
from dashapp.digests.content import PERIODS, build_digest
from dashapp.digests.delivery import DeliveryError, check_recipients, deliver
from dashapp.digests.render import period_title
from dashapp.settings import Settings
from dashapp.store.models import ALERT_STATUSES
from dashapp.ui import digest_schedules, ids, kpi_alerts
from dashapp.ui.cards import chart_card, graph
from dashapp.ui.figures import empty_figure
from dashapp.ui.forecast.figures import alert_chart
from dashapp.ui.parts import (
    ALERT_LIST,
    HIDDEN,
    background_run,
    feedback,
    filled_grid,
    secondary_button,
    titled_card,
    tool_field,
)
from dashapp.ui.shell import Section
from dashapp.ui.text import date_text, money_text, period_text
from dashapp.ui.triggers import on_click, on_refresh, on_selection
from dashapp.validation import selected_id
from dashapp.web.access import current_account

BEFORE_DAYS, AFTER_DAYS = 45, 14  # the series shown around an alert
STATUS_ACTIONS = {ids.AN_ACK: "acknowledged", ids.AN_RESOLVE: "resolved", ids.AN_REOPEN: "open"}
SCAN_OPTIONS = [
    {"label": "What changed since the last check", "value": "new"},
    {"label": "Last 30 days", "value": "30"},
    {"label": "Last 90 days", "value": "90"},
    {"label": "Last 365 days", "value": "365"},
    {"label": "All data", "value": "all"},
]
# Only admins send a digest by hand: it goes to whatever address or URL they type.
SEND_DIGEST = "users:manage"
SHOWN_DRIVERS = 2  # in the grid's one-line Drivers column; the detail lists them all
# The check's thresholds: (id, label, default, lowest, highest, step, unit).
THRESHOLDS = (
    (ids.AN_MIN_DROP, "Minimum drop", 50, 1, 100, 1, "%"),
    (ids.AN_MIN_SCORE, "Minimum score", DEFAULT_MIN_SCORE, 0.5, 20, 0.5, "MAD"),
    (ids.AN_WINDOW, "Baseline window", 28, 7, 365, 1, "days"),
)
# What the check reads, in the order _thresholds takes it.
CHECK_FIELDS = (*(t[0] for t in THRESHOLDS), ids.AN_SCAN)
SCOPE_LABELS = {
    "total": "Whole business",
    "category": "Category",
    "product": "Product",
    "country": "Country",
}


def _number(
    id_: str, value: float, low: float, high: float, step: float, suffix: str
) -> dbc.InputGroup:
    return dbc.InputGroup(
        [
            dbc.Input(
                id=id_, type="number", value=value, min=low, max=high, step=step, required=True
            ),
            dbc.InputGroupText(suffix),
        ],
        size="sm",
        className="an-threshold",
    )


def _tool_card(title: str, lead: str, controls: html.Div, result_id: str) -> dbc.Card:
    """A card that runs something: what it does, its controls, and where its result appears."""
    return titled_card(
        title,
        html.Div(lead, className="card-caption"),
        controls,
        html.Div(id=result_id, className="mt-2", **{"aria-live": "polite"}),
    )


def _check_card(can_write: bool) -> dbc.Card:
    run = background_run(
        "Run check", ids.AN_RUN, ids.AN_PROGRESS, style=None if can_write else HIDDEN
    )
    fields = [tool_field(label, _number(id_, *limits), id_) for id_, label, *limits in THRESHOLDS]
    scan = dbc.Select(id=ids.AN_SCAN, value="new", size="sm", options=SCAN_OPTIONS)
    return _tool_card(
        "Revenue drop check",
        "A day is flagged when its revenue falls by at least the minimum drop against the 7 "
        "days before it and its robust score against the baseline window is at most minus the "
        "minimum score (weekday-adjusted). The first check scans all the data; later ones what "
        f"changed since the last check and the {RESCAN_DAYS} days before it. {INCOMPLETE_RULE}",
        html.Div([*fields, tool_field("Scan", scan), run], className="fc-controls mt-2"),
        ids.AN_RUN_RESULT,
    )


def _alerts_grid() -> dag.AgGrid:
    number = {"type": "rightAligned", "minWidth": 96}
    money = {"function": "d3.format('$,.2f')(params.value)"}
    money_column = {**number, "valueFormatter": money, "minWidth": 112}
    columns = [
        {"field": "day", "headerName": "Day", "minWidth": 116, "sort": "desc"},
        {"field": "scope_label", "headerName": "Scope", "minWidth": 100},
        {"field": "key", "headerName": "Key", "minWidth": 110},
        {"field": "baseline", "headerName": "Expected", **money_column},
        {"field": "actual", "headerName": "Actual", **money_column},
        {
            "field": "drop_pct",
            "headerName": "Drop",
            "valueFormatter": {"function": "d3.format('.1f')(params.value) + ' %'"},
            **number,
        },
        {
            "field": "score",
            "headerName": "Score",
            "valueFormatter": {"function": "d3.format(',.2f')(params.value)"},
            **number,
        },
        {
            "field": "status_label",
            "headerName": "Status",
            "minWidth": 124,
            "cellClassRules": {
                f"status-chip status-{status}": f"params.data.status === '{status}'"
                for status in ALERT_STATUSES
            },
        },
        # One line per alert: the two largest drivers here, every driver in the detail below
        # and in the tooltip (wrapped, they made rows six lines tall at 1366 px).
        {
            "field": "drivers_text",
            "headerName": "Drivers",
            "minWidth": 200,
            "flex": 3,
            "tooltipField": "drivers_all",
        },
    ]
    return filled_grid(
        ids.AN_GRID,
        columns,
        "params.data.row_id",
        # Status and scope are filtered by the selects above the grid.
        {
            "sortable": True,
            "resizable": True,
            "flex": 1,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        ALERT_LIST,
        empty="No alerts here: run the check or change the filters",
        className="ag-theme-quartz alerts-grid",
    )


def _list_filter(id_: str, everything: str, labels: dict[str, str]) -> dbc.Select:
    """A select over the alerts grid: `everything` first, then one choice per label."""
    options = [{"label": label, "value": value} for value, label in labels.items()]
    return dbc.Select(
        id=id_, value="all", size="sm", options=[{"label": everything, "value": "all"}, *options]
    )


def _list_tools() -> html.Div:
    statuses = {s: s.title() for s in ALERT_STATUSES}
    scopes = {s: SCOPE_LABELS[s] for s in SCOPES}
    return html.Div(
        [
            _list_filter(ids.AN_STATUS_FILTER, "All statuses", statuses),
            _list_filter(ids.AN_SCOPE_FILTER, "All scopes", scopes),
        ],
        className="d-flex gap-2 an-list-tools",
    )


def _detail_card(can_write: bool) -> dbc.Card:
    buttons = html.Div(
        [
            dbc.Button("Acknowledge", id=ids.AN_ACK, color="primary", size="sm", disabled=True),
            dbc.Button("Resolve", id=ids.AN_RESOLVE, color="success", size="sm", disabled=True),
            secondary_button("Reopen", ids.AN_REOPEN, size="sm", disabled=True),
        ],
        className="d-flex flex-wrap gap-2",
        style=None if can_write else HIDDEN,
    )
    return chart_card(
        "Selected alert",
        ids.AN_DETAIL_CAPTION,
        graph(ids.AN_CHART, 300),
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.H3("What drove the drop", className="subhead"),
                        html.Div(id=ids.AN_DRIVERS),
                    ],
                    md=8,
                ),
                dbc.Col(
                    [
                        html.H3("Status", className="subhead"),
                        html.Div(id=ids.AN_STATUS, className="mb-2"),
                        buttons,
                        html.Div(id=ids.AN_MESSAGE, className="mt-2"),
                    ],
                    md=4,
                ),
            ],
            className="g-3 mt-1",
        ),
    )


def _digest_card(is_admin: bool) -> dbc.Card:
    """Send a digest now (admins: it goes to any address or webhook they type)."""
    runner = "Celery beat" if Settings.from_env().celery_broker_url else "this server's scheduler"
    to = digest_schedules.recipient_input(ids.DG_TO, "340px")
    periods = [{"label": "Yesterday", "value": "daily"}, {"label": "Last week", "value": "weekly"}]
    period = dbc.Select(id=ids.DG_PERIOD, value="daily", size="sm", options=periods)
    controls = html.Div(
        [
            tool_field("Send to", to),
            tool_field("Period", period),
            html.Div(dbc.Button("Send now", id=ids.DG_SEND, color="primary", size="sm")),
        ],
        className="fc-controls mt-2",
        # Hidden, not left out, for other roles: the callback's inputs stay in the layout (the
        # server refuses their requests all the same).
        style=None if is_admin else HIDDEN,
    )
    return _tool_card(
        "Digest",
        "KPIs against the period before, the alerts raised in it and what to reorder, by email "
        "or to a Slack-compatible webhook. Scheduled digests (below, or python -m dashapp "
        f"digest-schedule add) are sent by {runner}.",
        controls,
        ids.DG_RESULT,
    )


def layout() -> html.Div:
    account = current_account()
    can_write = account is None or account.can("alerts:write")
    is_admin = account is None or account.can(SEND_DIGEST)
    return html.Div(
        [
            dcc.Store(id=ids.AN_CHANGED),
            _check_card(can_write),
            chart_card("Alerts", ids.AN_CAPTION, _alerts_grid(), tools=_list_tools()),
            _detail_card(can_write),
            *kpi_alerts.cards(can_write),
            _digest_card(is_admin),
            digest_schedules.card(account),
        ],
        className="anomalies d-flex flex-column gap-3",
    )


# Alerts are whole-business figures (revenue per product, category and country), so a sales
# user, who sees only the orders they entered, is not offered the section (SPEC §6).
SECTION = Section(
    key="anomalies",
    label="Anomalies",
    layout=layout,
    permission="view:all",
    filters=(),  # the scan and its alerts cover the whole business, whatever the page shows
)


def drivers_text(drivers: list[dict], limit: int | None = None) -> str:
    """'France (country) −$300.00; P1 (product) −$300.00' from stored drivers; with `limit`,
    the first `limit` of them and how many more."""
    shown = drivers if limit is None else drivers[:limit]
    text = "; ".join(
        f"{d['key']} ({d['dimension']}) −{money_text(d['lost_cents'] / 100)}" for d in shown
    )
    more = len(drivers) - len(shown)
    return f"{text}; +{more} more" if more else text


def change_text(drop_pct: float) -> str:
    """The day against its expected revenue: '−75.0 %' for a 75 % drop, '+4.0 %' above it,
    '0.0 %' on it (a resolved alert's day can be any of these)."""
    change = -drop_pct
    if round(change, 1) == 0:
        return "0.0 %"
    return f"{'+' if change > 0 else '−'}{abs(change):.1f} %"


def score_text(score: float) -> str:
    """'−2.70': two decimals and a true minus sign, as the grid's d3 format writes it."""
    return f"{score:.2f}".replace("-", "−")


def alert_rows(alerts: list[dict]) -> list[dict]:
    """Grid rows: money as currency units for display, drivers as one line of text."""
    return [
        {
            "id": a["id"],
            "row_id": str(a["id"]),  # AG Grid row ids are strings
            "day": a["day"].isoformat(),
            "scope": a["scope"],
            "scope_label": SCOPE_LABELS.get(a["scope"], a["scope"]),
            "key": a["key"],
            "baseline": a["baseline_cents"] / 100,
            "actual": a["actual_cents"] / 100,
            "drop_pct": a["drop_pct"],
            "score": a["score"],
            "status": a["status"],
            "status_label": a["status"].title(),
            "drivers_text": drivers_text(a["drivers"], SHOWN_DRIVERS),
            "drivers_all": drivers_text(a["drivers"]),
        }
        for a in alerts
    ]


def _thresholds(min_drop, min_score, window, scan) -> tuple[float, float, int, str | int] | str:
    """The check's thresholds and scan window from the inputs, or what is wrong with them."""
    if min_drop is None or not 1 <= float(min_drop) <= 100:
        return "Minimum drop must be between 1 and 100 %."
    if min_score is None or float(min_score) <= 0:
        return "Minimum score must be a positive number."
    if window is None or not 7 <= int(window) <= 365 or int(window) != float(window):
        return "Baseline window must be a whole number of days between 7 and 365."
    try:
        scan = scan_range(scan if scan is not None else "new")
    except ValueError:
        return "Pick what to scan from the list."
    return float(min_drop) / 100, float(min_score), int(window), scan


def _run_message(result) -> dbc.Alert:
    new = len(result.new)
    plan = result.plan
    where = (
        f"{period_text(plan.since, plan.until)}, {plan.why}"
        if plan is not None and plan.since
        else "no complete day to scan"
    )
    text = [html.Strong(f"{new} new alert{'' if new == 1 else 's'}"), f" ({result.found} found"]
    text.append(f" in {where}).")
    changed = [
        f"{len(result.resolved)} resolved" if result.resolved else "",
        f"{len(result.updated)} updated" if result.updated else "",
    ]
    if any(changed):
        text.append(
            f" {' and '.join(c for c in changed if c)}: their day's revenue changed "
            "(see the note on each)."
        )
    rules = result.rules
    if rules is not None and (rules.fired or rules.resolved):
        fired, gone = len(rules.fired), len(rules.resolved)
        text.append(
            f" KPI alert rules: {fired} alert{'' if fired == 1 else 's'} fired, {gone} resolved "
            "(see KPI alerts below)."
        )
    if plan is not None and plan.unscored:
        first, last = plan.unscored
        days = date_text(first) if first == last else period_text(first, last)
        text.append(html.Div(f"Not scored: {days}. {INCOMPLETE_RULE}", className="small mt-1"))
    if result.webhook_url:
        text.append(
            f" Webhook not delivered: {result.webhook_error}."
            if result.webhook_error
            else " Webhook notified."
            if new
            else ""
        )
    return feedback(text, "warning" if new else "success", className="mb-0 py-2")


def _problem(text: str) -> dbc.Alert:
    """Why nothing was done (a threshold out of range, no recipient)."""
    return dbc.Alert(text, color="danger", className="mb-0 py-2")


def register_callbacks(app: Dash, engine: Engine) -> None:
    """Run check (background, alerts:write), the list, the selected alert, status changes,
    and the KPI alert rules beside them."""
    kpi_alerts.register_callbacks(app, engine)
    digest_schedules.register_callbacks(app, engine)

    @on_click(
        app,
        "alerts:write",
        ids.AN_RUN,
        [Output(ids.AN_RUN_RESULT, "children")],
        [State(field, "value") for field in CHECK_FIELDS],
        background=True,
        progress=[Output(ids.AN_PROGRESS, "children")],
        running=[
            (Output(ids.AN_RUN, "disabled"), True, False),
            (Output(ids.AN_PROGRESS + "-wrap", "style"), {}, HIDDEN),
        ],
    )
    def check(set_progress, _clicks, min_drop, min_score, window, scan):
        thresholds = _thresholds(min_drop, min_score, window, scan)
        if isinstance(thresholds, str):
            return _problem(thresholds)
        drop, score, days, scan = thresholds
        set_progress("Scanning daily revenue…")
        result = run_check(
            engine,
            min_drop=drop,
            min_score=score,
            window=days,
            scan=scan,
            webhook_url=webhook_url_from_env(),
        )
        return _run_message(result)

    @on_refresh(
        app,
        "view:all",
        [Output(ids.AN_GRID, "rowData"), Output(ids.AN_CAPTION, "children")],
        [
            Input(ids.AN_STATUS_FILTER, "value"),
            Input(ids.AN_SCOPE_FILTER, "value"),
            Input(ids.AN_RUN_RESULT, "children"),
            Input(ids.AN_CHANGED, "data"),
        ],
    )
    def update_list(status, scope, _checked, _changed, _token):
        status = status if status in ALERT_STATUSES else None
        scope = scope if scope in SCOPES else None
        with engine.connect() as conn:
            alerts = list_alerts(conn, status=status, scope=scope, limit=1000)
        shown = [status or "any status", SCOPE_LABELS[scope].lower() if scope else "every scope"]
        count = f"{len(alerts)} alert{'' if len(alerts) == 1 else 's'}"
        caption = f"{count} · {', '.join(shown)} · newest first · select one to see it"
        return alert_rows(alerts), caption

    @on_selection(
        app,
        "view:all",
        ids.AN_GRID,
        [
            Output(ids.AN_CHART, "figure"),
            Output(ids.AN_DETAIL_CAPTION, "children"),
            Output(ids.AN_DRIVERS, "children"),
            Output(ids.AN_STATUS, "children"),
            # A status button is disabled while the alert has its status.
            *[Output(button, "disabled") for button in STATUS_ACTIONS],
        ],
        Input(ids.AN_CHANGED, "data"),
    )
    def show_alert(selected, _changed):
        if not selected:
            return (
                empty_figure("Select an alert in the list to see it on its series"),
                "No alert selected",
                html.Span("—", className="text-muted"),
                html.Span("—", className="text-muted"),
                *[True for _ in STATUS_ACTIONS],
            )
        row = selected[0]
        day = datetime.fromisoformat(row["day"]).date()
        f = scope_filters(row["scope"], row["key"]).with_range(
            day - timedelta(days=BEFORE_DAYS), day + timedelta(days=AFTER_DAYS)
        )
        with engine.connect() as conn:
            series = daily_series(conn, f, "revenue")
            same_series = list_alerts(conn, scope=row["scope"], key=row["key"], limit=1000)
        alert = next((a for a in same_series if a["id"] == row["id"]), None)
        if alert is None:
            gone = empty_figure("This alert no longer exists")
            return gone, "", "", "", *[True for _ in STATUS_ACTIONS]
        caption = (
            f"{SCOPE_LABELS[alert['scope']]} {alert['key']} · {date_text(alert['day'])}: "
            f"{money_text(alert['actual_cents'] / 100)} against "
            f"{money_text(alert['baseline_cents'] / 100)} expected "
            f"({change_text(alert['drop_pct'])}, score {score_text(alert['score'])}) · "
            "daily revenue around it"
        )
        drivers = alert["drivers"]
        driver_list = (
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong(d["key"]),
                            f" ({d['dimension']}): {money_text(d['actual_cents'] / 100)} against "
                            f"{money_text(d['baseline_cents'] / 100)} usually, "
                            f"−{money_text(d['lost_cents'] / 100)}",
                        ]
                    )
                    for d in drivers
                ],
                className="an-drivers mb-0",
            )
            if drivers
            else html.Span("No single product or country stands out.", className="text-muted")
        )
        status = alert["status"]
        badge = html.Div(
            [
                html.Span(
                    status.title(),
                    id=ids.AN_STATUS + "-badge",
                    className=f"status-chip status-{status}",
                ),
                # Plain text: what the check did to it ("resolved on ...: the day now totals").
                html.Div(alert.get("note") or "", id=ids.AN_NOTE, className="small mt-1"),
            ]
        )
        return (
            alert_chart(series, same_series, alert["id"]),
            caption,
            driver_list,
            badge,
            *[status == action for action in STATUS_ACTIONS.values()],
        )

    @on_click(
        app,
        "alerts:write",
        list(STATUS_ACTIONS),
        [Output(ids.AN_CHANGED, "data"), Output(ids.AN_MESSAGE, "children")],
        [State(ids.AN_GRID, "selectedRows")],
    )
    def change_status(_ack, _resolve, _reopen, selected):
        status = STATUS_ACTIONS.get(ctx.triggered_id)
        if not selected or status is None:
            return no_update, no_update
        account = current_account()
        try:
            set_alert_status(
                engine,
                selected_id(selected, "an alert"),
                status,
                account.username if account else None,
            )
        except LookupError as exc:
            return no_update, _problem(str(exc))
        return datetime.now().isoformat(), ""

    @on_click(
        app,
        SEND_DIGEST,
        ids.DG_SEND,
        [Output(ids.DG_RESULT, "children")],
        [State(ids.DG_TO, "value"), State(ids.DG_PERIOD, "value")],
    )
    def send_digest(_clicks, to, period):
        recipients = [r.strip() for r in (to or "").replace(";", ",").split(",") if r.strip()]
        settings = Settings.from_env()
        if period not in PERIODS:
            return _problem("Pick yesterday or last week.")
        try:
            check_recipients(recipients, settings)
        except DeliveryError as exc:
            return _problem(f"Nothing sent: {exc}.")
        with engine.connect() as conn:
            digest = build_digest(conn, period)
        results = deliver(digest, recipients, settings)
        lines = [
            html.Div(
                f"Not delivered to {r.recipient}: {r.error}"
                if r.error
                else f"Sent to {r.recipient} ({r.channel})"
            )
            for r in results
        ]
        failed = any(r.error for r in results)
        return feedback(
            [html.Strong(period_title(digest)), *lines],
            "warning" if failed else "success",
            className="mb-0 py-2",
        )
