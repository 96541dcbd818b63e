"""How numbers, dates and filters read on the page."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

from dashapp.filters import DIMENSIONS, Filters, dimension_label


def money_text(amount: Decimal | float, compact: bool = False) -> str:
    """$1,234,567.89, or $1.23M when compact."""
    value = float(amount)
    if compact:
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= size:
                return f"${value / size:,.2f}{suffix}"
    return f"${Decimal(amount):,.2f}" if isinstance(amount, Decimal) else f"${value:,.2f}"


def compact_number(value: float, prefix: str = "") -> str:
    """1.2M, 800k, 12.5, 0.5: SI-like suffixes from a thousand up, never Plotly's milli "m"
    (which reads $800m as 800 million); `prefix` goes after the sign ("-$1.2k")."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    suffix = ""
    for size, name in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            value, suffix = value / size, name
            break
    digits = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{sign}{prefix}{digits}{suffix}"


def date_text(d: date | None) -> str:
    return d.strftime("%-d %b %Y") if d else "…"


def period_text(start: date | None, end: date | None) -> str:
    if not start and not end:
        return "all time"
    return f"{date_text(start)} – {date_text(end)}"


def describe(f: Filters, customer_names: dict[int, str] | None = None) -> str:
    """One line saying which orders a chart covers: the dates, then every active filter in the
    order of the filter chips (a ?channel= link included), so no filter applies unseen."""
    parts = [period_text(f.start, f.end)]
    for dimension in DIMENSIONS:
        values = f.values(dimension)
        if not values:
            continue
        if dimension == "customer":
            values = [(customer_names or {}).get(c, f"#{c}") for c in values]
        parts.append(f"{dimension_label(dimension)}: {', '.join(str(v) for v in values)}")
    return " · ".join(parts)


def plot_text(value: object) -> str:
    """User text made literal for Plotly labels, which render an HTML subset (<a href>, <b>,
    <br>, <span style>) in ticks, hovers, legends and annotations.

    Quotes become numeric references: Plotly decodes &#34; and &#39; but not &quot;.
    Escape once, at the figure builder; the data keeps the raw text for clicks and filters.
    """
    text = html.escape(str(value), quote=False)
    return text.replace('"', "&#34;").replace("'", "&#39;")
