"""One look for every chart: the Plotly template that matches the Bootstrap theme, the palette,
and the stable colour of each category."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

FONT = "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
PRIMARY = "#2563eb"
MUTED = "#94a3b8"
GOOD = "#15803d"
BAD = "#b91c1c"
TEXT = "#0f172a"
GRID = "#e2e8f0"
# Qualitative palette (colour-blind friendly order), used for categories on every page.
PALETTE = (
    "#2563eb",
    "#f59e0b",
    "#10b981",
    "#ef4444",
    "#8b5cf6",
    "#06b6d4",
    "#ec4899",
    "#84cc16",
    "#f97316",
    "#64748b",
    "#14b8a6",
    "#a855f7",
)
SEQUENTIAL = ["#eff6ff", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"]
TEMPLATE_NAME = "sales_pulse"


def register_template() -> None:
    """Register the Sales Pulse Plotly template and make it the default."""
    template = go.layout.Template()
    template.layout = go.Layout(
        font=dict(family=FONT, size=12, color=TEXT),
        colorway=list(PALETTE),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin=dict(l=8, r=8, t=8, b=8),
        hoverlabel=dict(font=dict(family=FONT, size=12), bgcolor="white"),
        xaxis=dict(gridcolor=GRID, zeroline=False, linecolor=GRID, automargin=True),
        yaxis=dict(gridcolor=GRID, zeroline=False, linecolor=GRID, automargin=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        separators=".,",
    )
    pio.templates[TEMPLATE_NAME] = template
    pio.templates.default = TEMPLATE_NAME


def category_colours(first_seen: list[str] | tuple[str, ...]) -> dict[str, str]:
    """A colour per category, by its place in the order the categories first appeared in the
    catalog (analytics.breakdowns.categories_in_order_of_appearance).

    Not by the sorted names: a new category ("Clasic Cars") sorted in among the others moved
    the colour of every category after it. A new category comes last in this order, so the
    others keep theirs; filtering never reshuffles them either."""
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(dict.fromkeys(first_seen))}


# One colour per RFM segment, fixed by name (not by rank or by what the filter leaves), so a
# segment looks the same in the treemap, the table and the member list. Warm = needs action,
# green/blue = healthy, grey = gone.
SEGMENT_COLOURS = {
    "Champions": "#15803d",
    "Loyal": "#22c55e",
    "Potential Loyalist": "#0ea5e9",
    "New": "#2563eb",
    "Promising": "#8b5cf6",
    "Need Attention": "#eab308",
    "About to Sleep": "#f59e0b",
    "At Risk": "#ea580c",
    "Can't Lose Them": "#dc2626",
    "Hibernating": "#94a3b8",
    "Lost": "#475569",
}


def segment_colours() -> dict[str, str]:
    """The fixed colour of every named RFM segment."""
    return dict(SEGMENT_COLOURS)
