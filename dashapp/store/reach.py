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
from dataclasses import dataclass
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
    RollupCustomerFirsts,
    RollupCustomerReach,
    RollupDayCategoryCustomer,
    RollupDayCustomer,
)

customer_days = RollupCustomerDays.__table__
customer_reach = RollupCustomerReach.__table__
customer_firsts = RollupCustomerFirsts.__table__
_day_customer = RollupDayCustomer.__table__
_day_category_customer = RollupDayCategoryCustomer.__table__

TABLE_NAMES = (customer_days.name, customer_reach.name, customer_firsts.name)
PERIOD_COLUMNS = {
    "day": "customers",
    "week": "first_in_week",
    "month": "first_in_month",
    "quarter": "first_in_quarter",
    "year": "first_in_year",
}
_CHUNK = 500


def _chain_days(customer_ids: list[int] | None = None):
    """Subquery (category, country, customer_id, order_date): each active day of each chain of
    these customers (all customers when None), once.

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
    return union_all(*parts).subquery()


def _links(customer_ids: list[int] | None = None):
    """SELECT category, country, order_date, prev_date, customers: the chain links of these
    customers (all customers when None), counted per (chain key, day, previous day)."""
    days = _chain_days(customer_ids)
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


def _firsts(customer_ids: list[int] | None = None):
    """SELECT category, country, first_ever_date, first_date, customers: these customers (all
    when None) counted per chain by their first day in it and their first day of all."""
    days = _chain_days(customer_ids)
    keys = [days.c.category, days.c.country, days.c.customer_id]
    per_chain = select(*keys, func.min(days.c.order_date).label("first_date")).group_by(*keys)
    per_chain = per_chain.subquery()
    # The ANY chain's first day is each customer's earliest day in any chain.
    ever = func.min(per_chain.c.first_date).over(partition_by=per_chain.c.customer_id)
    firsts = select(
        per_chain.c.category,
        per_chain.c.country,
        ever.label("first_ever_date"),
        per_chain.c.first_date,
    ).subquery()
    keys = [firsts.c.category, firsts.c.country, firsts.c.first_ever_date, firsts.c.first_date]
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
_FIRSTS_COLUMNS = ["category", "country", "first_ever_date", "first_date", "customers"]


def rebuild(conn: Connection, tables: Iterable[str] = TABLE_NAMES) -> dict[str, int]:
    """Recompute these tables from the daily customer rollups (which must be exact)."""
    counts = {}
    if customer_days.name in tables:
        conn.execute(delete(customer_days))
        conn.execute(insert(customer_days).from_select(_DAYS_COLUMNS, _links()))
    if customer_reach.name in tables:  # summed from customer_days
        conn.execute(delete(customer_reach))
        conn.execute(insert(customer_reach).from_select(_REACH_COLUMNS, _reach(conn)))
    if customer_firsts.name in tables:
        counts |= rebuild_firsts(conn)
    for t in (customer_days, customer_reach):
        if t.name in tables:
            counts[t.name] = conn.execute(select(func.count()).select_from(t)).scalar_one()
    return counts


def rebuild_firsts(conn: Connection) -> dict[str, int]:
    """Recompute rollup_customer_firsts from the daily customer rollups."""
    t = customer_firsts
    conn.execute(delete(t))
    conn.execute(insert(t).from_select(_FIRSTS_COLUMNS, _firsts()))
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()}


@dataclass
class Chains:
    """Some customers' chain links and firsts, each {key: customers}."""

    links: Counter
    firsts: Counter


def links_of(conn: Connection, customer_ids: Iterable[int]) -> Chains:
    """The links {(category, country, day, previous day): customers} and firsts {(category,
    country, first day of all, first day in the chain): customers} of these customers."""
    ids = sorted(set(customer_ids))
    found = Chains(Counter(), Counter())
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        for cat, country, day, prev, n in conn.execute(_links(chunk)):
            found.links[(cat, country, _as_date(day), _as_date(prev))] += n
        for cat, country, ever, first, n in conn.execute(_firsts(chunk)):
            found.firsts[(cat, country, _as_date(ever), _as_date(first))] += n
    return found


def _upsert_counts(conn: Connection, table, columns: list[str], change: dict) -> None:
    """Add change {key tuple: n} to table's customers, then drop the rows that fell to 0."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    keys = columns[:-1]
    stmt = dialect_insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=keys,
        set_={"customers": table.c.customers + stmt.excluded.customers},
    )
    rows = [{**dict(zip(keys, k, strict=True)), "customers": n} for k, n in sorted(change.items())]
    conn.execute(stmt, rows)


def _difference(before: Counter, after: Counter) -> dict:
    change = {k: after.get(k, 0) - before.get(k, 0) for k in before.keys() | after.keys()}
    return {k: n for k, n in change.items() if n}


def apply(conn: Connection, before: Chains, after: Chains) -> None:
    """Change the tables by `after` minus `before` (of the same customers)."""
    firsts = _difference(before.firsts, after.firsts)
    if firsts:
        f = customer_firsts
        _upsert_counts(conn, f, _FIRSTS_COLUMNS, firsts)
        for (category, country, ever, first), n in firsts.items():
            if n > 0:
                continue  # only a decrease can empty a row
            conn.execute(
                delete(f).where(
                    f.c.category == category,
                    f.c.country == country,
                    f.c.first_ever_date == ever,
                    f.c.first_date == first,
                    f.c.customers <= 0,
                )
            )
    change = _difference(before.links, after.links)
    if not change:
        return
    t = customer_days
    _upsert_counts(conn, t, _DAYS_COLUMNS, change)
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
        (customer_firsts, _firsts(), _FIRSTS_COLUMNS),
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
