"""Figures of the Forecast and Anomalies sections: pure functions, values in, figures out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashapp.analytics.forecasting import ForecastResult, history_window
from dashapp.ui.figures import DATE_HOVER, compact_axis, empty_figure
from dashapp.ui.theme import BAD, MUTED, PRIMARY

FORECAST_COLOUR = "#d97706"
BAND_FILL = "rgba(217, 119, 6, 0.16)"
HISTORY_DAYS = 180


def _hover(field: str, measure: str) -> str:
    """A hover number: revenue in currency units, or units (forecasts are fractional)."""
    if measure == "revenue":
        return f"$%{{{field}:,.2f}}"
    return f"%{{{field}:,.1f}} units"


def forecast_chart(result: ForecastResult, history_days: int = HISTORY_DAYS) -> go.Figure:
    """The last `history_days` of history, then the forecast line inside its shaded band."""
    measure = str(result.history.name or "revenue")
    number = _hover("y", measure)
    band_hover = f"{_hover('customdata[0]', measure)} – {_hover('customdata[1]', measure)}"
    history = history_window(result.history, history_days)
    level = f"{round(result.level * 100)} %"
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=list(history.index),
            y=list(history.values),
            name="History",
            mode="lines",
            line=dict(color=PRIMARY, width=1.8),
            hovertemplate=f"{number}<extra>Actual</extra>",
        )
    )
    x = list(result.mean.index)
    # The band: the upper edge first, then the lower edge filled up to it.
    fig.add_trace(
        go.Scatter(
            x=x,
            y=list(result.upper.values),
            mode="lines",
            line=dict(width=0),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=list(result.lower.values),
            name=f"{level} interval",
            mode="lines",
            line=dict(width=0),
            fill="tonexty",
            fillcolor=BAND_FILL,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=list(result.mean.values),
            customdata=list(zip(result.lower.values, result.upper.values, strict=True)),
            name="Forecast",
            mode="lines",
            line=dict(color=FORECAST_COLOUR, width=2.2),
            hovertemplate=f"{number}<br>{level}: {band_hover}<extra>Forecast</extra>",
        )
    )
    start = result.mean.index[0]
    fig.add_vline(x=start, line=dict(color=MUTED, dash="dot", width=1))
    # Ticks from the values drawn (history, band, forecast): "$800k", never Plotly's milli
    # prefix ("$800m" for 0.8 million).
    drawn = [*history.values, *result.upper.values, *result.lower.values, *result.mean.values]
    fig.update_yaxes(**compact_axis(drawn, "$" if measure == "revenue" else ""))
    fig.update_xaxes(showgrid=False, hoverformat=DATE_HOVER)
    fig.update_layout(hovermode="x unified", legend=dict(y=1.02))
    return fig


def alert_chart(series: pd.Series, alerts: list[dict], selected_id: int) -> go.Figure:
    """Daily revenue (currency units) around an alert, with the stored alerts of the same
    series marked; the selected one also shows its expected (baseline) revenue."""
    if series.empty:
        return empty_figure("No sales in this period")
    fig = go.Figure(
        go.Scatter(
            x=list(series.index),
            y=list(series.values),
            name="Revenue",
            mode="lines+markers",
            marker=dict(size=4),
            line=dict(color=PRIMARY, width=1.8),
            hovertemplate="$%{y:,.2f}<extra>Revenue</extra>",
        )
    )
    shown = [a for a in alerts if pd.Timestamp(a["day"]) in series.index]
    selected = next((a for a in shown if a["id"] == selected_id), None)
    if selected is not None:
        day = pd.Timestamp(selected["day"])
        fig.add_vline(x=day, line=dict(color=BAD, dash="dot", width=1))
        fig.add_trace(
            go.Scatter(
                x=[day],
                y=[selected["baseline_cents"] / 100],
                name="Expected (baseline)",
                mode="markers",
                marker=dict(symbol="diamond-open", size=11, color=MUTED, line=dict(width=2)),
                hovertemplate="$%{y:,.2f}<extra>Expected</extra>",
            )
        )
    if shown:
        fig.add_trace(
            go.Scatter(
                x=[pd.Timestamp(a["day"]) for a in shown],
                y=[a["actual_cents"] / 100 for a in shown],
                customdata=[[a["drop_pct"], a["status"]] for a in shown],
                name="Alert",
                mode="markers",
                marker=dict(symbol="x", size=11, color=BAD),
                hovertemplate="$%{y:,.2f}, −%{customdata[0]:.1f} % (%{customdata[1]})"
                "<extra>Alert</extra>",
            )
        )
    drawn = [*series.values, *(a["actual_cents"] / 100 for a in shown)]
    if selected is not None:
        drawn.append(selected["baseline_cents"] / 100)
    fig.update_yaxes(**compact_axis(drawn, "$"))
    fig.update_xaxes(showgrid=False, hoverformat=DATE_HOVER)
    fig.update_layout(hovermode="x unified", legend=dict(y=1.02))
    return fig
