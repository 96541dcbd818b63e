"""The Overview's targets (issue 20, item 1): a progress card under the KPI row for the targets
of the month and quarter holding the view's last day, and the revenue target as a line on the
trend. Which targets a view shows is dashapp.targets.view's answer; this module draws it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html
from sqlalchemy import Engine

from dashapp.analytics.kpis import only_cancelled, resolve_range
from dashapp.targets import Progress, ViewProgress, can_edit, target_per_period, view_progress
from dashapp.targets.periods import period_title
from dashapp.targets.records import METRIC_LABELS, amount_text
from dashapp.targets.view import scope_of_view, view_targets
from dashapp.ui import ids
from dashapp.ui.figures import Figure, money
from dashapp.ui.text import date_text, money_text
from dashapp.ui.triggers import on_refresh
from dashapp.web.access import current_account
from dashapp.web.answers import cached

TARGET_COLOUR = "#b45309"  # amber 700: apart from the revenue blue and the grey overlay
STATUS_COLOURS = {
    "on track": "success",
    "met": "success",
    "at risk": "danger",
    "missed": "danger",
    "not started": "secondary",
    "n/a": "secondary",
}
PAGE_PATH = "/targets"


def placeholder() -> html.Div:
    """Where the card goes on the Overview (empty while the view has no target to show)."""
    return dcc.Loading(html.Div(id=ids.TARGET_CARD), type="dot", delay_show=300)


def _scope_text(scope: tuple[str, str]) -> str:
    kind, key = scope
    return "the business" if kind == "business" else f"{kind} {key}"


def _first_up(text: str) -> str:
    """ "category Classic Cars" as "Category Classic Cars" (str.capitalize would lower the
    name's own capitals)."""
    return text[:1].upper() + text[1:]


def _value(metric: str, amount: int | None) -> str:
    if amount is None:
        return "n/a"
    return amount_text(metric, amount) if metric != "orders" else f"{amount:,}"


def _estimate(metric: str, amount: int) -> str:
    """An estimate reads compact ($1.62M); the actual and the target stay exact."""
    if metric == "orders":
        return f"{amount:,}"
    return money_text(amount / 100, compact=True)


def _projection_text(p: Progress) -> str:
    metric, proj = p.target.metric, p.projection
    if proj is None:
        return ""
    text = f"Projected {_estimate(metric, proj.value)} by {p.target.end:%-d %b}"
    if proj.low is not None and proj.high is not None and proj.low != proj.high:
        text += f" ({_estimate(metric, proj.low)} – {_estimate(metric, proj.high)})"
    return text


def _tile(p: Progress) -> html.Div:
    t = p.target
    share = p.share
    pace = p.elapsed / p.days if p.days else 0
    colour = STATUS_COLOURS.get(p.status, "secondary")
    bar_value = 0 if share is None else max(0.0, min(100.0, share * 100))
    lines = [
        html.Div(
            [
                html.Span(
                    f"{METRIC_LABELS[t.metric]} · {t.period_title}", className="kpi-label me-auto"
                ),
                dbc.Badge(p.status, color=colour, className="target-status"),
            ],
            className="d-flex align-items-center gap-2",
        ),
        html.Div(_value(t.metric, p.actual), className="kpi-value target-value"),
        html.Div(f"of {_value(t.metric, t.amount)} target", className="target-of"),
        html.Div(
            [
                dbc.Progress(
                    value=bar_value,
                    color=colour,
                    className="target-bar",
                    style={"height": "8px"},
                ),
                # Where the bar would be at an even pace: the share of the period gone by.
                html.Span(
                    className="target-pace",
                    style={"left": f"{pace * 100:.1f}%"},
                    title=f"Even pace: {pace:.0%} by day {p.elapsed} of {p.days}",
                ),
            ],
            className="target-bar-wrap",
        ),
        html.Div(
            f"{'n/a' if share is None else f'{share:.0%}'} of target · day {p.elapsed} of {p.days}",
            className="kpi-secondary",
        ),
    ]
    if p.projection is not None:
        lines.append(html.Div(_projection_text(p), className="target-projection"))
        lines.append(html.Div(p.projection.note, className="kpi-secondary target-method"))
    elif p.actual is None:
        lines.append(
            html.Div("No cost is known for these orders, so no profit.", className="kpi-secondary")
        )
    return html.Div(lines, className="target-tile", id=f"target-{t.id}")


def progress_card(vp: ViewProgress, editor: bool) -> html.Div | dbc.Card:
    """The card for a view's targets; a one-line invitation to an editor when there are none,
    nothing for others."""
    if vp.scope is None or vp.as_of is None:
        return html.Div()
    link = dcc.Link("Edit targets" if vp.rows else "Set a target", href=PAGE_PATH)
    if not vp.rows:
        if not editor:
            return html.Div()
        return dbc.Card(
            dbc.CardBody(
                [
                    html.Span(
                        f"No target for {_scope_text(vp.scope)} in "
                        f"{period_title('month', vp.as_of.replace(day=1))}. ",
                        className="card-caption",
                    ),
                    link,
                ],
                className="py-2",
            ),
            className="chart-card target-card empty",
        )
    header = html.Div(
        [
            html.Div(
                [
                    html.H2("Targets", className="card-title"),
                    html.Div(
                        f"{_first_up(_scope_text(vp.scope))} · to {date_text(vp.as_of)}, "
                        "the view's last day · projections to each period's end",
                        className="card-caption",
                    ),
                ],
                className="me-auto",
            ),
            link if editor else html.Span(),
        ],
        className="d-flex flex-wrap gap-2 align-items-start mb-2",
    )
    tiles = html.Div([_tile(p) for p in vp.rows], className="target-tiles")
    return dbc.Card(dbc.CardBody([header, tiles]), className="chart-card target-card")


def add_target_line(
    fig: Figure, periods: list, values: list[int | None], granularity: str
) -> Figure:
    """The revenue target per period (cents, None: no target) as a dashed line on the trend
    (a plain-dict figure, ui.figures)."""
    if not any(v is not None for v in values):
        return fig
    y = [None if v is None else money(v) for v in values]
    fig["data"].append(
        dict(
            type="scatter",
            x=list(periods),
            y=y,
            name="Target",
            legendrank=4,
            mode="lines+markers",
            connectgaps=False,
            line=dict(color=TARGET_COLOUR, width=2, dash="dash", shape="hv")
            if granularity == "day"
            else dict(color=TARGET_COLOUR, width=2, dash="dash"),
            marker=dict(color=TARGET_COLOUR, size=6, symbol="diamond"),
            hovertemplate="Target: $%{y:,.2f}<extra></extra>",
        )
    )
    return fig


def with_target_line(engine: Engine, fig: Figure, series) -> Figure:
    """The trend figure with the view's revenue target drawn on it (a trends.Series: its
    resolved filters, granularity and periods), when its scope has one."""
    f = series.filters
    if only_cancelled(f) or series.frame.empty or scope_of_view(f) is None:
        return fig
    periods = list(series.frame["period"])

    def compute():
        first, last = periods[0], periods[-1]
        with engine.connect() as conn:
            found = view_targets(conn, current_account(), f, first, last)
        return target_per_period(found, periods, series.granularity, f.start, f.end)

    values = cached(engine, "overview.target_line", f, compute, series.granularity)
    return add_target_line(fig, periods, values, series.granularity)


def register_callbacks(app: Dash, engine: Engine) -> None:
    """The progress card follows the view like the KPI row."""
    from dashapp.ui.shell import filters_of

    @on_refresh(app, None, [Output(ids.TARGET_CARD, "children")], [Input(ids.VIEW, "data")])
    def update_target_card(view, _token):
        f = filters_of(view)
        account = current_account()

        def compute():
            with engine.connect() as conn:
                return view_progress(conn, account, f, resolve_range(conn, f).end)

        return progress_card(cached(engine, "overview.targets", f, compute), can_edit(account))
