"""The top customers or products of a date range without adding up every one's range total.

Ranking every customer of a 90-day range means forming ~100k totals at 10M orders (389 ms on
SQLite), and ranking products ~10k. But the ranking only needs the best few, and purchases are
skewed: the threshold algorithm (Fagin, Lotem and Naor, 2001) finds them from a few rows per
month.

Each month the range touches has its per-customer rows (the monthly grain keyed by customer
and country; per product: by product and category; for all the data, the all-time totals) in
an index by the ranked measure (declared with the grains, dashapp.store.grains).
Reading those lists from the top down, in step, every customer met gets its exact range total
(an index search per customer). A customer not met yet has, in each month, rows no bigger than
the last value read from that month's list: its range total is at most

    threshold = most rows one customer has per month * sum of those values

(a customer's rows are one per order country; a product's one per category it was sold
under), because money and units are never negative. Once the limit-th best exact total is
above the threshold, nobody not met can enter the ranking, and the answer is exact. With no
skew (a flat spread) the lists run deep, and after MAX_DEPTH rows per month the ranking falls
back to adding up every one (the plain aggregate).

Returns break that bound: with a return (a line of negative units and amount) a month's row is
net of it, and the days of a range that ends inside the month can add up to more than the
month's row. So while any order not cancelled holds a return, the ranking is the plain
aggregate (`has_returns`, a look at the small monthly country rollup).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select, union_all

from dashapp.analytics.measures import ORDERS, RETURNED_UNITS, RETURNS, REVENUE, UNITS, live_rows
from dashapp.analytics.query import (
    ALL,
    CUSTOMER_KEYS,
    ORDER_KEYS,
    PRODUCT_KEYS,
    covers_all_data,
    family,
    period_days,
    segments,
)
from dashapp.filters import Filters
from dashapp.store.filtering import needs_lines
from dashapp.store.periods import next_period_start

MAX_DEPTH = 4096  # rows read per month list before falling back to the plain aggregate
FIRST_BATCH = 64
MEASURES = {"revenue": REVENUE.name, "units": UNITS.name}
TOTALS = (REVENUE, UNITS, ORDERS)  # each id's range totals, in this order


@dataclass(frozen=True)
class Ranking:
    key: str  # the ranked id column
    split: str  # the other key column of a row (several rows per id and month)
    tables: dict  # day / week / month rollups
    totals: object  # the all-time rollup (its rows per id bound the rows per id and month)


def _ranking(keys: tuple[str, str]) -> Ranking:
    """The ranking of the first key's ids, split by the second, from its declared rollups."""
    tables = family(*keys)
    return Ranking(keys[0], keys[1], {p: tables[p] for p in ("day", "week", "month")}, tables[ALL])


CUSTOMERS = _ranking(CUSTOMER_KEYS)
PRODUCTS = _ranking(PRODUCT_KEYS)


def applies(conn: Connection, f: Filters) -> bool:
    """Whether the threshold algorithm answers these filters: a closed date range or all the
    data, over all categories and countries (the lists are of all of them)."""
    if needs_lines(f) or f.products or f.categories or f.countries:
        return False
    if covers_all_data(conn, f):
        return True
    return f.start is not None and f.end is not None and f.start <= f.end


def has_returns(conn: Connection) -> bool:
    """Whether any order not cancelled holds a return: then some per-id rows may be negative,
    and the threshold is no bound (the plain aggregate ranks instead)."""
    t = family(*ORDER_KEYS)["month"]
    stmt = select(t.c.country).where((t.c[RETURNS.name] < 0) | (t.c[RETURNED_UNITS.name] < 0))
    return conn.execute(stmt.limit(1)).first() is not None


def top_totals(
    conn: Connection,
    ranking: Ranking,
    f: Filters,
    limit: int,
    by: str,
    *,
    batch: int = FIRST_BATCH,
) -> list[tuple[int, int, int, int]] | None:
    """[(id, revenue_cents, units, orders)] of the `limit` best ids by `by` (ties by id), or
    None when the lists ran past MAX_DEPTH or some order holds a return (use the aggregate)."""
    if has_returns(conn):
        return None
    measure = MEASURES[by]
    # One list per month the range touches; for all the data, the all-time totals' one list.
    all_data = covers_all_data(conn, f)
    months = [None] if all_data else _touched_months(f.start, f.end)
    per_id_rows = _most_rows_per_id(conn, ranking)
    exact: dict[int, tuple[int, int, int]] = {}
    depth = 0
    while True:
        lowest, exhausted, met = [], 0, set()
        for month in months:
            rows = _list_rows(conn, ranking, month, measure, depth, batch)
            met.update(customer for customer, _ in rows)
            if len(rows) < batch:
                exhausted += 1
                lowest.append(0)
            else:
                lowest.append(rows[-1][1])
        new = sorted(met - exact.keys())
        exact.update(_range_totals(conn, ranking, None if all_data else f, new))
        depth += batch
        ranked = sorted(exact.items(), key=lambda kv: (-kv[1][_POSITION[by]], kv[0]))
        if exhausted == len(months):
            break
        threshold = per_id_rows * sum(lowest)
        if len(ranked) >= limit and ranked[limit - 1][1][_POSITION[by]] > threshold:
            break
        if depth >= MAX_DEPTH:
            return None
        batch *= 2
    return [(c, *totals) for c, totals in ranked[:limit]]


_POSITION = {"revenue": 0, "units": 1}


def _touched_months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = next_period_start(month, "month")
    return months


# (database, table) -> (data version, most rows per id): a scan of every id's rows (45 ms for
# 100k customers) is needed again only after a write.
_ROWS_PER_ID: dict[tuple[str, str], tuple[str, int]] = {}


def _most_rows_per_id(conn: Connection, ranking: Ranking) -> int:
    """The most rows one id has in the all-time totals (countries a customer ordered to,
    categories a product was sold under): at least its most rows in one month's list."""
    from dashapp.store.version import data_version

    t = ranking.totals
    where = (conn.engine.url.render_as_string(hide_password=True), t.name)
    version = data_version(conn)  # read first: a write after it only makes the entry stale
    known = _ROWS_PER_ID.get(where)
    if known is not None and known[0] == version:
        return known[1]
    stmt = (
        select(func.count().label("n"))
        .select_from(t)
        .group_by(t.c[ranking.key])
        .order_by(func.count().desc())
        .limit(1)
    )
    most = int(conn.execute(stmt).scalar() or 1)
    _ROWS_PER_ID[where] = (version, most)
    return most


def _list_rows(
    conn: Connection, ranking: Ranking, month: date | None, measure: str, offset: int, count: int
) -> list:
    """(id, value) of one month's list (None: the all-time totals'), best first, rows
    offset.. offset + count."""
    t = ranking.totals if month is None else ranking.tables["month"]
    key, split = t.c[ranking.key], t.c[ranking.split]
    stmt = (
        select(key, t.c[measure])
        .where(*([] if month is None else [t.c.order_date == month]))
        .order_by(t.c[measure].desc(), key.desc(), split.desc())
        .offset(offset)
        .limit(count)
    )
    return [(int(c), int(v)) for c, v in conn.execute(stmt)]


def _range_totals(conn: Connection, ranking: Ranking, f: Filters | None, ids: list[int]) -> dict:
    """{id: (revenue_cents, units, orders)} over [f.start, f.end] (None: all the data) for
    these ids (only those with an order in the range appear)."""
    found: dict[int, tuple[int, int, int]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        parts = []
        if f is None:
            t = ranking.totals
            key = t.c[ranking.key]
            parts.append(
                select(key.label("id"), *(t.c[m.name] for m in TOTALS)).where(
                    key.in_(chunk), live_rows(t)
                )
            )
        for period, first, last in [] if f is None else segments(f.start, f.end, ("month", "week")):
            t = ranking.tables[period]
            days = period_days(period, first, last)
            on_dates = (
                [t.c.order_date.in_(days)]
                if days is not None
                else [t.c.order_date >= first, t.c.order_date <= last]
            )
            key = t.c[ranking.key]
            parts.append(
                select(key.label("id"), *(t.c[m.name] for m in TOTALS)).where(
                    *on_dates, key.in_(chunk), live_rows(t)
                )
            )
        rows = union_all(*parts).subquery()
        stmt = select(rows.c.id, *(m.over_rollup(rows) for m in TOTALS)).group_by(rows.c.id)
        for id_, revenue, units, n in conn.execute(stmt):
            found[int(id_)] = (int(revenue), int(units), int(n))
    return found
