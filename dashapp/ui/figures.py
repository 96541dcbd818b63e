"""Pure figure builders: DataFrames in, Plotly figures out. No database, no Dash.

Figures are plain dicts ({"data": [...], "layout": {...}}), the JSON the browser gets, not
plotly graph objects: building and validating a graph object cost 5-30 ms of server CPU per
figure (half of a warm Overview), a dict serialises in under 1 ms (issue 17). Each builder
writes what the graph objects wrote, the default template included (`figure`)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.io as pio

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
Figure = dict
_TEMPLATES: dict[str, tuple[object, dict]] = {}


def figure(data: list[dict], layout: dict | None = None) -> Figure:
    """A plain-dict figure: its traces (each with its "type") and layout, under the default
    Plotly template as a graph object would have carried it (theme.register_template)."""
    return {"data": data, "layout": {"template": default_template(), **(layout or {})}}


def default_template() -> dict:
    """The default template's JSON, converted once per registered template (shared: read only)."""
    name = pio.templates.default
    template = pio.templates[name]
    known = _TEMPLATES.get(name)
    if known is None or known[0] is not template:
        known = _TEMPLATES[name] = (template, template.to_plotly_json())
    return known[1]


def vline(x: object, line: dict) -> dict:
    """A vertical line across the plot at `x` (what graph objects' add_vline draws)."""
    return dict(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain", line=line)


def money(cents: int | float) -> float:
    """Cents as currency units, for plotting only (totals stay exact in cents)."""
    return float(cents) / 100


def short_lines(message: str, width: int = EMPTY_LINE_CHARS) -> list[str]:
    """The message broken after each " — " (what happened, then what to do), and at `width`."""
    *first, last = message.split(" — ")
    clauses = [f"{clause} —" for clause in first] + [last]
    return [line for clause in clauses for line in textwrap.wrap(clause, width)]


def empty_figure(message: str = EMPTY_MESSAGE) -> Figure:
    """A blank chart that says what to do, on short lines that stay inside a narrow card."""
    note = dict(
        text="<br>".join(plot_text(line) for line in short_lines(message)),
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font=dict(size=14, color=MUTED),
    )
    return figure(
        [], dict(annotations=[note], xaxis=dict(visible=False), yaxis=dict(visible=False))
    )


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
) -> Figure:
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
    traces = []
    if not previous.empty:
        traces.append(
            dict(
                type="scatter",
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
        traces.append(
            dict(
                type="scatter",
                x=dx,
                y=dy,
                name=PARTIAL_NAME,
                legendrank=2,
                mode="lines",
                line=dict(color=PRIMARY, width=2.5, dash="dash"),
                hoverinfo="skip",
            )
        )
    traces.append(
        dict(
            type="scatter",
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
    drawn = values + [money(v) for v in previous.get("revenue_cents", [])]
    return figure(
        traces,
        dict(
            yaxis=compact_axis(drawn, "$"),
            # The unified hover's heading reads the period as the labels do, not "Feb 1, 2024".
            xaxis=dict(showgrid=False, hoverformat=PERIOD_FORMAT[granularity]),
            hovermode="x unified" if len(current) > 1 else "closest",
        ),
    )


def category_donut(df: pd.DataFrame, colours: dict[str, str]) -> Figure:
    """Share of revenue per category; click a slice to filter (customdata keeps the raw name)."""
    if df.empty or df["revenue_cents"].sum() <= 0:
        return empty_figure()
    pie = dict(
        type="pie",
        labels=[plot_text(c) for c in df["category"]],
        values=[money(v) for v in df["revenue_cents"]],
        customdata=list(df["category"]),
        hole=0.55,
        sort=False,
        marker=dict(colors=[colours.get(c, MUTED) for c in df["category"]]),
        textinfo="percent",
        hovertemplate="%{label}<br>$%{value:,.2f} (%{percent})<extra></extra>",
    )
    legend = dict(orientation="v", x=1.02, y=0.5, yanchor="middle")
    return figure([pie], dict(showlegend=True, legend=legend))


def category_trend(
    df: pd.DataFrame,
    colours: dict[str, str],
    granularity: str,
    notes: dict[date, str] | None = None,
) -> Figure:
    """Revenue per category over time, one line each; customdata[0] is the raw category for
    cross-filtering, customdata[1] the period (with its note when only part of it is covered,
    then reached by a dashed segment), customdata[2] the escaped category for the hover."""
    if df.empty:
        return empty_figure()
    notes = notes or {}
    traces = []
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
        traces.append(
            dict(
                type="scatter",
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
            traces.append(
                dict(
                    type="scatter",
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
    axis = compact_axis([money(v) for v in df["revenue_cents"]], "$")
    return figure(traces, dict(yaxis=axis, xaxis=dict(showgrid=False)))


def ranked_bar(
    df: pd.DataFrame,
    label: str,
    key: str,
    by: str,
    colour: str = PRIMARY,
    colours: list[str] | None = None,
) -> Figure:
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
    bar = dict(
        type="bar",
        x=values,
        y=[plot_text(v) for v in df[label]],
        customdata=list(df[key]),
        orientation="h",
        marker=dict(color=colours[::-1] if colours else colour),
        hovertemplate=hover,
    )
    layout = dict(
        xaxis=axis,
        yaxis=dict(showgrid=False, type="category"),
        bargap=0.25,
        height=max(260, 28 * len(df) + 60),
    )
    return figure([bar], layout)


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


def country_map(df: pd.DataFrame, region: str = "world") -> Figure:
    """Choropleth of revenue per country on a log colour scale, so a market ten times smaller
    still shows its own shade instead of vanishing beside the biggest (a linear scale made
    every country but the USA the same pale blue). Countries without an ISO code are left
    off the map; the bar chart beside it lists every country. customdata is [raw country
    for the click, escaped country for the hover]; text is the revenue in dollars."""
    if df.empty:
        return empty_figure()
    countries, cents = list(df["country"]), list(df["revenue_cents"])
    codes = [iso3(c) for c in countries]
    keep = [i for i, c in enumerate(codes) if c]
    revenue = [money(cents[i]) for i in keep]
    positive = [v for v in revenue if v > 0] or [1.0]
    low, high = min(positive), max(positive)
    # A country with returns only (revenue <= 0) takes the palest shade; its hover says why.
    z = [math.log10(max(v, low)) for v in revenue]
    ticks = log_ticks(low, high)
    trace = dict(
        type="choropleth",
        locations=[codes[i] for i in keep],
        z=z,
        zmin=math.log10(low),
        zmax=max(math.log10(high), math.log10(low) + 0.01),
        customdata=[[countries[i], plot_text(countries[i])] for i in keep],
        text=[_dollars(v) for v in revenue],
        locationmode="ISO-3",
        colorscale=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)],
        marker=dict(line=dict(color="white", width=0.5)),
        colorbar=dict(
            tickvals=[math.log10(t) for t in ticks],
            ticktext=[compact_number(t, "$") for t in ticks],
            thickness=10,
            len=0.8,
            title=dict(text="log scale", side="top", font=dict(size=11, color=MUTED)),
        ),
        hovertemplate="%{customdata[1]}<br>%{text}<extra></extra>",
    )
    layout = dict(geo=map_geo(region), margin=dict(l=0, r=0, t=0, b=0), height=320)
    return figure([trace], layout)


def _collapse_empty_years(grid: dict[int, list[float]]) -> tuple[list[list[float]], list[str]]:
    """The month x year rows ({year: 12 values}), two or more whole years without an order in
    a row becoming one zero row "2006–2022 · none", so a gap of 18 years reads as a gap, not
    as 18 thin rows."""
    rows, labels, run = [], [], []

    def flush() -> None:
        if len(run) >= 2:
            rows.append([0.0] * 12)
            labels.append(f"{run[0]}–{run[-1]} · none")
        else:
            rows.extend(grid[y] for y in run)
            labels.extend(str(y) for y in run)
        run.clear()

    for year, values in grid.items():
        if sum(values) == 0 and not any(math.isnan(v) for v in values):
            run.append(year)
            continue
        flush()
        rows.append(values)
        labels.append(str(year))
    flush()
    return rows, labels


def _cells(z: np.ndarray) -> list[list[float | None]]:
    """A float grid as JSON rows, a blank (NaN) cell as None: Plotly leaves both undrawn."""
    return [[None if math.isnan(v) else float(v) for v in row] for row in z.tolist()]


def calendar_heatmap(days: pd.DataFrame, start: date, end: date) -> Figure:
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
        heat = dict(
            type="heatmap",
            z=_cells(z),
            x=x,
            y=y,
            text=text.tolist(),
            colorscale=scale,
            xgap=2,
            ygap=2,
            hovertemplate="%{text}<br>$%{z:,.2f}<extra></extra>",
            colorbar=dict(thickness=10, **colourbar_ticks(list(revenue.values()))),
        )
        layout = dict(
            yaxis=dict(autorange="reversed", showgrid=False),
            xaxis=dict(showgrid=False, type="category", nticks=12),
        )
        return figure([heat], layout)
    # Each month's sum of its days' cents, exact, in plain Python: a pandas pivot table cost
    # 10-25 ms a call for about a thousand days (issue 17).
    cents: dict[tuple[int, int], int | float] = {}
    for d, v in zip(days["period"], days["revenue_cents"], strict=True):
        cents[(d.year, d.month)] = cents.get((d.year, d.month), 0) + v
    # Every year of the range gets its row, empty years included (zeros, not skipped rows),
    # and every month inside the range a cell; months outside it stay blank.
    first, last = (start.year, start.month), (end.year, end.month)
    grid = {
        year: [
            money(cents[(year, month)])
            if (year, month) in cents
            else (0.0 if first <= (year, month) <= last else math.nan)
            for month in range(1, 13)
        ]
        for year in range(start.year, end.year + 1)
    }
    rows, labels = _collapse_empty_years(grid)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    heat = dict(
        type="heatmap",
        z=_cells(np.asarray(rows, dtype=float)),
        x=months,
        y=labels,
        colorscale=scale,
        xgap=2,
        ygap=2,
        hovertemplate="%{x} %{y}<br>$%{z:,.2f}<extra></extra>",
        colorbar=dict(thickness=10, **colourbar_ticks([v for r in grid.values() for v in r])),
    )
    layout = dict(
        yaxis=dict(type="category", showgrid=False, autorange="reversed"),
        xaxis=dict(showgrid=False),
    )
    return figure([heat], layout)
