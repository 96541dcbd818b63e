"""Per-period series as the charts draw them: every period of the range (an empty one is a zero,
not a ramp between its neighbours), the granularity that gives the range enough points, which
periods are only partly covered, and comparisons of the same days (SPEC §3: incomplete periods
are marked and compared like for like)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Connection

from dashapp.analytics import breakdowns
from dashapp.analytics.kpis import only_cancelled, resolve_range
from dashapp.analytics.periods import (
    Coverage,
    coverage,
    fill_periods,
    fitting_granularity,
    observed_range,
)
from dashapp.analytics.query import data_bounds
from dashapp.filters import Filters
from dashapp.store.periods import period_last_day
from dashapp.store.reach import period_first_day


@dataclass(frozen=True)
class Series:
    """A per-period frame over the observed part of a range (clipped to the data's first and
    last day), with the granularity used and each period's coverage, row by row."""

    filters: Filters  # the date range resolved ("all" filled from the data)
    asked: str  # the granularity the user chose
    granularity: str  # the one used: finer when the asked one gives too few points
    frame: pd.DataFrame
    covered: list[Coverage] = field(default_factory=list)

    def notes(self) -> dict[date, str]:
        """{period start: "month to date (...)"} of the partly covered periods."""
        return {c.start: c.note(self.granularity) for c in self.covered if c.note(self.granularity)}

    def partial(self, periods) -> list[bool]:
        """Per period in `periods`: whether only part of it is covered."""
        notes = self.notes()
        return [p in notes for p in periods]


def series_of(conn: Connection, f: Filters, asked: str, fixed: str | None, read) -> Series:
    """Resolve the range, pick the granularity (`fixed`, or a fitting one for `asked`), read
    the frame with `read(filters, granularity)` and fill its empty periods with zeros."""
    f = resolve_range(conn, f)
    if not (f.start and f.end):
        gran = fixed or asked
        return Series(f, asked, gran, read(f, gran).iloc[0:0])
    gran = fixed or fitting_granularity(asked, f.start, f.end)
    first, last = observed_range(f.start, f.end, data_bounds(conn))
    frame = read(f, gran)
    by = "category" if "category" in frame.columns else None
    frame = frame[(frame["period"] >= period_first_day(first, gran)) & (frame["period"] <= last)]
    if not frame.empty:  # an empty answer stays empty: the chart then says what to do
        frame = fill_periods(frame, first, last, gran, by=by)
    return Series(f, asked, gran, frame, coverage(first, last, gran))


def sales_series(
    conn: Connection, f: Filters, granularity: str, *, customers: bool = True, fixed: bool = False
) -> Series:
    """breakdowns.sales_over_time with every period of the range (fixed: keep `granularity`)."""

    def read(g: Filters, gran: str) -> pd.DataFrame:
        return breakdowns.sales_over_time(conn, g, gran, customers=customers)

    return series_of(conn, f, granularity, granularity if fixed else None, read)


def category_series(conn: Connection, f: Filters, granularity: str) -> Series:
    """breakdowns.category_over_time with every period for each category that has revenue."""

    def read(g: Filters, gran: str) -> pd.DataFrame:
        return breakdowns.category_over_time(conn, g, gran)

    return series_of(conn, f, granularity, None, read)


@dataclass(frozen=True)
class Comparison:
    """Revenue of `days` [first, last] against the same number of days earlier [before_first,
    before_last]."""

    first: date
    last: date
    revenue_cents: int
    before_first: date
    before_last: date
    before_cents: int


def same_days_before(series: Series, previous_daily: pd.DataFrame, shift: int) -> pd.DataFrame:
    """Per period of `series`: revenue of the same days `shift` days earlier (the previous range
    of equal length), with those days as a label: partial periods compare like for like."""
    daily = dict(zip(previous_daily["period"], previous_daily["revenue_cents"], strict=True))
    rows = []
    for c in series.covered:
        a, b = c.first - timedelta(days=shift), c.last - timedelta(days=shift)
        total = sum(v for d, v in daily.items() if a <= d <= b)
        label = day_span(a, b)
        rows.append((c.start, int(total), label))
    return pd.DataFrame(rows, columns=["period", "revenue_cents", "label"])


def day_span(a: date, b: date) -> str:
    """1–5 Nov 2026, 28 Nov–4 Dec 2026, 28 Dec 2025–3 Jan 2026, or one day."""
    if a == b:
        return a.strftime("%-d %b %Y")
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b:%-d %b %Y}"
    if a.year == b.year:
        return f"{a:%-d %b}–{b:%-d %b %Y}"
    return f"{a:%-d %b %Y}–{b:%-d %b %Y}"


def cancelled_series(conn: Connection, f: Filters, granularity: str, *, fixed: bool = False):
    """breakdowns.cancelled_over_time with every period of the range: the value of the
    cancelled orders as revenue_cents, for a page filtered on Status = Cancelled."""

    def read(g: Filters, gran: str) -> pd.DataFrame:
        return breakdowns.cancelled_over_time(conn, g, gran)

    return series_of(conn, f, granularity, granularity if fixed else None, read)


def _revenue_or_cancelled(conn: Connection, g: Filters, granularity: str) -> pd.DataFrame:
    if only_cancelled(g):
        return breakdowns.cancelled_over_time(conn, g, granularity)
    return breakdowns.sales_over_time(conn, g, granularity, customers=False)


def revenue_trend(conn: Connection, f: Filters, granularity: str):
    """(Series of revenue, the same days one range earlier per period, and the last period's
    days against the same days of the period before it when the last is partial).

    With Status = Cancelled, revenue is none by definition: the cancelled orders' value is
    drawn instead (only_cancelled)."""
    series = series_of(
        conn, f, granularity, None, lambda g, gran: _revenue_or_cancelled(conn, g, gran)
    )
    g = series.filters
    if not (g.start and g.end) or not series.covered:
        return series, pd.DataFrame(columns=["period", "revenue_cents", "label"]), None
    shift = (g.end - g.start).days + 1
    before = _revenue_or_cancelled(
        conn, g.with_range(g.start - timedelta(days=shift), g.end - timedelta(days=shift)), "day"
    )
    previous = (
        same_days_before(series, before, shift)
        if not before.empty
        else pd.DataFrame(columns=["period", "revenue_cents", "label"])
    )
    return series, previous, to_date_comparison(conn, series)


def to_date_comparison(conn: Connection, series: Series) -> Comparison | None:
    """The last period, when it is a period to date (its first days only), against the same
    days of the period before it: 1-5 December against 1-5 November."""
    last = series.covered[-1]
    if series.granularity == "day" or not last.partial or last.first != last.start:
        return None
    before_start = period_first_day(last.start - timedelta(days=1), series.granularity)
    before_end = min(
        before_start + timedelta(days=last.days - 1),
        period_last_day(before_start, series.granularity),
    )
    g = series.filters
    now, then = (
        _revenue_or_cancelled(conn, g.with_range(a, b), "year")
        for a, b in ((last.first, last.last), (before_start, before_end))
    )
    return Comparison(
        last.first,
        last.last,
        int(now["revenue_cents"].sum()),
        before_start,
        before_end,
        int(then["revenue_cents"].sum()),
    )
