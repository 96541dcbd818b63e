"""New vs returning customers over time, and monthly cohort retention.

A customer is new in the period holding their first-ever non-cancelled order
(customers.first_order_date, kept by the write path) and returning in any later period they
order in. Both views honour every filter. New vs returning reads the distinct-customer sums
(dashapp.store.reach) when the filters allow, else one per-customer-per-period GROUP BY over
the order lines (8 s at 1M orders); the cohorts read the monthly and daily customer rollups.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    Integer,
    case,
    cast,
    distinct,
    extract,
    func,
    literal_column,
    select,
)

from dashapp.analytics.query import (
    CUSTOMER_KEYS,
    NOT_CANCELLED,
    as_date,
    customer_source,
    customers_per_period,
    data_bounds,
    day_category_customer,
    day_customer,
    family,
    full_months,
    line_conditions,
    lines,
    period_bucket,
    reach_key,
    rollup_conditions,
)
from dashapp.filters import Filters
from dashapp.store.models import Customer
from dashapp.store.periods import next_period_start, period_last_day
from dashapp.store.reach import customer_firsts, period_first_day

customers = Customer.__table__

MAX_COHORT_MONTHS = 120
RETENTION_COLUMNS = ["cohort", "months", "customers", "cohort_size", "share"]


def new_vs_returning(conn: Connection, f: Filters, granularity: str = "month") -> pd.DataFrame:
    """Per period: active customers, new ones (first-ever order in that period) and returning."""
    key = reach_key(f)
    if key is None or granularity == "day":
        return _new_vs_returning_lines(conn, f, granularity)
    counts = customers_per_period(conn, key, f, granularity)
    new = _new_per_period(conn, key, f, granularity)
    periods = sorted(p for p, n in counts.items() if n > 0)
    df = pd.DataFrame(
        {
            "period": periods,
            "new": [new.get(p, 0) for p in periods],
            "customers": [counts[p] for p in periods],
        },
        columns=["period", "new", "customers"],
    )
    df = df.astype({"customers": "int64", "new": "int64"})
    df["returning"] = df["customers"] - df["new"]
    return df[["period", "new", "returning", "customers"]]


def _new_per_period(conn: Connection, key, f: Filters, granularity: str) -> dict[date, int]:
    """{period start: customers whose first-ever order lies in the period and who are active
    in the key's chain within the period and the range}, from rollup_customer_firsts.

    A customer first-ever ordering on day a (>= the range start) whose first day in the chain
    is b (>= a) is active in [a's period start, its end or the range end] exactly when b lies
    on or before that end. The customers of a period the range starts inside who first ordered
    before the range start are not in the table's terms: that one period is counted from the
    daily customer rollups, over its days in the range."""
    t = customer_firsts
    conds = [t.c.category == key[0], t.c.country == key[1]]
    if f.start is not None:
        conds.append(t.c.first_ever_date >= f.start)
    if f.end is not None:
        conds.append(t.c.first_date <= f.end)
    stmt = (
        select(t.c.first_ever_date, t.c.first_date, func.sum(t.c.customers))
        .where(*conds)
        .group_by(t.c.first_ever_date, t.c.first_date)
    )
    new: dict[date, int] = {}
    ends: dict[date, date] = {}
    for ever, first, n in conn.execute(stmt):
        ever, first = as_date(ever), as_date(first)
        period = period_first_day(ever, granularity)
        if period not in ends:
            last = period_last_day(period, granularity)
            ends[period] = min(last, f.end) if f.end else last
        if first <= ends[period]:
            new[period] = new.get(period, 0) + int(n)
    if f.start is not None and period_first_day(f.start, granularity) != f.start:
        first_period = period_first_day(f.start, granularity)
        last = period_last_day(first_period, granularity)
        window = f.with_range(f.start, min(last, f.end) if f.end else last)
        new[first_period] = _new_in(conn, window, first_period)
    return new


def _new_in(conn: Connection, window: Filters, period_start: date) -> int:
    """Customers with a non-cancelled order under `window` (dates, country, one category: the
    daily customer rollups) whose first-ever order lies in [period_start, window end]."""
    day = day_category_customer if window.categories else day_customer
    stmt = (
        select(func.count(distinct(day.c.customer_id)))
        .join_from(day, customers, day.c.customer_id == customers.c.id)
        .where(
            day.c.orders > 0,
            rollup_conditions(day, window),
            customers.c.first_order_date >= period_start,
            customers.c.first_order_date <= window.end,
        )
    )
    return int(conn.execute(stmt).scalar_one())


def _new_vs_returning_lines(conn: Connection, f: Filters, granularity: str) -> pd.DataFrame:
    """new_vs_returning from the order lines (any filters)."""
    bucket = period_bucket(conn, lines.c.order_date, granularity)
    active = (
        select(bucket.label("period"), lines.c.customer_id)
        .where(line_conditions(f), NOT_CANCELLED)
        .group_by(bucket, lines.c.customer_id)
        .subquery("active")
    )
    first = period_bucket(conn, customers.c.first_order_date, granularity)
    new = func.sum(case((first == active.c.period, 1), else_=0))
    stmt = (
        select(active.c.period, func.count(), new)
        .join_from(active, customers, active.c.customer_id == customers.c.id)
        .group_by(active.c.period)
        .order_by(active.c.period)
    )
    df = pd.DataFrame(
        [tuple(row) for row in conn.execute(stmt)], columns=["period", "customers", "new"]
    )
    df["period"] = df["period"].map(as_date)
    df = df.astype({"customers": "int64", "new": "int64"})
    df["returning"] = df["customers"] - df["new"]
    return df[["period", "new", "returning", "customers"]]


def cohort_retention(conn: Connection, f: Filters, max_months: int = 12) -> pd.DataFrame:
    """Per first-purchase month and months since: customers ordering again, and their share.

    A cohort is the customers whose first-ever order month has a matching order under `f`
    (without filters: everyone who started that month). Months after the period end are
    left out rather than shown as 0 %, since nobody could have ordered in them yet.
    """
    if not isinstance(max_months, int) or not 0 <= max_months <= MAX_COHORT_MONTHS:
        raise ValueError(f"max_months must be a whole number 0-{MAX_COHORT_MONTHS}")
    if customer_source(conn, f) is None or "" in f.countries:  # no rollup keeps country ''
        counts = _line_cohort_counts(conn, f, max_months)
    else:
        counts = _rollup_cohort_counts(conn, f, max_months)
    end = f.end or data_bounds(conn)[1]
    return _retention_frame(counts, end, max_months)


def _line_cohort_counts(conn: Connection, f: Filters, max_months: int) -> dict:
    """{(cohort, months since): customers} from the order lines (any filters)."""
    month = _month_index(lines.c.order_date)
    key = _customer_key(conn)
    activity = (
        select(key.label("customer_id"), month.label("month"))
        .where(line_conditions(f), NOT_CANCELLED)
        .group_by(key, month)
        .cte("activity")
    )
    cohort = _month_index(customers.c.first_order_date)
    members = (
        select(activity.c.customer_id, cohort.label("cohort"))
        .join_from(activity, customers, activity.c.customer_id == customers.c.id)
        .where(activity.c.month == cohort)
        .subquery("members")
    )
    offset = activity.c.month - members.c.cohort
    stmt = (
        select(members.c.cohort, offset, func.count())
        .join_from(members, activity, members.c.customer_id == activity.c.customer_id)
        .where(offset.between(0, max_months))
        .group_by(members.c.cohort, offset)
    )
    return {(int(c), int(m)): int(n) for c, m, n in conn.execute(stmt)}


def _rollup_cohort_counts(conn: Connection, f: Filters, max_months: int) -> dict:
    """{(cohort, months since): customers} from the customer rollups: each customer's active
    months are their rows of the monthly table for the whole months of the range and of the
    daily table for its ragged ends. Up to one row per customer and month (750k at 1M orders,
    10 s as a GROUP BY over the lines): read straight off the driver and counted in numpy."""
    tables = family(*(("category",) if f.categories else ()), *CUSTOMER_KEYS)
    parts = []

    def rows(table, lo: date | None, hi: date | None):
        conds = [table.c.orders > 0, rollup_conditions(table, f, dates=False)]
        if lo is not None:
            conds.append(table.c.order_date >= lo)
        if hi is not None:
            conds.append(table.c.order_date <= hi)
        return select(table.c.customer_id, _month_index(table.c.order_date)).where(*conds)

    months = full_months(f.start, f.end)
    if months is None:
        parts.append(rows(tables["day"], f.start, f.end))
    else:
        first, last = months
        parts.append(rows(tables["month"], first, last))
        if f.start is not None and first != f.start:
            parts.append(rows(tables["day"], f.start, first - timedelta(days=1)))
        if f.end is not None and last is not None:
            tail = next_period_start(last, "month")
            if tail <= f.end:
                parts.append(rows(tables["day"], tail, f.end))
    found = [_int_pairs(conn, stmt) for stmt in parts]
    pairs = np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)
    if not len(pairs):
        return {}
    cohort = _int_pairs(
        conn,
        select(customers.c.id, _month_index(customers.c.first_order_date)).where(
            customers.c.first_order_date.is_not(None)
        ),
    )
    cohort_of = np.full(max(int(pairs[:, 0].max()), int(cohort[:, 0].max(initial=0))) + 1, -1)
    cohort_of[cohort[:, 0]] = cohort[:, 1]
    # One (customer, month) however many countries the customer ordered to in the month.
    span = int(pairs[:, 1].max()) + 1
    keys, _ = _sorted_counts(pairs[:, 0] * span + pairs[:, 1])
    customer, month = keys // span, keys % span
    start = cohort_of[customer]
    # A cohort: the customers active (under the filters) in their first-ever order's month.
    members, _ = _sorted_counts(customer[month == start])
    offset = month - start
    keep = np.isin(customer, members) & (offset >= 0) & (offset <= max_months)
    cells, counts = _sorted_counts(start[keep] * (max_months + 1) + offset[keep])
    return {
        (int(cell // (max_months + 1)), int(cell % (max_months + 1))): int(n)
        for cell, n in zip(cells, counts, strict=True)
    }


def _sorted_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, ascending, and how often each occurs: a sort and a diff, a third
    of np.unique's time (which hashes) on 750k integers."""
    ordered = np.sort(values)
    if not len(ordered):
        return ordered, ordered
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return ordered[starts], np.diff(np.r_[starts, len(ordered)])


def _int_pairs(conn: Connection, stmt) -> np.ndarray:
    """The two integer columns of `stmt` as an (n, 2) array, read through the driver's cursor
    (SQLAlchemy's rows cost twice the query for a million of them)."""
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        data = cursor.fetchall()
    finally:
        cursor.close()
    return np.array(data, dtype=np.int64).reshape(-1, 2)


def _month_index(column):
    """Months since year 0 (year x 12 + month - 1), the same on SQLite and PostgreSQL."""
    # Literal numbers, not bound parameters, so the GROUP BY expression is the selected one.
    year, month = cast(extract("year", column), Integer), cast(extract("month", column), Integer)
    return year * literal_column("12") + month - literal_column("1")


def _customer_key(conn: Connection):
    """lines.customer_id as a grouping key; on SQLite an expression, so that the planner scans
    the table rather than walking ix_lines_customer_date with a table lookup per line."""
    if conn.dialect.name == "sqlite":
        return lines.c.customer_id + literal_column("0")
    return lines.c.customer_id


def _retention_frame(counts: dict[tuple[int, int], int], end: date | None, max_months: int):
    """Fill the observed months without orders with 0, so the matrix shows real gaps."""
    if not counts or end is None:
        dtypes = {"cohort": "object", "share": "float64"}
        return pd.DataFrame(
            {c: pd.Series([], dtype=dtypes.get(c, "int64")) for c in RETENTION_COLUMNS}
        )
    last = end.year * 12 + end.month - 1
    rows = []
    for cohort in sorted({c for c, _ in counts}):
        size = counts.get((cohort, 0), 0)
        for months in range(0, min(max_months, last - cohort) + 1):
            active = counts.get((cohort, months), 0)
            start = date(cohort // 12, cohort % 12 + 1, 1)
            rows.append((start, months, active, size, active / size if size else 0.0))
    return pd.DataFrame(rows, columns=RETENTION_COLUMNS)
