"""Scheduled digests on the Anomalies page, beside "Send now": an admin schedules a daily or
weekly digest for any user who may receive one (admins, managers, viewers: a digest shows the
whole business), to an address or a Slack-compatible webhook, at an hour, optionally under a
saved view that user can see; and removes one. The rules live in dashapp.digests.schedule
(schedule_for, remove_schedule_as); the CLI's `digest-schedule` does the same."""

from __future__ import annotations

from datetime import datetime

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update
from sqlalchemy import Engine, select

from dashapp.auth import can
from dashapp.digests.schedule import (
    SCHEDULE_DIGESTS,
    list_schedules,
    remove_schedule_as,
    schedule_for,
)
from dashapp.store.models import User
from dashapp.ui import ids
from dashapp.ui.parts import HIDDEN, titled_card, tool_field
from dashapp.ui.triggers import on_click, on_refresh
from dashapp.validation import record_id
from dashapp.views import list_views
from dashapp.web.access import current_account

PERIOD_OPTIONS = [
    {"label": "Daily (yesterday)", "value": "daily"},
    {"label": "Weekly (last week)", "value": "weekly"},
]
HOUR_OPTIONS = [{"label": f"{h:02d}:00", "value": str(h)} for h in range(24)]
WHOLE_BUSINESS = "all"
WHOLE = [{"label": "The whole business", "value": WHOLE_BUSINESS}]


def recipient_input(id_: str, width: str) -> dbc.Input:
    """Where a digest goes: an email address or a Slack-compatible webhook."""
    return dbc.Input(
        id=id_,
        type="text",
        size="sm",
        placeholder="name@example.com or https://hooks.slack.com/...",
        style={"width": width, "maxWidth": "100%"},
    )


def _select(id_: str, options: list, value=None, width: str = "200px", **kwargs) -> dbc.Select:
    style = {"width": width, "maxWidth": "100%"}
    return dbc.Select(id=id_, value=value, size="sm", options=options, style=style, **kwargs)


def card(account) -> dbc.Card:
    """The card (admins; hidden, not left out, for other roles: the server refuses their
    requests all the same). Its lists come with the first refresh: the layout has no database."""
    to = recipient_input(ids.DS_TO, "300px")
    controls = html.Div(
        [
            tool_field("For", _select(ids.DS_USER, [], width="160px", placeholder="Pick a user")),
            tool_field("Send to", to),
            tool_field("When", _select(ids.DS_PERIOD, PERIOD_OPTIONS, "daily", "170px")),
            tool_field("At", _select(ids.DS_HOUR, HOUR_OPTIONS, "7", "90px")),
            tool_field("Figures", _select(ids.DS_VIEW, WHOLE, WHOLE_BUSINESS)),
            html.Div(dbc.Button("Schedule", id=ids.DS_ADD, color="primary", size="sm")),
        ],
        className="fc-controls mt-2",
    )
    remove = html.Div(
        [
            tool_field(
                "Scheduled",
                _select(ids.DS_PICK, [], width="420px", placeholder="Pick one to remove"),
            ),
            html.Div(
                dbc.Button("Remove", id=ids.DS_REMOVE, color="danger", outline=True, size="sm")
            ),
        ],
        className="fc-controls mt-2",
    )
    lead = (
        "A digest by email or webhook at the hour set, by this server's clock: KPIs against the "
        "period before and the targets, new alerts and what to reorder, for the whole business "
        "or under a saved view the user can see."
    )
    shown = account is None or account.can(SCHEDULE_DIGESTS)
    return html.Div(
        titled_card(
            "Scheduled digests",
            dcc.Store(id=ids.DS_CHANGED),
            html.Div(lead, className="card-caption"),
            html.Div(id=ids.DS_LIST, className="mt-2"),
            controls,
            remove,
            html.Div(id=ids.DS_RESULT, className="mt-2", **{"aria-live": "polite"}),
        ),
        style=None if shown else HIDDEN,
    )


def _describe(row: dict) -> str:
    when = "Daily" if row["period"] == "daily" else "Weekly (Mondays)"
    text = f"{row['username']}: {when} at {row['hour']:02d}:00 to {row['recipient']}"
    return text + (f", view “{row['view']}”" if row.get("view") else ", the whole business")


def _said(text: str, color: str) -> dbc.Alert:
    return dbc.Alert(text, color=color, className="mb-0 py-2")


def register_callbacks(app: Dash, engine: Engine) -> None:
    # Read on every load of the page, whoever opens it: others get nothing (their card is hidden).
    @on_refresh(
        app,
        "view:all",
        [
            Output(ids.DS_LIST, "children"),
            Output(ids.DS_PICK, "options"),
            Output(ids.DS_VIEW, "options"),
            Output(ids.DS_USER, "options"),
        ],
        [Input(ids.DS_CHANGED, "data")],
    )
    def show_schedules(_changed, _token):
        account = current_account()
        if account is not None and not account.can(SCHEDULE_DIGESTS):
            return None, [], WHOLE, []
        with engine.connect() as conn:
            views = [] if account is None else list_views(conn, account)
            people = conn.execute(
                select(User.username, User.role)
                .where(User.active.is_(True))
                .order_by(User.username)
            ).all()
        receivers = [{"label": u, "value": u} for u, role in people if can(role, "view:all")]
        view_options = WHOLE + [{"label": v.name, "value": str(v.id)} for v in views]
        rows = list_schedules(engine)
        if not rows:
            none = html.Div("No digest scheduled yet.", className="text-muted small")
            return none, [], view_options, receivers
        texts = [_describe(r) for r in rows]
        listing = html.Ul([html.Li(t) for t in texts], className="mb-0 small")
        picks = [{"label": t, "value": str(r["id"])} for t, r in zip(texts, rows, strict=True)]
        return listing, picks, view_options, receivers

    # What a write answers: what it did, and the change that reloads the list.
    changed = [
        Output(ids.DS_RESULT, "children", allow_duplicate=True),
        Output(ids.DS_CHANGED, "data", allow_duplicate=True),
    ]

    @on_click(
        app,
        SCHEDULE_DIGESTS,
        ids.DS_ADD,
        changed,
        [
            State(ids.DS_USER, "value"),
            State(ids.DS_TO, "value"),
            State(ids.DS_PERIOD, "value"),
            State(ids.DS_HOUR, "value"),
            State(ids.DS_VIEW, "value"),
        ],
    )
    def add(_clicks, user, to, period, hour, view):
        if not user:
            return _said("Pick whose digest it is.", "danger"), no_update
        try:
            hour_value = int(hour) if str(hour or "").isdigit() else -1
            whole = view in (None, "", WHOLE_BUSINESS)
            view_id = None if whole else record_id(view, "a saved view")
            schedule_for(
                engine, current_account(), str(user), period, hour_value, to or "", view_id
            )
        except (PermissionError, LookupError, ValueError) as exc:
            return _said(f"Not scheduled: {exc}.", "danger"), no_update
        return _said(f"Scheduled for {user}.", "success"), datetime.now().isoformat()

    @on_click(app, SCHEDULE_DIGESTS, ids.DS_REMOVE, changed, [State(ids.DS_PICK, "value")])
    def remove(_clicks, picked):
        if not picked:
            return _said("Pick the schedule to remove.", "danger"), no_update
        try:
            remove_schedule_as(engine, current_account(), record_id(picked, "a digest schedule"))
        except (PermissionError, LookupError, ValueError) as exc:
            return _said(f"Nothing removed: {exc}.", "danger"), no_update
        return _said("Removed.", "success"), datetime.now().isoformat()
