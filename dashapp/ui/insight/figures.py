"""Figures of the Customers insight section: pure functions from domain frames to figures."""

from __future__ import annotations

import math

import pandas as pd

from dashapp.ui.figures import Figure, colourbar_ticks, empty_figure, figure, money, period_labels
from dashapp.ui.text import money_text, plot_text
from dashapp.ui.theme import MUTED, PRIMARY, SEQUENTIAL

NO_CUSTOMERS = "No customers with orders in this range — widen the dates or import data"
SCORES = [1, 2, 3, 4, 5]
_SCALE = [[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)]
RETURNING_COLOUR = "#93c5fd"
SELECTED_OUTLINE = "#f97316"


def _written_heatmap(
    z, x, y, text, custom, hovertemplate: str, font_size: int, gap: int, colorbar: dict, **props
) -> dict:
    """A heatmap in the section's blue scale with each cell's `text` written in it, `gap` pixels
    between cells and no hover on an empty one; `props` adds a fixed colour range."""
    return dict(
        type="heatmap",
        z=z,
        x=x,
        y=y,
        text=text,
        texttemplate="%{text}",
        textfont=dict(size=font_size),
        customdata=custom,
        colorscale=_SCALE,
        xgap=gap,
        ygap=gap,
        hoverongaps=False,
        colorbar=dict(thickness=10, **colorbar),
        hovertemplate=hovertemplate,
        **props,
    )


def rf_heatmap_figure(cells: pd.DataFrame, selected: tuple[int, int] | None = None) -> Figure:
    """R (rows, 5 = most recent on top) x F (columns) coloured by average revenue per customer.

    Axes are numeric from 0.5 to 5.5, so cell (r, f) sits at (f, r): clicks map back exactly.
    """
    if cells.empty or int(cells["customers"].sum()) == 0:
        return empty_figure(NO_CUSTOMERS)
    grid = {(int(row.r), int(row.f)): row for row in cells.itertuples(index=False)}
    z, text, custom = [], [], []
    for r in SCORES:
        z_row, text_row, custom_row = [], [], []
        for f in SCORES:
            row = grid[(r, f)]
            n = int(row.customers)
            avg = None if pd.isna(row.avg_monetary_cents) else money(row.avg_monetary_cents)
            z_row.append(avg)
            text_row.append(f"{money_text(avg, compact=True)}<br>{n:,}" if n else "")
            custom_row.append([r, f, plot_text(row.segment), n])
        z.append(z_row)
        text.append(text_row)
        custom.append(custom_row)
    flat_z = [v for row in z for v in row if v is not None]
    heat = _written_heatmap(
        z,
        SCORES,
        SCORES,
        text,
        custom,
        "R %{customdata[0]} · F %{customdata[1]} · %{customdata[2]}<br>"
        "%{customdata[3]:,} customers<br>avg revenue $%{z:,.2f}<extra></extra>",
        font_size=11,
        gap=3,
        colorbar=colourbar_ticks(flat_z),
    )
    axis = dict(range=[0.5, 5.5], tickvals=SCORES, showgrid=False, fixedrange=True)
    layout = dict(
        xaxis=dict(title=dict(text="Frequency score (5 = most orders)"), **axis),
        yaxis=dict(title=dict(text="Recency score (5 = most recent)"), **axis),
        clickmode="event",
    )
    if selected:
        layout["shapes"] = selected_cell_shapes(selected)
    return figure([heat], layout)


def selected_cell_shapes(selected: tuple[int, int] | None) -> list[dict]:
    """An outline around the selected (r, f) cell of the heatmap (none without a selection)."""
    if not selected:
        return []
    r, f = selected
    return [
        dict(
            type="rect",
            x0=f - 0.48,
            x1=f + 0.48,
            y0=r - 0.48,
            y1=r + 0.48,
            line=dict(color=SELECTED_OUTLINE, width=3),
            fillcolor="rgba(0,0,0,0)",
            layer="above",
        )
    ]


def segment_treemap(summary: pd.DataFrame, colours: dict[str, str]) -> Figure:
    """Share of customers per segment (tiles sized by customers); click a tile to list them
    (customdata[0] keeps the raw segment name, the label is escaped)."""
    shown = summary[summary["customers"] > 0]
    if shown.empty:
        return empty_figure(NO_CUSTOMERS)
    tiles = dict(
        type="treemap",
        labels=[plot_text(s) for s in shown["segment"]],
        parents=[""] * len(shown),
        values=[int(n) for n in shown["customers"]],
        customdata=[
            [seg, money(rev), float(share)]
            for seg, rev, share in zip(
                shown["segment"], shown["revenue_cents"], shown["share"], strict=True
            )
        ],
        marker=dict(colors=[colours.get(s, MUTED) for s in shown["segment"]]),
        texttemplate="<b>%{label}</b><br>%{value:,} · %{customdata[2]:.0%}",
        hovertemplate=(
            "%{label}<br>%{value:,} customers (%{customdata[2]:.1%})<br>"
            "revenue $%{customdata[1]:,.2f}<extra></extra>"
        ),
        sort=True,
        tiling=dict(pad=2),
        pathbar=dict(visible=False),
    )
    return figure([tiles], dict(margin=dict(l=0, r=0, t=0, b=0)))


def new_returning_bars(df: pd.DataFrame, granularity: str, notes: dict | None = None) -> Figure:
    """Active customers per period, stacked: new (first-ever order then) and returning.

    A period only partly covered (`notes`: {period: "month to date (...)"}) is hatched, and its
    hover says so: five days of customers are not a fall."""
    if df.empty:
        return empty_figure(NO_CUSTOMERS)
    notes = notes or {}
    labels = [
        f"{label} · {notes[p]}" if notes.get(p) else label
        for p, label in zip(df["period"], period_labels(df["period"], granularity), strict=True)
    ]
    hatch = ["/" if notes.get(p) else "" for p in df["period"]]
    traces = [
        dict(
            type="bar",
            x=list(df["period"]),
            y=[int(v) for v in df[column]],
            customdata=labels,
            name=name,
            marker=dict(
                color=colour,
                pattern=dict(shape=hatch, fillmode="overlay", fgcolor="white", size=6),
            ),
            hovertemplate="%{customdata}<br>%{y:,} " + f"{name.lower()} customers<extra></extra>",
        )
        for column, name, colour in (
            ("new", "New", PRIMARY),
            ("returning", "Returning", RETURNING_COLOUR),
        )
    ]
    layout = dict(
        barmode="stack",
        bargap=0.2,
        hovermode="x unified",
        legend=dict(traceorder="normal"),
        yaxis=dict(title=dict(text="Customers"), rangemode="tozero", tickformat=",d"),
        xaxis=dict(showgrid=False),
    )
    return figure(traces, layout)


def cohort_heatmap(df: pd.DataFrame) -> Figure:
    """Share of each first-purchase month ordering again N months later (text in %).

    Month 0 is every cohort's own month (100 % by definition), so the colour scale is set by
    the later months, where the differences are.
    """
    if df.empty:
        return empty_figure(NO_CUSTOMERS)
    pivot = df.pivot(index="cohort", columns="months", values="share").sort_index()
    active = df.pivot(index="cohort", columns="months", values="customers").reindex_like(pivot)
    sizes = df.groupby("cohort")["cohort_size"].first().reindex(pivot.index)
    rows = [c.strftime("%b %Y") for c in pivot.index]
    z = pivot.to_numpy(dtype="float64", na_value=float("nan"))
    text = [[("" if pd.isna(v) else f"{v:.0%}") for v in row] for row in z]
    custom = [
        [[int(n) if pd.notna(n) else 0, int(size)] for n in active_row]
        for active_row, size in zip(active.to_numpy(), sizes, strict=True)
    ]
    later = df[df["months"] > 0]["share"]
    top = float(later.max()) if len(later) and later.max() > 0 else 1.0
    heat = _written_heatmap(
        [[None if math.isnan(v) else v for v in row] for row in z.tolist()],
        [int(m) for m in pivot.columns],
        rows,
        text,
        custom,
        "%{y} cohort, month +%{x}<br>%{customdata[0]:,} of %{customdata[1]:,} "
        "customers ordered (%{z:.1%})<extra></extra>",
        font_size=10,
        gap=2,
        colorbar={"tickformat": ".0%"},
        zmin=0,
        zmax=top,
    )
    layout = dict(
        xaxis=dict(
            title=dict(text="Months since first order"), dtick=1, showgrid=False, side="top"
        ),
        yaxis=dict(type="category", autorange="reversed", showgrid=False),
        height=cohort_height(len(rows)),
    )
    return figure([heat], layout)


def cohort_height(cohorts: int) -> int:
    """Pixels for the cohort heatmap: a readable row per cohort."""
    return max(260, 22 * cohorts + 90)
