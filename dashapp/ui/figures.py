"""Pure figure builders: DataFrames in, Plotly figures out. No database, no Dash."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashapp.catalog.countries import iso3
from dashapp.ui.text import plot_text
from dashapp.ui.theme import GRID, MUTED, PRIMARY, SEQUENTIAL

MONEY_AXIS = "$~s"  # compact: $1.2M
MONEY_HOVER = "$%{y:,.2f}"
DATE_HOVER = "%a %d %b %Y"
PERIOD_FORMAT = {
    "day": "%d %b %Y",
    "week": "week of %d %b %Y",
    "month": "%b %Y",
    "quarter": "Q%q %Y",
    "year": "%Y",
}
EMPTY_MESSAGE = "No orders in this range — widen the dates or import data"
# A Plotly annotation never wraps by itself: 30 characters a line fit a 400 px phone's card.
EMPTY_LINE_CHARS = 30


def money(cents: int | float) -> float:
    """Cents as currency units, for plotting only (totals stay exact in cents)."""
    return float(cents) / 100


def short_lines(message: str, width: int = EMPTY_LINE_CHARS) -> list[str]:
    """The message broken after each " — " (what happened, then what to do), and at `width`."""
    *first, last = message.split(" — ")
    clauses = [f"{clause} —" for clause in first] + [last]
    return [line for clause in clauses for line in textwrap.wrap(clause, width)]


def empty_figure(message: str = EMPTY_MESSAGE) -> go.Figure:
    """A blank chart that says what to do, on short lines that stay inside a narrow card."""
    fig = go.Figure()
    fig.add_annotation(
        text="<br>".join(plot_text(line) for line in short_lines(message)),
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font=dict(size=14, color=MUTED),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _period_labels(periods: pd.Series, granularity: str) -> list[str]:
    out = []
    for p in periods:
        if granularity == "quarter":
            out.append(f"Q{(p.month - 1) // 3 + 1} {p.year}")
        else:
            out.append(p.strftime(PERIOD_FORMAT[granularity]))
    return out


# Public name for the other sections' figure modules.
period_labels = _period_labels


SPARK_WIDTH, SPARK_HEIGHT = 100, 36


def sparkline(df: pd.DataFrame, column: str, colour: str = PRIMARY) -> str:
    """A tiny filled line with no axes for a KPI card, as an SVG data URI for an <img>.

    Not a plotly graph: six of them cost the page six plotly figures to build on the server,
    send and draw in the browser, for a picture nobody hovers. Only numbers go into it."""
    values = [float(v) for v in df[column]] if not df.empty else []
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        'preserveAspectRatio="none">'
    ]
    if values:
        low, high = min(0.0, min(values)), max(values)
        span = (high - low) or 1.0
        step = SPARK_WIDTH / max(len(values) - 1, 1)
        points = [
            (round(i * step, 2), round(SPARK_HEIGHT - 1 - (v - low) / span * (SPARK_HEIGHT - 2), 2))
            for i, v in enumerate(values)
        ]
        if len(points) == 1:
            points.append((SPARK_WIDTH, points[0][1]))
        line = " ".join(f"{x},{y}" for x, y in points)
        svg.append(
            f'<polygon points="0,{SPARK_HEIGHT} {line} {points[-1][0]},{SPARK_HEIGHT}" '
            'fill="rgba(37,99,235,0.08)"/>'
        )
        svg.append(
            f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.6" '
            'vector-effect="non-scaling-stroke" stroke-linejoin="round"/>'
        )
    svg.append("</svg>")
    return "data:image/svg+xml;utf8," + quote("".join(svg))


def revenue_trend(current: pd.DataFrame, previous: pd.DataFrame, granularity: str) -> go.Figure:
    """Revenue per period with the previous period overlaid (aligned by position)."""
    if current.empty:
        return empty_figure()
    labels = _period_labels(current["period"], granularity)
    fig = go.Figure()
    if not previous.empty:
        prev = previous.iloc[: len(current)]
        fig.add_trace(
            go.Scatter(
                x=list(current["period"].iloc[: len(prev)]),
                y=[money(v) for v in prev["revenue_cents"]],
                customdata=_period_labels(prev["period"], granularity),
                name="Previous period",
                mode="lines",
                line=dict(color=MUTED, dash="dot", width=2),
                hovertemplate="%{customdata}<br>$%{y:,.2f}<extra>Previous period</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=list(current["period"]),
            y=[money(v) for v in current["revenue_cents"]],
            customdata=labels,
            name="Revenue",
            mode="lines+markers" if len(current) < 60 else "lines",
            line=dict(color=PRIMARY, width=2.5),
            hovertemplate="%{customdata}<br>$%{y:,.2f}<extra>Revenue</extra>",
        )
    )
    fig.update_yaxes(tickformat=MONEY_AXIS, rangemode="tozero")
    fig.update_xaxes(showgrid=False)
    fig.update_layout(hovermode="x unified" if len(current) > 1 else "closest")
    return fig


def category_donut(df: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Share of revenue per category; click a slice to filter (customdata keeps the raw name)."""
    if df.empty or df["revenue_cents"].sum() <= 0:
        return empty_figure()
    fig = go.Figure(
        go.Pie(
            labels=[plot_text(c) for c in df["category"]],
            values=[money(v) for v in df["revenue_cents"]],
            customdata=list(df["category"]),
            hole=0.55,
            sort=False,
            marker=dict(colors=[colours.get(c, MUTED) for c in df["category"]]),
            textinfo="percent",
            hovertemplate="%{label}<br>$%{value:,.2f} (%{percent})<extra></extra>",
        )
    )
    fig.update_layout(
        showlegend=True, legend=dict(orientation="v", x=1.02, y=0.5, yanchor="middle")
    )
    return fig


def category_trend(df: pd.DataFrame, colours: dict[str, str], granularity: str) -> go.Figure:
    """Revenue per category over time, one line each; customdata[0] is the raw category for
    cross-filtering, customdata[2] its escaped label for the hover."""
    if df.empty:
        return empty_figure()
    fig = go.Figure()
    for category, part in df.groupby("category", sort=True):
        fig.add_trace(
            go.Scatter(
                x=list(part["period"]),
                y=[money(v) for v in part["revenue_cents"]],
                customdata=[
                    [category, label, plot_text(category)]
                    for label in _period_labels(part["period"], granularity)
                ],
                name=plot_text(category),
                mode="lines",
                line=dict(color=colours.get(category, MUTED), width=2),
                hovertemplate="%{customdata[1]}<br>$%{y:,.2f}<extra>%{customdata[2]}</extra>",
            )
        )
    fig.update_yaxes(tickformat=MONEY_AXIS, rangemode="tozero")
    fig.update_xaxes(showgrid=False)
    return fig


def ranked_bar(
    df: pd.DataFrame,
    label: str,
    key: str,
    by: str,
    colour: str = PRIMARY,
    colours: list[str] | None = None,
) -> go.Figure:
    """Horizontal bars, best at the top; customdata carries the raw key to filter on, the
    axis shows the escaped label."""
    if df.empty:
        return empty_figure()
    df = df.iloc[::-1]
    if by == "units":
        values = list(df["units"])
        hover = "%{y}<br>%{x:,} units<extra></extra>"
        tickformat = "~s"
    else:
        values = [money(v) for v in df["revenue_cents"]]
        hover = "%{y}<br>$%{x:,.2f}<extra></extra>"
        tickformat = MONEY_AXIS
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[plot_text(v) for v in df[label]],
            customdata=list(df[key]),
            orientation="h",
            marker=dict(color=colours[::-1] if colours else colour),
            hovertemplate=hover,
        )
    )
    fig.update_xaxes(tickformat=tickformat)
    fig.update_yaxes(showgrid=False, type="category")
    fig.update_layout(bargap=0.25, height=max(260, 28 * len(df) + 60))
    return fig


def country_map(df: pd.DataFrame) -> go.Figure:
    """World choropleth of revenue; countries without an ISO code are left off the map.
    customdata is [raw country for the click, escaped country for the hover]."""
    if df.empty:
        return empty_figure()
    codes = [iso3(c) for c in df["country"]]
    keep = [i for i, c in enumerate(codes) if c]
    fig = go.Figure(
        go.Choropleth(
            locations=[codes[i] for i in keep],
            z=[money(df["revenue_cents"].iloc[i]) for i in keep],
            customdata=[[df["country"].iloc[i], plot_text(df["country"].iloc[i])] for i in keep],
            locationmode="ISO-3",
            colorscale=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
            marker_line_color="white",
            marker_line_width=0.5,
            colorbar=dict(tickformat=MONEY_AXIS, thickness=10, len=0.8, title=None),
            hovertemplate="%{customdata[1]}<br>$%{z:,.2f}<extra></extra>",
        )
    )
    fig.update_geos(
        showframe=False,
        showcoastlines=False,
        projection_type="natural earth",
        showcountries=True,
        countrycolor=GRID,
        landcolor="#f8fafc",
        showland=True,
    )
    fig.update_layout(margin=dict(l=0, r=0, t=0, b=0), height=320)
    return fig


def calendar_heatmap(days: pd.DataFrame, start: date, end: date) -> go.Figure:
    """Revenue per day as weekday x week (up to a year), or month x year for longer ranges."""
    if days.empty or start is None or end is None:
        return empty_figure()
    revenue = {d: money(v) for d, v in zip(days["period"], days["revenue_cents"], strict=True)}
    scale = [[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)]
    if (end - start).days <= 371:
        first_monday = start - timedelta(days=start.weekday())
        weeks = (end - first_monday).days // 7 + 1
        z = np.full((7, weeks), np.nan)
        text = np.full((7, weeks), "", dtype=object)
        day = start
        while day <= end:
            w = (day - first_monday).days // 7
            z[day.weekday(), w] = revenue.get(day, 0.0)
            text[day.weekday(), w] = day.strftime("%a %d %b %Y")
            day += timedelta(days=1)
        x = [(first_monday + timedelta(weeks=w)).strftime("%d %b") for w in range(weeks)]
        y = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        fig = go.Figure(
            go.Heatmap(
                z=z,
                x=x,
                y=y,
                text=text,
                colorscale=scale,
                xgap=2,
                ygap=2,
                hovertemplate="%{text}<br>$%{z:,.2f}<extra></extra>",
                colorbar=dict(tickformat=MONEY_AXIS, thickness=10),
            )
        )
        fig.update_yaxes(autorange="reversed", showgrid=False)
        fig.update_xaxes(showgrid=False, type="category", nticks=12)
        return fig
    frame = pd.DataFrame({"day": list(revenue), "revenue": list(revenue.values())})
    frame["year"] = [d.year for d in frame["day"]]
    frame["month"] = [d.month for d in frame["day"]]
    grid = frame.pivot_table(index="year", columns="month", values="revenue", aggfunc="sum")
    grid = grid.reindex(columns=range(1, 13))
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    fig = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=months,
            y=[str(y) for y in grid.index],
            colorscale=scale,
            xgap=2,
            ygap=2,
            hovertemplate="%{x} %{y}<br>$%{z:,.2f}<extra></extra>",
            colorbar=dict(tickformat=MONEY_AXIS, thickness=10),
        )
    )
    fig.update_yaxes(type="category", showgrid=False, autorange="reversed")
    fig.update_xaxes(showgrid=False)
    return fig
