"""Drill-through (issue 19 item 4, SPEC §4.9): the orders behind one bar, slice, map region,
heatmap cell or pivot cell, as a Filters value the order history takes.

A slice is the page's filters with the clicked dimension values put in place of that
dimension's selection and the date range narrowed to the clicked period. The figures count
orders not cancelled (SPEC §3) and the history lists every status, so when the slice holds a
cancelled order the statuses are set to all but Cancelled: the history then lists exactly the
orders the figure counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Connection, select

from dashapp.analytics.kpis import kpis
from dashapp.analytics.pivot import NONE_LABEL
from dashapp.filters import DIMENSIONS, MAX_ID, FilterError, Filters
from dashapp.store.filtering import order_conditions
from dashapp.store.models import CANCELLED, ORDER_STATUSES, Order
from dashapp.store.periods import period_last_day

orders = Order.__table__
LIVE_STATUSES = tuple(s for s in ORDER_STATUSES if s != CANCELLED)
PERIODS = ("day", "week", "month", "quarter", "year")
# Pivot dimensions -> the filter dimension (URL name) of the same values; the time periods
# narrow the dates instead. A dimension the filters cannot take yet gives no drill.
PIVOT_DIMENSIONS = {
    "category": "category",
    "product": "product",
    "customer": "customer",
    "country": "country",
    "status": "status",
    "channel": "channel",
    "region": "region",
    "state": "state",
    "city": "city",
    "segment": "segment",
    "sub_category": "subcategory",
    "ship_mode": "ship_mode",
}
PIVOT_PERIODS = {"year": "year", "quarter": "quarter", "month": "month"}


class DrillError(ValueError):
    """A slice that cannot be shown as orders; the message says why."""


def period_range(kind: str, value: str) -> tuple[date, date]:
    """The first and last day of a clicked period: a day or week start as 2024-03-04, a month
    as 2024-03 (or its first day), a quarter as 2024-Q1, a year as 2024."""
    text = str(value).strip()
    try:
        if kind == "year":
            first = date(int(text[:4]), 1, 1) if len(text) in (4, 10) else None
        elif kind == "quarter" and "-Q" in text:
            year, q = text.split("-Q")
            first = date(int(year), 3 * int(q) - 2, 1) if 1 <= int(q) <= 4 else None
        elif kind == "quarter":  # a chart's period start, 2024-04-01
            first = date.fromisoformat(text[:10])
            first = first if first.day == 1 and first.month % 3 == 1 else None
        elif kind == "month":
            first = date(int(text[:4]), int(text[5:7]), 1) if len(text) in (7, 10) else None
        elif kind in ("day", "week"):
            first = date.fromisoformat(text[:10])
        else:
            raise DrillError(f"Unknown period {kind!r}; choose one of {', '.join(PERIODS)}")
    except (ValueError, TypeError):
        first = None
    if first is None:
        raise DrillError(f"Not a {kind}: {text!r}")
    last = first if kind == "day" else period_last_day(first, kind)
    return first, last


def slice_filters(
    conn: Connection,
    f: Filters,
    picks: Mapping[str, str | int],
    period: tuple[date, date] | None = None,
) -> Filters:
    """The orders behind one mark of a figure drawn under `f`: each picked dimension (URL name)
    set to its one value, the dates narrowed to `period`, cancelled orders left out unless the
    figure shows only them (Status = Cancelled)."""
    g = f
    for dim, value in picks.items():
        if dim not in DIMENSIONS:
            raise DrillError(f"Unknown dimension {dim!r}")
        if value is None or str(value) == "":
            raise DrillError(f"No {dim} to show orders of")
        if dim == "customer" and not (str(value).isascii() and str(value).isdigit()):
            raise DrillError(f"Not a customer id: {value!r}")
        if dim == "customer" and int(value) > MAX_ID:
            raise DrillError(f"Not a customer id: {value!r}")
        g = g.with_values(dim, [value])
    if period is not None:
        start = max(period[0], f.start) if f.start else period[0]
        end = min(period[1], f.end) if f.end else period[1]
        if start > end:
            raise DrillError("That period is outside the dates of the page")
        g = g.with_range(start, end)
    try:  # the same checks as a link's: a forged value is refused here too
        Filters.from_query(g.to_query())
    except FilterError as exc:
        raise DrillError(str(exc)) from None
    if g.statuses == (CANCELLED,):
        return g
    if g.statuses:
        return replace(g, statuses=tuple(s for s in g.statuses if s != CANCELLED))
    if _holds_cancelled(conn, g):
        return replace(g, statuses=LIVE_STATUSES)
    return g


def _holds_cancelled(conn: Connection, g: Filters) -> bool:
    stmt = select(orders.c.id).where(order_conditions(g), orders.c.status == CANCELLED).limit(1)
    return conn.execute(stmt).first() is not None


@dataclass(frozen=True)
class SliceFigures:
    """What a slice holds, as the figures count it: orders not cancelled and their revenue (or,
    under Status = Cancelled, every order of the slice)."""

    orders: int
    revenue_cents: int


def slice_figures(conn: Connection, g: Filters) -> SliceFigures:
    """Orders and revenue of a slice (slice_filters' answer), by the SPEC §3 definitions."""
    if g.statuses == (CANCELLED,):
        k = kpis(conn, replace(g, statuses=()))
        return SliceFigures(k.cancelled_orders, 0)
    k = kpis(conn, g)
    return SliceFigures(k.orders, k.revenue_cents)


def pivot_picks(
    dimension: str | None, label: str | None
) -> tuple[dict[str, str], tuple[date, date] | None]:
    """A pivot row or column label as (filter picks, period): "Chair (CHAIR)" -> product CHAIR,
    "Acme #3" -> customer 3, "2024-Q1" -> the first quarter of 2024. No dimension (a total):
    nothing picked."""
    if dimension is None or label is None:
        return {}, None
    if label == NONE_LABEL:
        raise DrillError("The orders without a value there cannot be picked out as a filter")
    if dimension in PIVOT_PERIODS:
        return {}, period_range(PIVOT_PERIODS[dimension], label)
    dim = PIVOT_DIMENSIONS.get(dimension)
    if dim is None or dim not in DIMENSIONS:
        raise DrillError(f"The order history cannot be filtered by {dimension!r} yet")
    value = label
    if dimension == "product":
        if not (label.endswith(")") and " (" in label):
            raise DrillError(f"Not a product of the pivot: {label!r}")
        value = label[: -len(")")].rsplit(" (", 1)[1]
    elif dimension == "customer":
        value = label.rsplit(" #", 1)[-1] if " #" in label else ""
    return {dim: value}, None
