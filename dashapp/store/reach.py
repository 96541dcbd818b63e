"""Distinct customers of any date range as a sum, kept exact with every write.

A customer's active days (days with a non-cancelled order; per category: days with a
non-cancelled line in it) form a chain. The customers active in [a, b] are exactly the chain
links whose day lies in [a, b] and whose previous active day lies before a (or is none): each
active customer has one such link, its first active day in the range. So rollup_customer_days
counts links per (category, day, previous day), and

    customers active in [a, b] = sum(customers) where a <= order_date <= b and prev_date < a

reads a few rows per day instead of every (day, customer) pair with a DISTINCT, which grows
with the orders (SPEC §8). rollup_customer_reach adds up, per day, the links whose previous day
lies before the day's week, month, quarter or year: per-period distinct customers as plain sums.

A write changes only the chains of the customers it touches: `apply` recomputes their links from
the daily customer rollups before and after the change and adds the difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import (
    Connection,
    Date,
    and_,
    case,
    delete,
    except_,
    func,
    insert,
    literal,
    select,
    union_all,
)

from dashapp.store.models import (
    ANY,
    NO_PREVIOUS_DAY,
    RollupCustomerDays,
    RollupCustomerReach,
    RollupDayCategoryCustomer,
    RollupDayCustomer,
)

customer_days = RollupCustomerDays.__table__
customer_reach = RollupCustomerReach.__table__
_day_customer = RollupDayCustomer.__table__
_day_category_customer = RollupDayCategoryCustomer.__table__

TABLE_NAMES = (customer_days.name, customer_reach.name)
PERIOD_COLUMNS = {
    "day": "customers",
    "week": "first_in_week",
    "month": "first_in_month",
    "quarter": "first_in_quarter",
    "year": "first_in_year",
}
_CHUNK = 500


def _links(customer_ids: list[int] | None = None):
    """SELECT category, country, order_date, prev_date, customers: the chain links of these
    customers (all customers when None), counted per (chain key, day, previous day).

    Four chains per customer: over all orders (category and country ANY), per category, per
    order country, and per category and country. Orders without a country (stored as "" by the
    daily rollups) only join the chains over any country."""
    dc, dcc = _day_customer, _day_category_customer
    parts = []
    for table, by_category in ((dc, False), (dcc, True)):
        for by_country in (False, True):
            category = table.c.category if by_category else literal(ANY)
            country = table.c.country if by_country else literal(ANY)
            conds = [table.c.orders > 0]
            # A category or country spelled like the ANY key would merge two chains: such
            # lines (which the app never writes) stay out, and their filters read the lines.
            if by_category:
                conds.append(table.c.category != ANY)
            if by_country:
                conds.append(table.c.country != ANY)
            if customer_ids is not None:
                conds.append(table.c.customer_id.in_(customer_ids))
            # One link per customer and day, whatever the rows it is split into.
            keys = [
                *([table.c.category] if by_category else []),
                *([table.c.country] if by_country else []),
                table.c.customer_id,
                table.c.order_date,
            ]
            parts.append(
                select(
                    category.label("category"),
                    country.label("country"),
                    table.c.customer_id,
                    table.c.order_date,
                )
                .where(*conds)
                .group_by(*keys)
            )
    days = union_all(*parts).subquery()
    prev = func.lag(days.c.order_date, type_=Date).over(
        partition_by=(days.c.category, days.c.country, days.c.customer_id),
        order_by=days.c.order_date,
    )
    linked = select(
        days.c.category,
        days.c.country,
        days.c.order_date,
        func.coalesce(prev, literal(NO_PREVIOUS_DAY, Date), type_=Date).label("prev_date"),
    ).subquery()
    keys = [linked.c.category, linked.c.country, linked.c.order_date, linked.c.prev_date]
    return select(*keys, func.count().label("customers")).group_by(*keys)


def _reach(conn: Connection, where=None):
    """SELECT the rollup_customer_reach columns summed from rollup_customer_days."""
    from dashapp.analytics.query import period_bucket

    t = customer_days
    firsts = [
        func.sum(
            case(
                (t.c.prev_date < period_bucket(conn, t.c.order_date, period), t.c.customers),
                else_=0,
            )
        ).label(column)
        for period, column in PERIOD_COLUMNS.items()
        if period != "day"
    ]
    keys = [t.c.category, t.c.country, t.c.order_date]
    stmt = select(*keys, func.sum(t.c.customers).label("customers"), *firsts)
    if where is not None:
        stmt = stmt.where(where)
    return stmt.group_by(*keys)


_REACH_COLUMNS = ["category", "country", "order_date", *PERIOD_COLUMNS.values()]
_DAYS_COLUMNS = ["category", "country", "order_date", "prev_date", "customers"]


def rebuild(conn: Connection) -> dict[str, int]:
    """Recompute both tables from the daily customer rollups (which must be exact)."""
    conn.execute(delete(customer_days))
    conn.execute(insert(customer_days).from_select(_DAYS_COLUMNS, _links()))
    conn.execute(delete(customer_reach))
    conn.execute(insert(customer_reach).from_select(_REACH_COLUMNS, _reach(conn)))
    return {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
        for t in (customer_days, customer_reach)
    }


def links_of(conn: Connection, customer_ids: Iterable[int]) -> Counter:
    """{(category, country, day, previous day): customers} for these customers' chains."""
    ids = sorted(set(customer_ids))
    found: Counter = Counter()
    for i in range(0, len(ids), _CHUNK):
        for cat, country, day, prev, n in conn.execute(_links(ids[i : i + _CHUNK])):
            found[(cat, country, _as_date(day), _as_date(prev))] += n
    return found


def apply(conn: Connection, before: Counter, after: Counter) -> None:
    """Change both tables by the links `after` minus `before` (of the same customers)."""
    change = {k: after.get(k, 0) - before.get(k, 0) for k in before.keys() | after.keys()}
    change = {k: n for k, n in change.items() if n}
    if not change:
        return
    t = customer_days
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(t)
    stmt = stmt.on_conflict_do_update(
        index_elements=["category", "country", "order_date", "prev_date"],
        set_={"customers": t.c.customers + stmt.excluded.customers},
    )
    rows = [
        {"category": c, "country": k, "order_date": d, "prev_date": p, "customers": n}
        for (c, k, d, p), n in sorted(change.items())
    ]
    conn.execute(stmt, rows)
    days: dict[tuple[str, str], set[date]] = {}
    for c, k, d, _ in change:
        days.setdefault((c, k), set()).add(d)
    r = customer_reach
    for (category, country), dates in sorted(days.items()):
        dates = sorted(dates)
        for i in range(0, len(dates), _CHUNK):
            chunk = dates[i : i + _CHUNK]
            on_days = and_(
                t.c.category == category, t.c.country == country, t.c.order_date.in_(chunk)
            )
            conn.execute(delete(t).where(on_days, t.c.customers <= 0))
            conn.execute(
                delete(r).where(
                    r.c.category == category, r.c.country == country, r.c.order_date.in_(chunk)
                )
            )
            conn.execute(insert(r).from_select(_REACH_COLUMNS, _reach(conn, on_days)))


def mismatches(conn: Connection) -> dict[str, tuple[int, int]]:
    """{table: (rows missing or different, rows extra or different)} against a recomputation
    from the daily customer rollups; empty when both tables are exact."""
    found = {}
    for table, expected, columns in (
        (customer_days, _links(), _DAYS_COLUMNS),
        (customer_reach, _reach(conn), _REACH_COLUMNS),
    ):
        stored = select(*[table.c[c] for c in columns])
        missing = _count(conn, except_(expected, stored))
        extra = _count(conn, except_(stored, expected))
        if missing or extra:
            found[table.name] = (missing, extra)
    return found


def _count(conn: Connection, compound) -> int:
    return conn.execute(select(func.count()).select_from(compound.subquery())).scalar_one()


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
