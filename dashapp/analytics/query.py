"""Building blocks shared by the metric queries: the rollup planner and the distinct-customer
sums. Filters become SQL in dashapp.store.filtering; its functions and period_bucket are
imported here for the metric modules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Table,
    func,
    literal_column,
    select,
    true,
    union_all,
)

from dashapp.filters import Filters
from dashapp.store import grains
from dashapp.store.filtering import (
    date_conditions,
    line_conditions,
    needs_lines,
    rollup_conditions,
)
from dashapp.store.models import (
    ANY,
    CANCELLED,
    NO_PREVIOUS_DAY,
    ROLLUP_MODELS,
    Order,
    OrderLine,
    Product,
)
from dashapp.store.periods import as_date, next_period_start, period_bucket, period_last_day
from dashapp.store.reach import (
    PERIOD_COLUMNS,
    customer_days,
    customer_firsts,
    customer_reach,
    period_first_day,
)

lines = OrderLine.__table__
orders = Order.__table__
products = Product.__table__

NOT_CANCELLED = lines.c.status != CANCELLED


def data_bounds(conn: Connection, f: Filters | None = None) -> tuple[date | None, date | None]:
    """First and last order day (of the orders matching the non-date filters, if given)."""
    if f is None or f == Filters():
        # Two scalar subqueries: SQLite answers a lone min() or max() from the index in a few
        # steps, but min() and max() together in one SELECT scan the whole table.
        row = conn.execute(
            select(
                select(func.min(orders.c.order_date)).scalar_subquery(),
                select(func.max(orders.c.order_date)).scalar_subquery(),
            )
        )
    else:
        row = conn.execute(
            select(func.min(lines.c.order_date), func.max(lines.c.order_date)).where(
                line_conditions(f, dates=False)
            )
        )
    lo, hi = row.one()
    return as_date(lo), as_date(hi)


# --- Rollups (dashapp.store.grains) -------------------------------------------------------------
# The Overview queries read the rollups whenever the filters can be answered from them: dates,
# countries and at most one category (order and customer counts of two categories cannot be
# added up). Status, channel, customer and the Sales role's own-orders scope need the lines.
# Long ranges read whole months from the monthly tables and only the ragged ends from the daily
# ones; a range covering all the data reads the all-time per-customer and per-product totals.
# Which table holds which keys is asked of the grain declarations, never spelled here.

ALL = "all"  # the key of the all-time table in a family (grains.ALL_TIME)
_PERIODS = {grains.DAY: "day", grains.WEEK: "week", grains.MONTH: "month", grains.ALL_TIME: ALL}


def rollup(*keys: str, period: str | None = grains.DAY) -> Table:
    """The rollup table of this period keyed by exactly these keys (in any order)."""
    grain = grains.find(frozenset(keys), period)
    if grain is None:
        raise LookupError(f"no rollup of {period or 'all time'} is keyed by {sorted(keys)}")
    return ROLLUP_MODELS[grain.table_name].__table__


@cache
def family(*keys: str) -> Mapping[str, Table]:
    """{"day" / "week" / "month" / "all": table} of every period declared for these keys."""
    found = {}
    for period, name in _PERIODS.items():
        grain = grains.find(frozenset(keys), period)
        if grain is not None:
            found[name] = ROLLUP_MODELS[grain.table_name].__table__
    return MappingProxyType(found)


# Order-level totals, split by the keys a filter or an answer needs.
ORDER_KEYS = ("country",)
CATEGORY_KEYS = ("category", "country")
PRODUCT_KEYS = ("product_id", "category")
CUSTOMER_KEYS = ("customer_id", "country")

# The daily tables some modules read directly (anomalies, segments.rfm).
day_country = rollup(*ORDER_KEYS)
day_category_country = rollup(*CATEGORY_KEYS)
day_product = rollup(*PRODUCT_KEYS)
day_customer = rollup(*CUSTOMER_KEYS)
day_category_customer = rollup("category", *CUSTOMER_KEYS)


@dataclass(frozen=True)
class Source:
    """Rows to aggregate: a rollup table (or a union of them), or the order lines
    (on_lines), and the filters on them. dashapp.analytics.measures totals either."""

    table: FromClause
    where: ColumnElement[bool]
    on_lines: bool = False


def lines_source(f: Filters) -> Source:
    """The order lines matching every filter: what answers when no rollup can."""
    return Source(lines, line_conditions(f), on_lines=True)


def full_months(start: date | None, end: date | None) -> tuple[date | None, date | None] | None:
    """First days of the first and last whole calendar month inside [start, end] (None for an
    open end), or None when no whole month fits."""
    first = start if start is None or start.day == 1 else next_period_start(start, "month")
    last = None
    if end is not None:
        last = date(end.year, end.month, 1)
        if next_period_start(end, "month") != end + timedelta(days=1):
            last = date(last.year - (last.month == 1), (last.month - 2) % 12 + 1, 1)
    if first is not None and last is not None and first > last:
        return None
    return first, last


def full_weeks(start: date | None, end: date | None) -> tuple[date | None, date | None] | None:
    """Mondays of the first and last whole week (Monday to Sunday) inside [start, end] (None
    for an open end), or None when no whole week fits."""
    first = last = None
    if start is not None:
        first = start + timedelta(days=(7 - start.weekday()) % 7)
    if end is not None:
        last = end - timedelta(days=6 if end.weekday() == 6 else end.weekday() + 7)
    if first is not None and last is not None and first > last:
        return None
    return first, last


_FULL = {"month": full_months, "week": full_weeks}


def segments(start: date | None, end: date | None, periods: tuple[str, ...]) -> list[tuple]:
    """[start, end] as (period, first, last) pieces: whole periods of the coarsest kind that
    fits, then whole periods of the next kind in the ragged ends, and days for the rest. For a
    week or month, first and last are period start days; for "day", the days themselves."""
    if start is not None and end is not None and start > end:
        return []
    if not periods:
        return [("day", start, end)]
    span = _FULL[periods[0]](start, end)
    if span is None:
        return segments(start, end, periods[1:])
    first, last = span
    pieces = [(periods[0], first, last)]
    if first is not None and start is not None and start < first:
        pieces += segments(start, first - timedelta(days=1), periods[1:])
    if last is not None and end is not None:
        after = next_period_start(last, periods[0])
        if after <= end:
            pieces += segments(after, end, periods[1:])
    return pieces


MAX_LISTED_DAYS = 100


def period_days(period: str, first: date | None, last: date | None) -> list[date] | None:
    """The first days of the periods of a segments() piece, or None when an end is open or
    there are more than MAX_LISTED_DAYS of them."""
    if first is None or last is None:
        return None
    days, day = [], first
    while day <= last:
        if len(days) == MAX_LISTED_DAYS:
            return None
        days.append(day)
        day = next_period_start(day, period)
    return days


def _by_period(tables: dict[str, Table], f: Filters, periods: tuple[str, ...]) -> Source:
    """The rows of the coarsest tables that cover [start, end] exactly (see segments)."""
    day = tables["day"]
    pieces = segments(f.start, f.end, periods)
    if pieces == [("day", f.start, f.end)]:
        return Source(day, rollup_conditions(day, f))
    parts = []
    for period, first, last in pieces:
        table = tables[period]
        days = period_days(period, first, last)
        if days is not None:
            # The piece's days as a list: the index then seeks each day and goes on to the
            # category or country after it, where a range would scan every key of each day.
            on_dates = [table.c.order_date.in_(days)]
        else:
            # Exactly one lower and one upper bound: given two of either, SQLite ranges over
            # the first pair it sees and filters on the other, reading the whole range.
            on_dates = [
                *([table.c.order_date >= first] if first is not None else []),
                *([table.c.order_date <= last] if last is not None else []),
            ]
        parts.append(select(*table.c).where(rollup_conditions(table, f, dates=False), *on_dates))
    if not parts:
        return Source(day, rollup_conditions(day, f))
    return Source(union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery(), true())


def order_source(f: Filters, *, monthly: bool = True) -> Source | None:
    """Order-level totals for these filters, or None (read the lines). monthly=False when the
    answer is bucketed by day or week."""
    if needs_lines(f) or f.products or len(f.categories) > 1:
        return None
    keys = CATEGORY_KEYS if f.categories else ORDER_KEYS
    return _by_period(family(*keys), f, ("month",) if monthly else ())


def category_source(f: Filters, *, monthly: bool = True) -> Source | None:
    """Per-category totals (any number of categories), or None."""
    if needs_lines(f) or f.products:
        return None
    return _by_period(family(*CATEGORY_KEYS), f, ("month",) if monthly else ())


def covers_all_data(conn: Connection, f: Filters) -> bool:
    """Whether the date range takes in every order (so all-time totals answer it)."""
    if f.start is None and f.end is None:
        return True
    lo, hi = data_bounds(conn)
    if lo is None:
        return True
    return (f.start is None or f.start <= lo) and (f.end is None or f.end >= hi)


def customer_source(conn: Connection, f: Filters, *, by_day: bool = False) -> Source | None:
    """Per-customer rows for these filters (by_day: keep the day, for per-period counts)."""
    if needs_lines(f) or f.products or len(f.categories) > 1:
        return None
    tables = family(*(("category",) if f.categories else ()), *CUSTOMER_KEYS)
    if by_day:
        return Source(tables["day"], rollup_conditions(tables["day"], f))
    if covers_all_data(conn, f):
        return Source(tables[ALL], rollup_conditions(tables[ALL], f))
    return _by_period(tables, f, ("month", "week"))


def product_source(conn: Connection, f: Filters) -> Source | None:
    """Per-product rows (split by country when the filters name countries), or None."""
    if needs_lines(f):
        return None
    tables = family(*PRODUCT_KEYS, *(("country",) if f.countries else ()))
    if covers_all_data(conn, f):
        if ALL in tables:
            return Source(tables[ALL], rollup_conditions(tables[ALL], f))
        # No all-time table for these keys: every month, whatever the dates.
        return Source(tables["month"], rollup_conditions(tables["month"], f, dates=False))
    return _by_period(tables, f, ("month", "week"))


# --- Distinct customers as sums (dashapp.store.reach) --------------------------------------------

ReachKey = tuple[str, str]  # (category, country) of an activity chain; ANY for either


def reach_key(f: Filters) -> ReachKey | None:
    """The activity chains (category, country) that count the distinct customers for these
    filters, or None (two or more categories or countries, or a line-level filter)."""
    if needs_lines(f) or f.products or len(f.categories) > 1 or len(f.countries) > 1:
        return None
    category = f.categories[0] if f.categories else ANY
    country = f.countries[0] if f.countries else ANY
    if (f.categories and category == ANY) or (f.countries and country == ANY):
        return None  # a category or country spelled like the ANY key (never written by the app)
    return category, country


def _unindexed(conn: Connection, column):
    """The column as `+column` on SQLite: the same value, but not an index constraint, which
    steers the planner to the index the caller wants (statistics or not)."""
    if conn.dialect.name != "sqlite":
        return column
    return literal_column(f"+{column.table.name}.{column.name}", column.type)


def _first_links_in(conn: Connection, start: date | None, end: date | None) -> list:
    """Conditions picking, of the chain links, each customer's first active day in
    [start, end], phrased so SQLite reads whichever index is shorter."""
    t = customer_days
    lo, _ = data_bounds(conn)
    day, prev = t.c.order_date, t.c.prev_date
    if start is None or lo is None or start <= lo:
        # Nobody was active before the first order: every such link is a first-ever day, one
        # row per day in the index by previous day.
        conds = [prev == NO_PREVIOUS_DAY]
        if end is not None:
            conds.append(_unindexed(conn, day) <= end)
        return conds
    if (start - lo).days < ((end or start) - start).days:
        # A range that starts soon after the first order: few links come from before it.
        conds = [prev < start, _unindexed(conn, day) >= start]
        if end is not None:
            conds.append(_unindexed(conn, day) <= end)
        return conds
    conds = [day >= start, _unindexed(conn, prev) < start]
    if end is not None:
        conds.append(day <= end)
    return conds


def active_customers(conn: Connection, key: ReachKey, start: date | None, end: date | None) -> int:
    """Distinct customers with a non-cancelled order (in the key's category and country) in
    [start, end]: the chain links on a day in the range whose previous day lies before it."""
    t = customer_days
    stmt = select(func.coalesce(func.sum(t.c.customers), 0)).where(
        t.c.category == key[0], t.c.country == key[1], *_first_links_in(conn, start, end)
    )
    return int(conn.execute(stmt).scalar_one())


def active_customers_by_country(
    conn: Connection, category: str, countries: list[str], start: date | None, end: date | None
) -> dict[str, int]:
    """{country: distinct customers} as active_customers, for each of these countries (orders
    without a country have no chain: ask for ANY and it is left out)."""
    wanted = sorted(set(countries) - {ANY})
    if not wanted:
        return {}
    t = customer_days
    stmt = (
        select(t.c.country, func.sum(t.c.customers))
        .where(
            t.c.category == category, t.c.country.in_(wanted), *_first_links_in(conn, start, end)
        )
        .group_by(t.c.country)
    )
    return {c: int(n) for c, n in conn.execute(stmt)}


def new_customers(conn: Connection, key: ReachKey, start: date | None, end: date | None) -> int:
    """Customers active in the key's chain in [start, end] whose first-ever non-cancelled order
    (of any category and country) falls in it: first day of all >= start (so their first day
    in the chain is too) and first day in the chain <= end."""
    t = customer_firsts
    conds = [t.c.category == key[0], t.c.country == key[1]]
    if start is not None:
        conds.append(t.c.first_ever_date >= start)
    if end is not None:
        conds.append(t.c.first_date <= end)
    stmt = select(func.coalesce(func.sum(t.c.customers), 0)).where(*conds)
    return int(conn.execute(stmt).scalar_one())


def customers_per_period(
    conn: Connection, key: ReachKey, f: Filters, granularity: str
) -> dict[date, int]:
    """{period start: distinct customers} for the filter's date range, from the per-day reach
    sums; a period the range starts inside is counted from the range's first day."""
    r = customer_reach
    bucket = period_bucket(conn, r.c.order_date, granularity).label("period")
    conds = [r.c.category == key[0], r.c.country == key[1], *date_conditions(r.c.order_date, f)]
    stmt = select(bucket, func.sum(r.c[PERIOD_COLUMNS[granularity]])).where(*conds).group_by(bucket)
    counts = {as_date(period): int(n) for period, n in conn.execute(stmt)}
    if f.start and period_first_day(f.start, granularity) != f.start:
        first = period_first_day(f.start, granularity)
        ends = [f.end] if f.end else []
        last = min([period_last_day(first, granularity), *ends])
        n = active_customers(conn, key, f.start, last)
        if n:
            counts[first] = n
        else:
            counts.pop(first, None)
    return counts
