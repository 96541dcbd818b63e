"""Which targets a page shows: those whose scope the page's filters show exactly (no filter:
the business; one category; a sales user's own view: that user), for the month and quarter
holding the view's last day; and the revenue target spread over the trend's periods."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import Connection

from dashapp.analytics.kpis import resolve_range
from dashapp.auth import Account
from dashapp.filters import Filters
from dashapp.store.periods import period_last_day
from dashapp.targets.periods import MONTH
from dashapp.targets.progress import NOT_STARTED, Progress, progress
from dashapp.targets.records import StoredTarget, list_targets


def scope_of_view(f: Filters) -> tuple[str, str] | None:
    """(scope, key) of the orders the filters show, when a target can be for exactly them;
    None when the filters narrow further (a country, a product, two categories, a status...)."""
    if f.products or f.countries or f.customers or f.statuses or f.channels:
        return None
    if f.states or f.cities or f.segments or f.subcategories or f.ship_modes:
        return None
    narrowed = [d for d in (f.categories, f.regions) if d] + ([1] if f.created_by else [])
    if len(narrowed) > 1 or len(f.categories) > 1 or len(f.regions) > 1:
        return None
    if f.created_by:
        return "user", f.created_by
    if f.categories:
        return "category", f.categories[0]
    if f.regions:
        return "region", f.regions[0]
    return "business", ""


def view_targets(
    conn: Connection, account: Account | None, f: Filters, start: date, end: date
) -> list[StoredTarget]:
    """The targets of the view's scope, the account may see, of periods overlapping
    [start, end]."""
    scope = scope_of_view(f)
    if scope is None:
        return []
    return list_targets(conn, account, start=start, end=end, scope=scope[0], key=scope[1])


@dataclass(frozen=True)
class ViewProgress:
    """The targets of a view on its last day: their progress (month first, then quarter;
    revenue, orders, profit), the day, and the scope shown (None: the filters match no
    scope a target can have)."""

    as_of: date | None
    scope: tuple[str, str] | None
    rows: tuple[Progress, ...]


_ORDER = {"revenue": 0, "orders": 1, "profit": 2}


def view_progress(
    conn: Connection, account: Account | None, f: Filters, as_of: date | None
) -> ViewProgress:
    """Progress of the view's targets for the month and the quarter holding `as_of`."""
    scope = scope_of_view(f)
    if as_of is None or scope is None:
        return ViewProgress(as_of, scope, ())
    found = view_targets(conn, account, f, as_of, as_of)
    found.sort(key=lambda t: (t.period != MONTH, _ORDER[t.metric]))
    return ViewProgress(as_of, scope, tuple(progress(conn, t, as_of) for t in found))


MAX_LISTED = 500  # the Targets page's grid and report list at most this many


def listed_progress(
    conn: Connection, account: Account | None, limit: int = MAX_LISTED
) -> tuple[date | None, list[Progress]]:
    """Every target the account may see, newest period first (at most `limit`), with its
    progress to the last day with orders (the Targets page's grid); that day, None (and
    every target "not started") when there are no orders."""
    found = list_targets(conn, account)[:limit]
    last_day = resolve_range(conn, Filters()).end
    if last_day is None:
        return None, [_not_started(t) for t in found]
    return last_day, [progress(conn, t, last_day) for t in found]


def _not_started(t: StoredTarget) -> Progress:
    days = (t.end - t.start).days + 1
    return Progress(t, t.start, 0, days, None, None, None, NOT_STARTED)


def target_per_period(
    found: Sequence[StoredTarget],
    periods: Sequence[date],
    granularity: str,
    start: date | None = None,
    end: date | None = None,
) -> list[int | None]:
    """Per trend period (its first day; the view's [start, end] clips the first and last), the
    revenue target of its days in cents: each day carries its month's target / days in the
    month (a quarter's where no month has one), so a month's bucket holds its monthly target.
    None where a day of the period has no target."""
    per_day: dict[date, Fraction] = {}
    revenue = [t for t in found if t.metric == "revenue"]
    # Quarters first, so a month's own target overwrites its share of the quarter's.
    for t in sorted(revenue, key=lambda t: t.period == MONTH):
        days = (t.end - t.start).days + 1
        day = t.start
        while day <= t.end:
            per_day[day] = Fraction(t.amount, days)
            day += timedelta(days=1)
    out: list[int | None] = []
    for first in periods:
        last = period_last_day(first, granularity)
        lo = max(first, start) if start else first
        hi = min(last, end) if end else last
        total, day, covered = Fraction(0), lo, True
        while day <= hi:
            if day not in per_day:
                covered = False
                break
            total += per_day[day]
            day += timedelta(days=1)
        out.append(_half_up(total) if covered and lo <= hi else None)
    return out


def _half_up(x: Fraction) -> int:
    return int((x * 2 + 1) // 2) if x >= 0 else -int((-x * 2 + 1) // 2)
