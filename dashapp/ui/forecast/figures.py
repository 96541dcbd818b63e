"""Figures of the Forecast and Anomalies sections: pure functions, values in, figures out."""

from __future__ import annotations

import pandas as pd

from dashapp.analytics.forecasting import ForecastResult, history_window
from dashapp.ui.figures import DATE_HOVER, Figure, compact_axis, empty_figure, figure, vline
from dashapp.ui.theme import BAD, MUTED, PRIMARY

FORECAST_COLOUR = "#d97706"
BAND_FILL = "rgba(217, 119, 6, 0.16)"
HISTORY_DAYS = 180


def _hover(field: str, measure: str) -> str:
    """A hover number: revenue in currency units, or units (forecasts are fractional)."""
    if measure == "revenue":
        return f"$%{{{field}:,.2f}}"
    return f"%{{{field}:,.1f}} units"


def forecast_chart(result: ForecastResult, history_days: int = HISTORY_DAYS) -> Figure:
    """The last `history_days` of history, then the forecast line inside its shaded band."""
    measure = str(result.history.name or "revenue")
    number = _hover("y", measure)
    band_hover = f"{_hover('customdata[0]', measure)} – {_hover('customdata[1]', measure)}"
    history = history_window(result.history, history_days)
    level = f"{round(result.level * 100)} %"
    x = list(result.mean.index)
    upper, lower, mean = (s.tolist() for s in (result.upper, result.lower, result.mean))
    traces = [
        dict(
            type="scatter",
            x=list(history.index),
            y=history.tolist(),
            name="History",
            mode="lines",
            line=dict(color=PRIMARY, width=1.8),
            hovertemplate=f"{number}<extra>Actual</extra>",
        ),
        # The band: the upper edge first, then the lower edge filled up to it.
        dict(
            type="scatter",
            x=x,
            y=upper,
            mode="lines",
            line=dict(width=0),
            hoverinfo="skip",
            showlegend=False,
        ),
        dict(
            type="scatter",
            x=x,
            y=lower,
            name=f"{level} interval",
            mode="lines",
            line=dict(width=0),
            fill="tonexty",
            fillcolor=BAND_FILL,
            hoverinfo="skip",
        ),
        dict(
            type="scatter",
            x=x,
            y=mean,
            customdata=[list(pair) for pair in zip(lower, upper, strict=True)],
            name="Forecast",
            mode="lines",
            line=dict(color=FORECAST_COLOUR, width=2.2),
            hovertemplate=f"{number}<br>{level}: {band_hover}<extra>Forecast</extra>",
        ),
    ]
    # Ticks from the values drawn (history, band, forecast): "$800k", never Plotly's milli
    # prefix ("$800m" for 0.8 million).
    drawn = [*history.tolist(), *upper, *lower, *mean]
    layout = dict(
        shapes=[vline(x[0], dict(color=MUTED, dash="dot", width=1))],
        yaxis=compact_axis(drawn, "$" if measure == "revenue" else ""),
        xaxis=dict(showgrid=False, hoverformat=DATE_HOVER),
        hovermode="x unified",
        legend=dict(y=1.02),
    )
    return figure(traces, layout)


def alert_chart(series: pd.Series, alerts: list[dict], selected_id: int) -> Figure:
    """Daily revenue (currency units) around an alert, with the stored alerts of the same
    series marked; the selected one also shows its expected (baseline) revenue."""
    if series.empty:
        return empty_figure("No sales in this period")
    traces = [
        dict(
            type="scatter",
            x=list(series.index),
            y=series.tolist(),
            name="Revenue",
            mode="lines+markers",
            marker=dict(size=4),
            line=dict(color=PRIMARY, width=1.8),
            hovertemplate="$%{y:,.2f}<extra>Revenue</extra>",
        )
    ]
    shapes = []
    shown = [a for a in alerts if pd.Timestamp(a["day"]) in series.index]
    selected = next((a for a in shown if a["id"] == selected_id), None)
    if selected is not None:
        day = pd.Timestamp(selected["day"])
        shapes.append(vline(day, dict(color=BAD, dash="dot", width=1)))
        traces.append(
            dict(
                type="scatter",
                x=[day],
                y=[selected["baseline_cents"] / 100],
                name="Expected (baseline)",
                mode="markers",
                marker=dict(symbol="diamond-open", size=11, color=MUTED, line=dict(width=2)),
                hovertemplate="$%{y:,.2f}<extra>Expected</extra>",
            )
        )
    if shown:
        traces.append(
            dict(
                type="scatter",
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
    drawn = [*series.tolist(), *(a["actual_cents"] / 100 for a in shown)]
    if selected is not None:
        drawn.append(selected["baseline_cents"] / 100)
    layout = dict(
        yaxis=compact_axis(drawn, "$"),
        xaxis=dict(showgrid=False, hoverformat=DATE_HOVER),
        hovermode="x unified",
        legend=dict(y=1.02),
    )
    if shapes:
        layout["shapes"] = shapes
    return figure(traces, layout)
