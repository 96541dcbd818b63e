"""KPI alert rules on the Anomalies section (issue 20, item 2): a form to add a rule (a metric,
a filter, a period and a condition), the rules with switch and remove, and the alerts they
fired with their figures, each of which can be acknowledged, resolved or reopened by hand.
Admins and managers change rules and alerts; viewers read them. Every write goes through
dashapp.alerts, which checks the role again and refuses bad input with a message per field,
changing nothing. Names and filters are shown as text, never as markup."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, html, no_update
from sqlalchemy import Engine

from dashapp.alerts import (
    COMPLETE_RULE,
    METRICS,
    PERIODS,
    RuleAccessError,
    RuleDraft,
    add_rule,
    list_kpi_alerts,
    list_rules,
    remove_rule,
    set_kpi_alert_status,
    set_rule_enabled,
)
from dashapp.alerts.evaluate import STATUS_WORDS
from dashapp.alerts.metrics import COUNT, MONEY
from dashapp.alerts.periods import PERIOD_LABELS, TO_DATE, Window, window_of
from dashapp.alerts.rules import BEHIND_TARGET, COMPARISON_LABELS, COMPARISONS, filter_text
from dashapp.store.models import ALERT_STATUSES
from dashapp.ui import ids
from dashapp.ui.cards import chart_card
from dashapp.ui.parts import (
    ALERT_LIST,
    HIDDEN,
    SINGLE_ROW,
    feedback,
    filled_grid,
    not_done,
    row_button,
    secondary_button,
    tool_field,
)
from dashapp.ui.text import date_text, period_text
from dashapp.ui.triggers import new_token, on_click, on_refresh, on_selection, wrote
from dashapp.validation import InputError, ValidationError, selected_id
from dashapp.web.access import current_account

WRITE = "alerts:write"
MAX_SHOWN = 500
# Long names, filters and notes wrap onto more lines rather than being cut at 1366 px.
WRAP = {"wrapText": True, "autoHeight": True, "cellClass": "ka-wrap"}
# What the threshold is typed in, per unit (behind target: always a percentage).
UNIT_HINTS = {MONEY: ("1,000.00", "$"), COUNT: ("100", "#"), "percent": ("5", "%")}


# The hand actions on a fired alert: its button, its label and the status it sets. Which
# statuses each may leave: acknowledge an open one, resolve an open or acknowledged one,
# reopen a resolved one.
ALERT_ACTIONS = {
    ids.KA_ACK: ("Acknowledge", "acknowledged"),
    ids.KA_RESOLVE: ("Resolve", "resolved"),
    ids.KA_REOPEN: ("Reopen", "open"),
}
_ACTION_FROM = {
    ids.KA_ACK: ("open",),
    ids.KA_RESOLVE: ("open", "acknowledged"),
    ids.KA_REOPEN: ("resolved",),
}


def _select(id_: str, value: str, options: dict[str, str]) -> dbc.Select:
    return dbc.Select(
        id=id_,
        value=value,
        size="sm",
        options=[{"label": label, "value": v} for v, label in options.items()],
    )


def _form(shown: bool) -> html.Div:
    threshold = dbc.InputGroup(
        [
            dbc.Input(id=ids.KA_THRESHOLD, type="text", placeholder="1,000.00"),
            dbc.InputGroupText("$", id=ids.KA_UNIT),
        ],
        size="sm",
        className="ka-threshold",
    )
    fields = [
        tool_field(
            "Name",
            dbc.Input(id=ids.KA_NAME, type="text", size="sm", placeholder="Planes in France"),
            class_name="fc-field ka-name",
        ),
        tool_field(
            "Metric",
            _select(ids.KA_METRIC, "revenue", {m.name: m.label for m in METRICS.values()}),
        ),
        tool_field(
            "Filter",
            dbc.Input(
                id=ids.KA_FILTER,
                type="text",
                size="sm",
                placeholder="category=Planes&country=France",
            ),
            class_name="fc-field ka-filter",
        ),
        tool_field(
            "Period", _select(ids.KA_PERIOD, "week", {p: PERIOD_LABELS[p] for p in PERIODS})
        ),
        tool_field(
            "Alert when",
            _select(
                ids.KA_COMPARISON,
                "below",
                {c: COMPARISON_LABELS[c].capitalize() for c in COMPARISONS},
            ),
        ),
        tool_field("Threshold", threshold, ids.KA_THRESHOLD),
        html.Div(dbc.Button("Add rule", id=ids.KA_ADD, color="primary", size="sm")),
    ]
    # Hidden, not left out, for viewers: the callback's inputs stay in the layout (the server
    # refuses their requests all the same).
    return html.Div(fields, className="fc-controls ka-form mt-2", style=None if shown else HIDDEN)


COLUMN_DEFAULTS = {"sortable": True, "resizable": True, "flex": 1}  # both grids'


def _rules_grid() -> dag.AgGrid:
    columns = [
        {"field": "name", "headerName": "Name", "minWidth": 150, "flex": 1.2, **WRAP},
        {"field": "watches", "headerName": "Watches", "minWidth": 220, "flex": 2.2, **WRAP},
        {"field": "period", "headerName": "Period", "minWidth": 110},
        {"field": "condition", "headerName": "Alert when", "minWidth": 200, "flex": 1.6, **WRAP},
        {"field": "state", "headerName": "On", "minWidth": 64, "maxWidth": 72},
        {"field": "checked", "headerName": "Last judged", "minWidth": 150, "flex": 1.2, **WRAP},
    ]
    return filled_grid(
        ids.KA_RULES,
        columns,
        "params.data.row_id",
        COLUMN_DEFAULTS,
        {"rowSelection": SINGLE_ROW, "animateRows": False, "domLayout": "autoHeight"},
        empty="No rules yet: add one above",
        className="ag-theme-quartz ka-rules-grid",
    )


def _alerts_grid() -> dag.AgGrid:
    columns = [
        {
            "field": "period",
            "headerName": "Period",
            "minWidth": 150,
            "sort": "desc",
            # Newest first by the period's first day, not by its text.
            "comparator": {
                "function": "(a, b, na, nb) => "
                "na.data.period_start < nb.data.period_start ? -1 : "
                "na.data.period_start > nb.data.period_start ? 1 : 0"
            },
            **WRAP,
        },
        {"field": "rule", "headerName": "Rule", "minWidth": 140, "flex": 1.2, **WRAP},
        {"field": "figure", "headerName": "Figure", "minWidth": 150, "flex": 1.5, **WRAP},
        {"field": "condition", "headerName": "Alert when", "minWidth": 170, "flex": 1.3, **WRAP},
        {
            "field": "status_label",
            "headerName": "Status",
            "minWidth": 150,
            "cellClassRules": {
                f"status-chip status-{status}": f"params.data.status === '{status}'"
                for status in ALERT_STATUSES
            },
        },
        {
            "field": "note",
            "headerName": "Note",
            "minWidth": 240,
            "flex": 2.5,
            **WRAP,
        },
    ]
    return filled_grid(
        ids.KA_ALERTS,
        columns,
        "params.data.row_id",
        COLUMN_DEFAULTS,
        ALERT_LIST,
        empty="No KPI alerts: add a rule, then run the check",
        className="ag-theme-quartz ka-alerts-grid",
    )


def cards(can_write: bool) -> list[dbc.Card]:
    """The rules card (form, grid, switch and remove) and the fired alerts' card."""
    tools = html.Div(
        [
            secondary_button("Switch on/off", ids.KA_TOGGLE, size="sm", disabled=True),
            row_button("Remove", ids.KA_REMOVE, "danger", outline=True),
        ],
        className="d-flex gap-2",
        style=None if can_write else HIDDEN,
    )
    lead = html.Div(
        "Watch any KPI under a filter, e.g. revenue of category=Planes&country=France per "
        "week below 1,000.00, cancellation rate above 5 %, or revenue behind the month's "
        "target by more than 10 %. Judged with every check, over complete periods only.",
        className="card-caption",
    )
    rules = chart_card(
        "KPI alert rules",
        ids.KA_RULES_CAPTION,
        lead,
        _form(can_write),
        html.Div(id=ids.KA_MESSAGE, className="mt-2", **{"aria-live": "polite"}),
        html.Div(_rules_grid(), className="mt-2"),
        tools=tools,
    )
    alert_tools = html.Div(
        [
            secondary_button(label, button, size="sm", disabled=True)
            for button, (label, _status) in ALERT_ACTIONS.items()
        ],
        className="d-flex flex-wrap gap-2",
        style=None if can_write else HIDDEN,
    )
    fired = chart_card(
        "KPI alerts",
        ids.KA_ALERTS_CAPTION,
        html.Div(id=ids.KA_ALERT_MESSAGE, className="mb-2", **{"aria-live": "polite"}),
        _alerts_grid(),
        html.Div(COMPLETE_RULE, className="ka-rule-note mt-2"),
        tools=alert_tools,
    )
    return [rules, fired]


def rule_rows(rules) -> list[dict]:
    """The rules grid's rows: every figure as text."""
    return [
        {
            "id": r.id,
            "row_id": str(r.id),
            "name": r.name,
            "watches": f"{METRICS[r.metric].label} of {filter_text(r.filter_query)}",
            "period": PERIOD_LABELS[r.period],
            "condition": r.condition_text(),
            "state": "On" if r.enabled else "Off",
            "checked": _last_judged(r),
        }
        for r in rules
    ]


def _window_text(window: Window) -> str:
    if window.start == window.end:
        return date_text(window.start)
    return period_text(window.start, window.end)


def _last_judged(rule) -> str:
    """The last complete period a check judged ("4 Mar 2024 – 10 Mar 2024"); a "to date" rule
    is judged afresh at every check."""
    if rule.period in TO_DATE:
        return "at every check"
    if rule.checked_through is None:
        return "not yet"
    return _window_text(window_of(rule.period, rule.checked_through, rule.checked_through))


def alert_rows(alerts: list[dict]) -> list[dict]:
    """The fired alerts' rows: the period, the rule, the figure and what the check noted."""
    return [
        {
            "id": a["id"],
            "row_id": str(a["id"]),
            "period": _window_text(Window(a["period_start"], a["period_end"])),
            "period_start": a["period_start"].isoformat(),
            "rule": a["rule"],
            "figure": a["figure"],
            "condition": a["condition"],
            "status": a["status"],
            "status_label": a["status"].title(),
            "note": a["note"] or "",
        }
        for a in alerts
    ]


def register_callbacks(app: Dash, engine: Engine) -> None:
    """The lists, the threshold's unit, and the writes (each refused on the server to a
    role without alerts:write before Dash runs it, and again by dashapp.alerts)."""

    @on_refresh(
        app,
        "view:all",
        [
            Output(ids.KA_RULES, "rowData"),
            Output(ids.KA_RULES_CAPTION, "children"),
            Output(ids.KA_ALERTS, "rowData"),
            Output(ids.KA_ALERTS_CAPTION, "children"),
        ],
        # The anomaly check judges the rules too: its answer reloads the alerts.
        [Input(ids.AN_RUN_RESULT, "children")],
    )
    def lists(_checked, _token):
        account = current_account()
        with engine.connect() as conn:
            rules = list_rules(conn, account)
            alerts = list_kpi_alerts(conn, account, limit=MAX_SHOWN)
        on = sum(r.enabled for r in rules)
        rules_caption = f"{len(rules)} rule{'' if len(rules) == 1 else 's'}, {on} on"
        open_ = sum(a["status"] == "open" for a in alerts)
        alerts_caption = (
            f"{len(alerts)} alert{'' if len(alerts) == 1 else 's'}, {open_} open · newest "
            "period first · a check resolves an alert by itself when its period's figure moves "
            "back"
        )
        return rule_rows(rules), rules_caption, alert_rows(alerts), alerts_caption

    @app.callback(
        Output(ids.KA_THRESHOLD, "placeholder"),
        Output(ids.KA_UNIT, "children"),
        Input(ids.KA_METRIC, "value"),
        Input(ids.KA_COMPARISON, "value"),
    )
    def unit(metric, comparison):
        kind = (
            "percent"
            if comparison == BEHIND_TARGET or metric not in METRICS
            else METRICS[metric].unit
        )
        return UNIT_HINTS[kind]

    @on_selection(
        app,
        None,
        ids.KA_RULES,
        [Output(ids.KA_TOGGLE, "disabled"), Output(ids.KA_REMOVE, "disabled")],
    )
    def selectable(selected):
        return not selected, not selected

    @on_selection(
        app,
        None,
        ids.KA_ALERTS,
        [Output(button, "disabled") for button in ALERT_ACTIONS],
    )
    def alert_selectable(selected):
        status = selected[0].get("status") if selected else None
        return tuple(status not in _ACTION_FROM[button] for button in ALERT_ACTIONS)

    @on_click(
        app,
        WRITE,
        list(ALERT_ACTIONS),
        wrote(ids.KA_ALERT_MESSAGE),
        [State(ids.KA_ALERTS, "selectedRows")],
    )
    def alert_status(_ack, _resolve, _reopen, selected):
        from dash import ctx

        action = ALERT_ACTIONS.get(ctx.triggered_id)
        if not selected or action is None:
            return no_update, no_update
        try:
            done = set_kpi_alert_status(
                engine, selected_id(selected, "an alert"), action[1], current_account()
            )
        except (RuleAccessError, InputError, ValueError) as exc:
            return not_done("Nothing changed.", exc), no_update
        except LookupError:
            return feedback("That alert no longer exists.", "warning"), new_token(engine)
        text = f"{done['rule']}, {_window_text(done['window'])}: {STATUS_WORDS[done['status']]}."
        return feedback(text, duration=6000), new_token(engine)

    @on_click(
        app,
        WRITE,
        ids.KA_ADD,
        wrote(ids.KA_MESSAGE),
        [
            State(ids.KA_NAME, "value"),
            State(ids.KA_METRIC, "value"),
            State(ids.KA_FILTER, "value"),
            State(ids.KA_PERIOD, "value"),
            State(ids.KA_COMPARISON, "value"),
            State(ids.KA_THRESHOLD, "value"),
        ],
    )
    def add(clicks, name, metric, filter_query, period, comparison, threshold):
        if not clicks:  # the form drawn again, not a click
            return no_update, no_update
        draft = RuleDraft(
            name=name,
            metric=metric,
            threshold=threshold,
            comparison=comparison,
            period=period,
            filter=filter_query or "",
        )
        try:
            rule = add_rule(engine, draft, current_account())
        except (ValidationError, RuleAccessError) as exc:
            return not_done("No rule added.", exc), no_update
        text = f"Added {rule.name}: {rule.describe()}. It is judged at the next check."
        return feedback(text, duration=8000), new_token(engine)

    @on_click(
        app,
        WRITE,
        [ids.KA_TOGGLE, ids.KA_REMOVE],
        wrote(ids.KA_MESSAGE),
        [State(ids.KA_RULES, "selectedRows")],
    )
    def change(toggle, remove, selected):
        from dash import ctx

        if not selected:
            return no_update, no_update
        account = current_account()
        try:
            rule_id = selected_id(selected, "a rule")
            if ctx.triggered_id == ids.KA_REMOVE:
                gone = remove_rule(engine, rule_id, account)
                text = f"Removed {gone.name} and its alerts."
            else:
                on = selected[0].get("state") != "On"
                rule = set_rule_enabled(engine, rule_id, on, account)
                text = f"{rule.name} is {'on' if rule.enabled else 'off'}."
        except (RuleAccessError, InputError, ValidationError) as exc:
            return not_done("Nothing changed.", exc), no_update
        except LookupError:
            return feedback("That rule no longer exists.", "warning"), new_token(engine)
        return feedback(text, duration=6000), new_token(engine)
