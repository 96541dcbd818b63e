"""Calendar periods of a date range: every period in it (empty ones included), which of them
the range or the data only partly covers, and a granularity that gives a range enough points.

A chart drawn from per-period totals is only honest when an empty period shows as zero (not as
a straight line between its neighbours) and a period holding five days of a month says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashapp.store.periods import MONTHS_PER_PERIOD, next_period_start, period_last_day
from dashapp.store.reach import period_first_day

# Finest first: a range too short for its granularity steps down this list.
ORDERED = ("day", "week", "month", "quarter", "year")
# Fewer points than this and a line says little: "Last 90 days" by month is 4 points, 2 partial.
MIN_POINTS = 5


def period_starts(start: date, end: date, granularity: str) -> list[date]:
    """The first day of every period that holds a day of [start, end], in order."""
    out, day = [], period_first_day(start, granularity)
    while day <= end:
        out.append(day)
        day = next_period_start(day, granularity)
    return out


def count_periods(start: date, end: date, granularity: str) -> int:
    """How many periods hold a day of [start, end] (without listing 7,000 days)."""
    if granularity == "day":
        return (end - start).days + 1
    if granularity == "week":
        return (period_first_day(end, "week") - period_first_day(start, "week")).days // 7 + 1
    first, last = period_first_day(start, granularity), period_first_day(end, granularity)
    months = (last.year - first.year) * 12 + last.month - first.month
    return months // MONTHS_PER_PERIOD[granularity] + 1


def fitting_granularity(granularity: str, start: date | None, end: date | None) -> str:
    """`granularity`, or the coarsest finer one that gives the range MIN_POINTS periods."""
    if start is None or end is None or granularity not in ORDERED:
        return granularity
    index = ORDERED.index(granularity)
    while index > 0 and count_periods(start, end, ORDERED[index]) < MIN_POINTS:
        index -= 1
    return ORDERED[index]


def fill_periods(
    df: pd.DataFrame, start: date, end: date, granularity: str, by: str | None = None
) -> pd.DataFrame:
    """`df` (a "period" column of first days, numbers in the rest) with a zero row for every
    period of [start, end] it lacks, per value of `by` when given; sorted by period."""
    periods = period_starts(start, end, granularity)
    numbers = [c for c in df.columns if c not in ("period", by)]
    if by is None:
        full = pd.DataFrame({"period": periods})
    else:
        keys = list(dict.fromkeys(df[by]))
        full = pd.DataFrame([(p, k) for k in keys for p in periods], columns=["period", by]).astype(
            {by: df[by].dtype}
        )
    on = ["period"] if by is None else ["period", by]
    out = full.merge(df, on=on, how="left")
    out[numbers] = out[numbers].fillna(0)
    out = out.astype({c: df[c].dtype for c in numbers})
    return out.sort_values(on if by is None else [by, "period"]).reset_index(drop=True)


@dataclass(frozen=True)
class Coverage:
    """The days of one period that a chart's numbers cover: [first, last] of [start, end]."""

    start: date  # the period's first day
    end: date  # the period's last day
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def full_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def partial(self) -> bool:
        return self.first > self.start or self.last < self.end

    def note(self, granularity: str) -> str:
        """What a hover says about a partial period ("" for a whole one)."""
        if not self.partial or granularity == "day":
            return ""
        days = f"{_span(self.first, self.last)}, {self.days} of {self.full_days} days"
        if self.first == self.start:
            return f"{granularity} to date ({days})"
        return f"partial {granularity} ({days})"


def _span(first: date, last: date) -> str:
    """5 Feb, 12–31 Jan, 27 Nov–3 Dec."""
    if first == last:
        return first.strftime("%-d %b")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last:%-d %b}"
    return f"{first:%-d %b}–{last:%-d %b}"


def coverage(start: date, end: date, granularity: str) -> list[Coverage]:
    """Per period of [start, end]: the days of it inside the range."""
    out = []
    for first in period_starts(start, end, granularity):
        last = period_last_day(first, granularity)
        out.append(Coverage(first, last, max(first, start), min(last, end)))
    return out


def observed_range(
    start: date | None, end: date | None, bounds: tuple[date | None, date | None]
) -> tuple[date | None, date | None]:
    """The part of [start, end] that can hold orders: clipped to the data's first and last day
    (`bounds`, of the whole store), so a month the data starts or stops inside counts as partial.
    """
    lo, hi = bounds
    if lo is None or hi is None:
        return start, end
    first = lo if start is None else max(start, lo)
    last = hi if end is None else min(end, hi)
    if first > last:
        return start, end
    return first, last
