"""Pure figure builders: DataFrames in, Plotly figures out. No database, no Dash."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashapp.catalog.countries import iso3
from dashapp.ui.text import compact_number, plot_text
from dashapp.ui.theme import GRID, MUTED, PRIMARY, SEQUENTIAL

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


def compact_axis(values: Sequence[float], prefix: str = "", integer: bool = False) -> dict:
    """Range and ticks for a value axis or colour bar: about five round steps from zero (or
    the lowest value) up, labelled 1.2M / 800k / 0.5. Plotly's own "~s" format says 800m for
    0.8 (milli), which on a money axis reads as 800 million."""
    found = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    lo, hi = min([0.0, *found]), max([0.0, *found])
    if hi == lo:
        hi = lo + (1.0 if integer or lo == 0 else abs(lo))
    raw = (hi - lo) / 4
    size = 10 ** math.floor(math.log10(raw))
    step = next(m * size for m in (1, 2, 2.5, 5, 10) if m * size >= raw * (1 - 1e-9))
    if integer:
        step = max(1, math.ceil(step))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    ticks = [round(i * step, 10) for i in range(first, last + 1)]
    pad = (ticks[-1] - ticks[0]) * 0.04
    return dict(
        range=[ticks[0] - (pad if ticks[0] < 0 else 0), ticks[-1] + pad],
        tickvals=ticks,
        ticktext=[compact_number(t, prefix) for t in ticks],
    )


def colourbar_ticks(values: Sequence[float], prefix: str = "$") -> dict:
    """compact_axis's ticks for a colour bar (which takes no range)."""
    axis = compact_axis(values, prefix)
    return dict(tickvals=axis["tickvals"], ticktext=axis["ticktext"])


def _gapped(xs: list, ys: list, labels: list, partial: Sequence[bool], blank: object = ""):
    """Split a line at its partial periods: the solid trace gets a break (a None point halfway)
    on each side of a partial point, and the dashed trace the segments that reach it.
    Returns (solid x, solid y, solid labels, solid partial flags, dashed x, dashed y)."""
    sx, sy, sl, sp, dx, dy = [], [], [], [], [], []
    for i, (x, y, label) in enumerate(zip(xs, ys, labels, strict=True)):
        if i and (partial[i] or partial[i - 1]):
            before = pd.Timestamp(xs[i - 1])
            sx.append(before + (pd.Timestamp(x) - before) / 2)
            sy.append(None)
            sl.append(blank)
            sp.append(False)
            dx += [xs[i - 1], x, None]
            dy += [ys[i - 1], y, None]
        sx.append(x)
        sy.append(y)
        sl.append(label)
        sp.append(bool(partial[i]))
    return sx, sy, sl, sp, dx, dy


SPARK_WIDTH, SPARK_HEIGHT = 100, 36


def sparkline(
    df: pd.DataFrame, column: str, colour: str = PRIMARY, partial: Sequence[bool] | None = None
) -> str:
    """A tiny filled line with no axes for a KPI card, as an SVG data URI for an <img>.

    Not a plotly graph: six of them cost the page six plotly figures to build on the server,
    send and draw in the browser, for a picture nobody hovers. Only numbers go into it.
    `partial` marks periods the range or the data covers only in part: the segments reaching
    them are dashed, so a half month is not read as a fall."""
    values = [float(v) for v in df[column]] if not df.empty else []
    partial = list(partial) if partial is not None else [False] * len(values)
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
            partial.append(partial[0])
        line = " ".join(f"{x},{y}" for x, y in points)
        svg.append(
            f'<polygon points="0,{SPARK_HEIGHT} {line} {points[-1][0]},{SPARK_HEIGHT}" '
            'fill="rgba(37,99,235,0.08)"/>'
        )
        stroke = (
            f'fill="none" stroke="{colour}" stroke-width="1.6" '
            'vector-effect="non-scaling-stroke" stroke-linejoin="round"'
        )
        # Runs of whole periods are solid; a segment touching a partial period is dashed.
        runs, run = [], [points[0]]
        for i in range(1, len(points)):
            if partial[i] or partial[i - 1]:
                if len(run) > 1:
                    runs.append(run)
                svg.append(
                    f'<polyline points="{points[i - 1][0]},{points[i - 1][1]} '
                    f'{points[i][0]},{points[i][1]}" {stroke} stroke-dasharray="3 2" '
                    'class="partial"/>'
                )
                run = [points[i]]
            else:
                run.append(points[i])
        if len(run) > 1:
            runs.append(run)
        for run in runs:
            svg.append(f'<polyline points="{" ".join(f"{x},{y}" for x, y in run)}" {stroke}/>')
    svg.append("</svg>")
    return "data:image/svg+xml;utf8," + quote("".join(svg))


PARTIAL_NAME = "Incomplete period"


def revenue_trend(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    granularity: str,
    notes: Sequence[str] | None = None,
    name: str = "Revenue",
) -> go.Figure:
    """Revenue (or another money series, `name`) per period, with the previous period overlaid.

    `previous` holds, per row of `current`, the revenue of the same days one range earlier
    (revenue_cents) and which days those are (label): like for like, partial periods included.
    `notes` says per period whether only part of it is covered ("month to date (...)"): such a
    period is an open marker reached by a dashed segment, and its hover says so."""
    if current.empty:
        return empty_figure()
    notes = list(notes) if notes is not None else [""] * len(current)
    partial = [bool(n) for n in notes]
    periods = list(current["period"])
    values = [money(v) for v in current["revenue_cents"]]
    labels = [
        f"{label} · {note}" if note else label
        for label, note in zip(_period_labels(current["period"], granularity), notes, strict=True)
    ]
    fig = go.Figure()
    if not previous.empty:
        fig.add_trace(
            go.Scatter(
                x=periods,
                y=[money(v) for v in previous["revenue_cents"]],
                customdata=list(previous["label"]),
                name="Previous period",
                legendrank=3,
                mode="lines",
                line=dict(color=MUTED, dash="dot", width=2),
                hovertemplate="%{customdata}: $%{y:,.2f}<extra>Previous period</extra>",
            )
        )
    many = len(current) >= 60
    sx, sy, sl, sp, dx, dy = _gapped(periods, values, labels, partial)
    if dx:
        fig.add_trace(
            go.Scatter(
                x=dx,
                y=dy,
                name=PARTIAL_NAME,
                legendrank=2,
                mode="lines",
                line=dict(color=PRIMARY, width=2.5, dash="dash"),
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=sx,
            y=sy,
            customdata=sl,
            name=name,
            legendrank=1,
            mode="lines+markers",
            connectgaps=False,
            line=dict(color=PRIMARY, width=2.5),
            marker=dict(
                color=PRIMARY,
                size=[9 if p else (0 if many else 6) for p in sp],
                symbol=["circle-open" if p else "circle" for p in sp],
                line=dict(width=2, color=PRIMARY),
            ),
            hovertemplate="%{customdata}<br>$%{y:,.2f}<extra>" + name + "</extra>",
        )
    )
    fig.update_yaxes(
        **compact_axis(values + [money(v) for v in previous.get("revenue_cents", [])], "$")
    )
    # The unified hover's heading reads the period as the labels do, not "Feb 1, 2024".
    fig.update_xaxes(showgrid=False, hoverformat=PERIOD_FORMAT[granularity])
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


def category_trend(
    df: pd.DataFrame,
    colours: dict[str, str],
    granularity: str,
    notes: dict[date, str] | None = None,
) -> go.Figure:
    """Revenue per category over time, one line each; customdata[0] is the raw category for
    cross-filtering, customdata[1] the period (with its note when only part of it is covered,
    then reached by a dashed segment), customdata[2] the escaped category for the hover."""
    if df.empty:
        return empty_figure()
    notes = notes or {}
    fig = go.Figure()
    for category, part in df.groupby("category", sort=True):
        periods = list(part["period"])
        values = [money(v) for v in part["revenue_cents"]]
        shown = plot_text(category)
        custom = [
            [category, f"{label} · {notes[p]}" if notes.get(p) else label, shown]
            for p, label in zip(periods, _period_labels(part["period"], granularity), strict=True)
        ]
        partial = [bool(notes.get(p)) for p in periods]
        sx, sy, sc, _, dx, dy = _gapped(periods, values, custom, partial, [category, "", shown])
        colour = colours.get(category, MUTED)
        fig.add_trace(
            go.Scatter(
                x=sx,
                y=sy,
                customdata=sc,
                name=shown,
                legendgroup=shown,
                mode="lines",
                connectgaps=False,
                line=dict(color=colour, width=2),
                hovertemplate="%{customdata[1]}<br>$%{y:,.2f}<extra>%{customdata[2]}</extra>",
            )
        )
        if dx:
            fig.add_trace(
                go.Scatter(
                    x=dx,
                    y=dy,
                    name=shown,
                    legendgroup=shown,
                    showlegend=False,
                    mode="lines",
                    line=dict(color=colour, width=2, dash="dash"),
                    hoverinfo="skip",
                )
            )
    fig.update_yaxes(**compact_axis([money(v) for v in df["revenue_cents"]], "$"))
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
        axis = compact_axis(values, integer=True)
    else:
        values = [money(v) for v in df["revenue_cents"]]
        hover = "%{y}<br>$%{x:,.2f}<extra></extra>"
        axis = compact_axis(values, "$")
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
    fig.update_xaxes(**axis)
    fig.update_yaxes(showgrid=False, type="category")
    fig.update_layout(bargap=0.25, height=max(260, 28 * len(df) + 60))
    return fig


# The map's regions, as windows on the world map: (longitudes, latitudes). Plotly's own
# continent scopes would each fetch another map file, and the app serves the world's only
# (assets/topojson), so nothing is loaded from outside.
MAP_REGIONS = {
    "world": ("World", None),
    "europe": ("Europe", ([-25, 45], [34, 72])),
    "north america": ("N. America", ([-170, -50], [7, 75])),
    "south america": ("S. America", ([-85, -30], [-57, 14])),
    "asia": ("Asia", ([25, 150], [-11, 60])),
    "africa": ("Africa", ([-20, 55], [-36, 38])),
    "oceania": ("Oceania", ([105, 180], [-50, 5])),
}


def map_geo(region: str = "world") -> dict:
    """The map's `layout.geo` for a region: the window on the world, and the common style."""
    geo = dict(
        showframe=False,
        showcoastlines=False,
        showcountries=True,
        countrycolor=GRID,
        landcolor="#f8fafc",
        showland=True,
        projection=dict(type="natural earth"),
        lonaxis=dict(range=[-180, 180]),
        lataxis=dict(range=[-60, 90]),
    )
    window = MAP_REGIONS.get(region, MAP_REGIONS["world"])[1]
    if window is not None:
        geo.update(lonaxis=dict(range=window[0]), lataxis=dict(range=window[1]))
    return geo


def log_ticks(low: float, high: float) -> list[float]:
    """Colour-bar ticks for values from `low` to `high` (both > 0) on a log scale: 1-2-5 steps,
    thinned to the powers of ten when those alone give at least three ticks, or the two ends
    when the range holds fewer than two steps."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    steps = [m * 10**k for k in range(first, last + 1) for m in (1, 2, 5)]
    ticks = [t for t in steps if low <= t <= high]
    decades = [t for t in ticks if math.log10(t).is_integer()]
    if len(decades) >= 3:
        return decades
    return ticks if len(ticks) >= 2 else [low, high]


def _dollars(value: float) -> str:
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def country_map(df: pd.DataFrame, region: str = "world") -> go.Figure:
    """Choropleth of revenue per country on a log colour scale, so a market ten times smaller
    still shows its own shade instead of vanishing beside the biggest (a linear scale made
    every country but the USA the same pale blue). Countries without an ISO code are left
    off the map; the bar chart beside it lists every country. customdata is [raw country
    for the click, escaped country for the hover]; text is the revenue in dollars."""
    if df.empty:
        return empty_figure()
    codes = [iso3(c) for c in df["country"]]
    keep = [i for i, c in enumerate(codes) if c]
    revenue = [money(df["revenue_cents"].iloc[i]) for i in keep]
    positive = [v for v in revenue if v > 0] or [1.0]
    low, high = min(positive), max(positive)
    # A country with returns only (revenue <= 0) takes the palest shade; its hover says why.
    z = [math.log10(max(v, low)) for v in revenue]
    ticks = log_ticks(low, high)
    fig = go.Figure(
        go.Choropleth(
            locations=[codes[i] for i in keep],
            z=z,
            zmin=math.log10(low),
            zmax=max(math.log10(high), math.log10(low) + 0.01),
            customdata=[[df["country"].iloc[i], plot_text(df["country"].iloc[i])] for i in keep],
            text=[_dollars(v) for v in revenue],
            locationmode="ISO-3",
            colorscale=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
            marker_line_color="white",
            marker_line_width=0.5,
            colorbar=dict(
                tickvals=[math.log10(t) for t in ticks],
                ticktext=[compact_number(t, "$") for t in ticks],
                thickness=10,
                len=0.8,
                title=dict(text="log scale", side="top", font=dict(size=11, color=MUTED)),
            ),
            hovertemplate="%{customdata[1]}<br>%{text}<extra></extra>",
        )
    )
    fig.update_layout(geo=map_geo(region), margin=dict(l=0, r=0, t=0, b=0), height=320)
    return fig


def _collapse_empty_years(grid: pd.DataFrame) -> tuple[list[list[float]], list[str]]:
    """The month x year rows, two or more whole years without an order in a row becoming one
    zero row "2006–2022 · none", so a gap of 18 years reads as a gap, not as 18 thin rows."""
    rows, labels, run = [], [], []

    def flush() -> None:
        if len(run) >= 2:
            rows.append([0.0] * 12)
            labels.append(f"{run[0]}–{run[-1]} · none")
        else:
            rows.extend(list(grid.loc[y].to_numpy(dtype=float)) for y in run)
            labels.extend(str(y) for y in run)
        run.clear()

    for year in grid.index:
        values = grid.loc[year].to_numpy(dtype=float)
        if np.nansum(values) == 0 and not np.isnan(values).any():
            run.append(year)
            continue
        flush()
        rows.append(list(values))
        labels.append(str(year))
    flush()
    return rows, labels


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
                colorbar=dict(thickness=10, **colourbar_ticks(list(revenue.values()))),
            )
        )
        fig.update_yaxes(autorange="reversed", showgrid=False)
        fig.update_xaxes(showgrid=False, type="category", nticks=12)
        return fig
    frame = pd.DataFrame({"day": list(revenue), "revenue": list(revenue.values())})
    frame["year"] = [d.year for d in frame["day"]]
    frame["month"] = [d.month for d in frame["day"]]
    grid = frame.pivot_table(index="year", columns="month", values="revenue", aggfunc="sum")
    # Every year of the range gets its row, empty years included (zeros, not skipped rows),
    # and every month inside the range a cell; months outside it stay blank.
    grid = grid.reindex(index=range(start.year, end.year + 1), columns=range(1, 13))
    for year in grid.index:
        for month in grid.columns:
            inside = (start.year, start.month) <= (year, month) <= (end.year, end.month)
            if inside and pd.isna(grid.at[year, month]):
                grid.at[year, month] = 0.0
    rows, labels = _collapse_empty_years(grid)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    fig = go.Figure(
        go.Heatmap(
            z=rows,
            x=months,
            y=labels,
            colorscale=scale,
            xgap=2,
            ygap=2,
            hovertemplate="%{x} %{y}<br>$%{z:,.2f}<extra></extra>",
            colorbar=dict(thickness=10, **colourbar_ticks(list(grid.to_numpy().ravel()))),
        )
    )
    fig.update_yaxes(type="category", showgrid=False, autorange="reversed")
    fig.update_xaxes(showgrid=False)
    return fig
