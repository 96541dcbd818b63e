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

A write changes only the chains of the customers it touches: `links_of` works their links out
in Python from their rows of the daily customer rollups (one read before the change, one after)
and `apply` adds the difference to the three tables with prepared executemany statements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial

import numpy as np
from sqlalchemy import (
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    case,
    delete,
    except_,
    func,
    insert,
    literal,
    literal_column,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dashapp.store.db import prepared
from dashapp.store.models import (
    ANY,
    NO_PREVIOUS_DAY,
    RollupCustomerDays,
    RollupCustomerFirsts,
    RollupCustomerReach,
    RollupDayCategoryCustomer,
    RollupDayCustomer,
)
from dashapp.store.periods import period_bucket

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
    return union_all(*_chain_day_parts(customer_ids)).subquery()


def _chain_day_parts(customer_ids: list[int] | None = None, ordered: bool = False) -> list:
    """The SELECTs of `_chain_days`, one per kind of chain, the first over all orders;
    `ordered`: each in chain order (its chain key, customer, day)."""
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
            part = (
                select(
                    category.label("category"),
                    country.label("country"),
                    table.c.customer_id,
                    table.c.order_date,
                )
                .where(*conds)
                .group_by(*keys)
            )
            parts.append(part.order_by(*keys) if ordered else part)
    return parts


def _links(customer_ids: list[int] | None = None, days=None):
    """SELECT category, country, order_date, prev_date, customers: the chain links of these
    customers (all customers when None), counted per (chain key, day, previous day); `days`:
    the chains' days already worked out (`_chain_days`)."""
    days = _chain_days(customer_ids) if days is None else days
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


def _firsts(customer_ids: list[int] | None = None, days=None):
    """SELECT category, country, first_ever_date, first_date, customers: these customers (all
    when None) counted per chain by their first day in it and their first day of all; `days`
    as in `_links`."""
    days = _chain_days(customer_ids) if days is None else days
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
_CHAIN_COLUMNS = ["category", "country", "customer_id", "order_date"]


def rebuild(conn: Connection, tables: Iterable[str] = TABLE_NAMES) -> dict[str, int]:
    """Recompute these tables from the daily customer rollups (which must be exact).

    The chains' active days are worked out once into a temporary table that both the links
    and the firsts read; the per-period sums read each day's period starts from a calendar
    (dates functions per row were most of their time on SQLite)."""
    wanted = [t for t in (customer_days, customer_firsts) if t.name in tables]
    for t in wanted:
        conn.execute(delete(t))
    if wanted and conn.dialect.name == "sqlite":
        _rebuild_chains_in_row_order(conn, wanted)
    elif wanted:
        days = _chain_days_table()
        days.create(conn)
        conn.execute(insert(days).from_select(list(days.c.keys()), _chain_days()))
        if customer_days in wanted:
            conn.execute(insert(customer_days).from_select(_DAYS_COLUMNS, _links(days=days)))
        if customer_firsts in wanted:
            conn.execute(insert(customer_firsts).from_select(_FIRSTS_COLUMNS, _firsts(days=days)))
        days.drop(conn)
    if customer_reach.name in tables:  # summed from customer_days
        conn.execute(delete(customer_reach))
        calendar = _calendar(conn)
        if calendar is not None:
            conn.execute(
                insert(customer_reach).from_select(_REACH_COLUMNS, _reach_by_calendar(calendar))
            )
            calendar.drop(conn)
    return {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
        for t in (customer_days, customer_reach, customer_firsts)
        if t.name in tables
    }


def _chain_days_table() -> Table:
    """A temporary table of `_chain_days`, keyed in chain order (PostgreSQL's rebuild)."""
    return Table(
        "rebuild_chain_days",
        MetaData(),
        Column("category", String(100), primary_key=True),
        Column("country", String(100), primary_key=True),
        Column("customer_id", Integer, primary_key=True, autoincrement=False),
        Column("order_date", Date, primary_key=True),
        prefixes=["TEMPORARY"],
    )


def _rebuild_chains_in_row_order(conn: Connection, wanted: list[Table]) -> None:
    """SQLite: fill the wanted tables from `_chains_in_row_order` over every customer."""
    with _chains_in_row_order(conn) as (links, firsts):
        if customer_days in wanted:
            # Each link added into the table's own B-tree (an upsert): half the time of
            # sorting them for a GROUP BY, as few links share a key.
            add = sqlite_insert(customer_days).from_select(_DAYS_COLUMNS, links)
            add = add.on_conflict_do_update(
                index_elements=_DAYS_COLUMNS[:4],
                set_={"customers": customer_days.c.customers + add.excluded.customers},
            )
            conn.execute(add)
        if customer_firsts in wanted:
            conn.execute(insert(customer_firsts).from_select(_FIRSTS_COLUMNS, firsts))


@contextmanager
def _chains_in_row_order(conn: Connection, customer_ids=None, sign: int = 1) -> Iterator:
    """SQLite: yields two SELECTs over the chains of these customers (a SELECT of ids; None:
    all), a row per link (category, country, order_date, prev_date, `sign`) and the firsts
    counted (category, country, first_ever_date, first_date, `sign` x customers).

    The chains' days go into a rowid table in chain order (each part of `_chain_day_parts`
    sorted, appended in turn), so a day's previous one in its chain is the row before it,
    found by rowid: a third of the time of lag() over the same rows, which SQLite runs
    through a temporary table of its own. The first day of all of a customer is the first
    of the chain over all orders (every other chain's days are some of its days)."""
    days = Table(
        "chain_days_in_order",
        MetaData(),
        Column("seq", Integer, primary_key=True),  # the rowid: one more per row inserted
        Column("category", String(100)),
        Column("country", String(100)),
        Column("customer_id", Integer),
        Column("order_date", Date),
        prefixes=["TEMPORARY"],
    )
    days.create(conn)
    for part in _chain_day_parts(customer_ids, ordered=True):
        conn.execute(insert(days).from_select(_CHAIN_COLUMNS, part))
    day, before = days.alias("day"), days.alias("before")
    same_chain = and_(*(before.c[k] == day.c[k] for k in ("category", "country", "customer_id")))
    prev = case((same_chain, before.c.order_date), else_=None)
    adjacent = day.outerjoin(before, before.c.seq == day.c.seq - 1)
    prev_date = func.coalesce(prev, literal(NO_PREVIOUS_DAY, Date), type_=Date)
    # WHERE true: SQLite needs it to parse INSERT ... SELECT ... ON CONFLICT.
    links = (
        select(day.c.category, day.c.country, day.c.order_date, prev_date, literal(sign))
        .select_from(adjacent)
        .where(true())
    )
    first_day = select(day.c.category, day.c.country, day.c.customer_id, day.c.order_date)
    first_day = first_day.select_from(adjacent).where(prev.is_(None))
    ever = Table(
        "chain_first_days",
        MetaData(),
        Column("customer_id", Integer, primary_key=True, autoincrement=False),
        Column("order_date", Date),
        prefixes=["TEMPORARY"],
    )
    ever.create(conn)
    over_all = first_day.where(day.c.category == ANY, day.c.country == ANY)
    over_all = over_all.with_only_columns(day.c.customer_id, day.c.order_date)
    conn.execute(insert(ever).from_select(["customer_id", "order_date"], over_all))
    firsts = first_day.subquery()
    keys = [firsts.c.category, firsts.c.country, ever.c.order_date, firsts.c.order_date]
    counted = (
        select(*keys, func.count() * sign)
        .select_from(firsts.join(ever, ever.c.customer_id == firsts.c.customer_id))
        .group_by(*keys)
    )
    yield links, counted
    ever.drop(conn)
    days.drop(conn)


def _calendar(conn: Connection, days=None) -> Table | None:
    """A temporary table of every day from the first to the last of the column `days` (the
    daily customer rollup's days when None) with the first day of its week, month, quarter and
    year (period_first_day); None when there are no days."""
    days = _day_customer.c.order_date if days is None else days
    first, last = conn.execute(select(func.min(days), func.max(days))).one()
    if first is None:
        return None
    periods = [p for p in PERIOD_COLUMNS if p != "day"]
    calendar = Table(
        "rebuild_calendar",
        MetaData(),
        Column("day", Date, primary_key=True),
        *(Column(p, Date) for p in periods),
        prefixes=["TEMPORARY"],
    )
    calendar.create(conn)
    first, last = _as_date(first), _as_date(last)
    days = (date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1))
    conn.execute(
        insert(calendar),
        [{"day": d, **{p: period_first_day(d, p) for p in periods}} for d in days],
    )
    return calendar


def _reach_by_calendar(calendar: Table, t: Table = customer_days):
    """`_reach` of `t` (rollup_customer_days, or a change of it), with each day's period
    starts read from the calendar."""
    firsts = [
        func.sum(case((t.c.prev_date < calendar.c[period], t.c.customers), else_=0)).label(column)
        for period, column in PERIOD_COLUMNS.items()
        if period != "day"
    ]
    keys = [t.c.category, t.c.country, t.c.order_date]
    return (
        select(*keys, func.sum(t.c.customers).label("customers"), *firsts)
        .select_from(t.join(calendar, calendar.c.day == t.c.order_date))
        .group_by(*keys)
    )


@dataclass
class Chains:
    """Some customers' chain links and firsts, each {key: customers}."""

    links: Counter
    firsts: Counter


_ids = bindparam("ids", expanding=True)
_dc, _dcc = _day_customer, _day_category_customer
_ACTIVE_DAYS = select(_dc.c.customer_id, _dc.c.order_date, _dc.c.country).where(
    _dc.c.customer_id.in_(_ids), _dc.c.orders > 0
)
_ACTIVE_CATEGORY_DAYS = select(
    _dcc.c.customer_id, _dcc.c.order_date, _dcc.c.category, _dcc.c.country
).where(_dcc.c.customer_id.in_(_ids), _dcc.c.orders > 0)


def links_of(conn: Connection, customer_ids: Iterable[int]) -> Chains:
    """The links {(category, country, day, previous day): customers} and firsts {(category,
    country, first day of all, first day in the chain): customers} of these customers: the
    Python twin of `_links` and `_firsts`, from the customers' rows of the daily rollups."""
    ids = sorted(set(customer_ids))
    chains: dict[tuple[int, str, str], set[date]] = {}
    for i in range(0, len(ids), _CHUNK):
        params = {"ids": ids[i : i + _CHUNK]}
        for customer, day, country in conn.execute(_ACTIVE_DAYS, params):
            _join(chains, customer, ANY, country, _as_date(day))
        for customer, day, category, country in conn.execute(_ACTIVE_CATEGORY_DAYS, params):
            # A category spelled like the ANY key stays out, as in _chain_days.
            if category != ANY:
                _join(chains, customer, category, country, _as_date(day))
    found = Chains(Counter(), Counter())
    first_ever: dict[int, date] = {}
    for (customer, _, _), days in chains.items():
        first = min(days)
        if customer not in first_ever or first < first_ever[customer]:
            first_ever[customer] = first
    for (customer, category, country), days in chains.items():
        prev = NO_PREVIOUS_DAY
        for day in sorted(days):
            found.links[(category, country, day, prev)] += 1
            prev = day
        found.firsts[(category, country, first_ever[customer], min(days))] += 1
    return found


def _join(chains: dict, customer: int, category: str, country: str, day: date) -> None:
    """Put an active day into the customer's chain over any country and, when the row has a
    country (not spelled like the ANY key), into that country's chain."""
    chains.setdefault((customer, category, ANY), set()).add(day)
    if country != ANY:
        chains.setdefault((customer, category, country), set()).add(day)


def _add_counts_statement(table, dialect: str):
    """INSERT a key's change of customers, or add it to the row there (built once)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(table)
    keys = [c.name for c in table.primary_key.columns]
    measures = [c.name for c in table.columns if c.name not in keys]
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={m: table.c[m] + stmt.excluded[m] for m in measures}
    )


def _drop_empty_statement(table, _dialect: str):
    """DELETE a key's row once no customer is left in it (built once)."""
    keys = [c.name for c in table.primary_key.columns]
    same_key = [table.c[k] == bindparam(f"key_{k}") for k in keys]
    return delete(table).where(and_(*same_key), table.c.customers <= literal_column("0"))


def _add_counts(conn: Connection, table, columns: list[str], change: dict) -> None:
    """Add change {key tuple: measure or measures} to the table, then drop the rows it emptied
    (their customers fell to 0)."""
    if not change:
        return
    keys = columns[: len(next(iter(change)))]
    measures = columns[len(keys) :]
    rows = []
    emptied = []
    for key, values in sorted(change.items()):
        values = values if isinstance(values, list) else [values]
        rows.append(dict(zip((*keys, *measures), (*key, *values), strict=True)))
        if values[0] < 0:  # customers: only a decrease can empty a row
            emptied.append({f"key_{k}": v for k, v in zip(keys, key, strict=True)})
    prepared(conn, ("reach add", table.name), partial(_add_counts_statement, table)).run(conn, rows)
    if emptied:
        drop = prepared(conn, ("reach drop", table.name), partial(_drop_empty_statement, table))
        drop.run(conn, emptied)


def _difference(before: Counter, after: Counter) -> dict:
    change = {k: after.get(k, 0) - before.get(k, 0) for k in before.keys() | after.keys()}
    return {k: n for k, n in change.items() if n}


def period_first_day(day: date, period: str) -> date:
    """The first day of the week (Monday), month, quarter or year holding `day`, in Python
    (analytics.query.period_bucket in SQL)."""
    if period == "week":
        return date.fromordinal(day.toordinal() - day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if period == "year":
        return date(day.year, 1, 1)
    return day


def apply(conn: Connection, before: Chains, after: Chains) -> None:
    """Change the tables by `after` minus `before` (of the same customers)."""
    firsts = _difference(before.firsts, after.firsts)
    if firsts:
        _add_counts(conn, customer_firsts, _FIRSTS_COLUMNS, firsts)
    change = _difference(before.links, after.links)
    if not change:
        return
    _add_counts(conn, customer_days, _DAYS_COLUMNS, change)
    # rollup_customer_reach is a sum of rollup_customer_days per day (see _reach): the same
    # change, summed per day, with each link in the periods its previous day lies before.
    periods = [p for p in PERIOD_COLUMNS if p != "day"]
    reach: dict[tuple[str, str, date], list[int]] = {}
    for (category, country, day, prev), n in change.items():
        row = reach.setdefault((category, country, day), [0] * (1 + len(periods)))
        row[0] += n
        for i, period in enumerate(periods, start=1):
            if prev < period_first_day(day, period):
                row[i] += n
    _add_counts(conn, customer_reach, _REACH_COLUMNS, {k: v for k, v in reach.items() if any(v)})


def _count_table(name: str, keys: list[str]) -> Table:
    """A temporary heap of (key..., customers) rows: a bulk change's counts."""
    return Table(
        name,
        MetaData(),
        *(Column(k, Date if k.endswith("date") else String(100)) for k in keys),
        Column("customers", Integer),
        prefixes=["TEMPORARY"],
    )


class BulkChange:
    """The activity chains of many customers moved set-based, the twin of `links_of` and
    `apply` for a bulk write: the customers' links and firsts are counted (negated) before
    the change into temporary tables, counted again after it (`finish`), and the sum, the
    difference, added to the three tables.

        chains = BulkChange(conn, customers)  # a table with a customer_id column
        ...  # change those customers' rows of the daily customer rollups
        chains.finish()
    """

    def __init__(self, conn: Connection, customers: Table) -> None:
        self.conn = conn
        self.ids = select(customers.c.customer_id)
        self.links = _count_table("bulk_links", _DAYS_COLUMNS[:4])
        self.firsts = _count_table("bulk_firsts", _FIRSTS_COLUMNS[:4])
        self.links.create(conn)
        self.firsts.create(conn)
        self._count(-1)

    def _count(self, sign: int) -> None:
        conn = self.conn
        if conn.dialect.name == "sqlite":
            with _chains_in_row_order(conn, self.ids, sign) as (links, firsts):
                conn.execute(insert(self.links).from_select(_DAYS_COLUMNS, links))
                conn.execute(insert(self.firsts).from_select(_FIRSTS_COLUMNS, firsts))
            return
        days = _chain_days_table()
        days.create(conn)
        conn.execute(insert(days).from_select(list(days.c.keys()), _chain_days(self.ids)))
        for table, rows, columns in (
            (self.links, _links(days=days), _DAYS_COLUMNS),
            (self.firsts, _firsts(days=days), _FIRSTS_COLUMNS),
        ):
            rows = rows.subquery()
            signed = [*(rows.c[c] for c in columns[:-1]), rows.c.customers * sign]
            conn.execute(insert(table).from_select(columns, select(*signed)))
        days.drop(conn)

    def finish(self) -> None:
        """Count the chains as they are now, and add the difference to the tables."""
        conn = self.conn
        self._count(1)
        changes = {}
        for counts, columns in ((self.links, _DAYS_COLUMNS), (self.firsts, _FIRSTS_COLUMNS)):
            changed = _count_table(f"{counts.name}_change", columns[:4])
            changed.create(conn)
            keys = [counts.c[c] for c in columns[:4]]
            total = func.sum(counts.c.customers)
            summed = select(*keys, total).group_by(*keys).having(total != 0)
            conn.execute(insert(changed).from_select(columns, summed))
            changes[counts.name] = changed
            counts.drop(conn)
        days, firsts = changes[self.links.name], changes[self.firsts.name]
        _add_rows(conn, customer_days, _DAYS_COLUMNS, select(days).where(true()))
        _add_rows(conn, customer_firsts, _FIRSTS_COLUMNS, select(firsts).where(true()))
        # rollup_customer_reach is a sum of rollup_customer_days per day (see _reach): the
        # same change, summed per day, each link in the periods its previous day lies before
        # (the period starts from a calendar of the change's days, as in `rebuild`).
        calendar = _calendar(conn, days.c.order_date)
        if calendar is not None:
            per_day = _reach_by_calendar(calendar, days).where(true())
            _add_rows(conn, customer_reach, _REACH_COLUMNS, per_day)
            calendar.drop(conn)
        for table, changed in (
            (customer_days, days),
            (customer_reach, days),
            (customer_firsts, firsts),
        ):
            # Rows no customer is left in go, as `_add_counts` drops them: only where some
            # count went down (for the reach rows: a link of that day).
            key = [c.name for c in table.primary_key.columns]
            touched = select(*(changed.c[k] for k in key)).where(changed.c.customers < 0)
            conn.execute(
                delete(table).where(
                    tuple_(*(table.c[k] for k in key)).in_(touched), table.c.customers <= 0
                )
            )
        days.drop(conn)
        firsts.drop(conn)


def _add_rows(conn: Connection, table: Table, columns: list[str], rows) -> None:
    """INSERT the rows of a SELECT (its columns in `columns` order), or add each one's
    counts to the row of its key already there."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        dialect_insert = sqlite_insert
    keys = [c.name for c in table.primary_key.columns]
    stmt = dialect_insert(table).from_select(columns, rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=keys,
        set_={c: table.c[c] + stmt.excluded[c] for c in columns if c not in keys},
    )
    conn.execute(stmt)


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


@dataclass(frozen=True)
class ActiveDays:
    """Active days as arrays, one entry per (customer, day, category, country) with a
    non-cancelled line (repeats allowed): what the daily customer rollups hold with orders > 0,
    for a bulk writer that has the lines in memory (the demo load)."""

    customer_id: np.ndarray  # int
    day: np.ndarray  # datetime64[D]
    category: np.ndarray  # int, index into category_names
    country: np.ndarray  # int, index into country_names ('' for an order without one)
    category_names: Sequence[str]
    country_names: Sequence[str]


def chain_columns(active: ActiveDays) -> dict[str, dict[str, np.ndarray]] | None:
    """The three tables' rows worked out from `active` with numpy, as column arrays per table
    name, each table's rows in its primary-key order (dates as ISO text): the twin of `rebuild`
    for a bulk load, whose SQL took a third of a 1M-order demo load (sorting and upserting
    5.6M chain days and links row by row). None when the keys do not pack into 63 bits.

    Each chain's days are sorted once as packed integers (chain key, customer, day): a day's
    previous one is the entry before it; the links, firsts and per-period sums are counts over
    further packed keys (np.unique). The chains are those of `_chain_day_parts`: over all
    orders, per category, per country and per both, a category or country spelled like the
    ANY key staying out of its chains."""
    if len(active.day) == 0:
        return {t.name: {} for t in (customer_days, customer_reach, customer_firsts)}
    cat_keys, cat_code = _ranked(active.category_names, active.category)
    cty_keys, cty_code = _ranked(active.country_names, active.country)
    customer = active.customer_id.astype(np.int64)
    lowest_customer = int(customer.min())
    customer = customer - lowest_customer
    day = active.day.astype("datetime64[D]").astype(np.int64)
    first_day = int(day.min())
    n_days = int(day.max()) - first_day + 2  # code 0: no previous day
    day = day - first_day + 1
    n_cat, n_cty, n_cust = len(cat_keys), len(cty_keys), int(customer.max()) + 1
    if n_cat * n_cty * n_cust * n_days * n_days >= 2**63:
        return None
    parts = []
    for by_category in (False, True):
        for by_country in (False, True):
            keep = np.ones(len(day), dtype=bool)
            if by_category:
                keep &= cat_code != 0
            if by_country:
                keep &= cty_code != 0
            chain = cat_code[keep] * n_cty if by_category else np.zeros(keep.sum(), np.int64)
            if by_country:
                chain = chain + cty_code[keep]
            parts.append((chain * n_cust + customer[keep]) * n_days + day[keep])
    days, _ = _counted(np.concatenate(parts))  # each chain's days, in chain order, once
    chain, day = np.divmod(days, n_days)
    prev = np.zeros(len(days), dtype=np.int64)
    same = chain[1:] == chain[:-1]
    prev[1:][same] = day[:-1][same]
    chain_key = chain // n_cust  # category * n_cty + country
    # Links: (category, country, day, previous day), counted.
    links, customers_per_link = _counted((chain_key * n_days + day) * n_days + prev)
    link_day_key, link_prev = np.divmod(links, n_days)
    link_key, link_day = np.divmod(link_day_key, n_days)
    # Firsts: each chain's first day beside its customer's first day of all (the first of
    # the chain over all orders, which holds every day of the customer).
    starts = prev == 0
    first_ever = np.zeros(n_cust, dtype=np.int64)
    overall = starts & (chain_key == 0)
    first_ever[(chain[overall] % n_cust)] = day[overall]
    firsts, customers_per_first = _counted(
        (chain_key[starts] * n_days + first_ever[chain[starts] % n_cust]) * n_days + day[starts]
    )
    first_pair, first_date = np.divmod(firsts, n_days)
    first_key, ever_date = np.divmod(first_pair, n_days)
    # Reach: per (category, country, day) the links, and those whose previous day lies
    # before the day's week, month, quarter, year.
    # Period starts as day codes (a start before the first day is 0 or less), and no
    # previous day as lying before them all.
    every_day = np.arange(first_day - 1, first_day + n_days - 1)
    prev_code = np.where(link_prev == 0, np.iinfo(np.int64).min, link_prev)
    group_start = np.flatnonzero(np.r_[True, link_day_key[1:] != link_day_key[:-1]])
    reach_columns = {"customers": np.add.reduceat(customers_per_link, group_start)}
    for period, column in PERIOD_COLUMNS.items():
        if period != "day":
            start = _period_starts(every_day, period) - first_day + 1
            counted = np.where(prev_code < start[link_day], customers_per_link, 0)
            reach_columns[column] = np.add.reduceat(counted, group_start)
    reach_key = link_key[group_start]
    text = _day_texts(first_day, n_days)
    cat_keys, cty_keys = np.array(cat_keys, dtype=object), np.array(cty_keys, dtype=object)

    def category_country(key: np.ndarray) -> dict:
        """The category and country columns of keys coded as category * n_cty + country."""
        return {"category": cat_keys[key // n_cty], "country": cty_keys[key % n_cty]}

    return {
        customer_days.name: {
            **category_country(link_key),
            "order_date": text[link_day],
            "prev_date": text[link_prev],
            "customers": customers_per_link.astype(np.int64),
        },
        customer_reach.name: {
            **category_country(reach_key),
            "order_date": text[link_day[group_start]],
            **{c: v.astype(np.int64) for c, v in reach_columns.items()},
        },
        customer_firsts.name: {
            **category_country(first_key),
            "first_ever_date": text[ever_date],
            "first_date": text[first_date],
            "customers": customers_per_first.astype(np.int64),
        },
    }


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys, sorted, and how often each occurs (np.unique with counts, which
    hashed for several times as long)."""
    keys.sort()
    start = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[start], np.diff(np.r_[start, len(keys)])


def _ranked(names: Sequence[str], codes: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The chain keys in the tables' sort order (ANY first, then the names sorted, as their
    text compares) and each entry's position among them; a name spelled like ANY is 0."""
    keys = [ANY, *sorted(set(names) - {ANY})]
    position = {k: i for i, k in enumerate(keys)}
    return keys, np.array([position[n] for n in names], dtype=np.int64)[codes]


def _period_starts(day: np.ndarray, period: str) -> np.ndarray:
    """The first day of each day's week (Monday), month, quarter or year, as days since
    1970-01-01 (period_first_day for arrays)."""
    if period == "week":
        return day - (day + 3) % 7  # 1970-01-01 was a Thursday
    months = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    if period == "quarter":
        months = months - months % 3
    elif period == "year":
        months = months - months % 12
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _day_texts(first_day: int, n_days: int) -> np.ndarray:
    """Text of day codes (0: NO_PREVIOUS_DAY, i: first_day + i - 1) as dates are stored."""
    days = np.arange(first_day - 1, first_day + n_days - 1).astype("datetime64[D]")
    text = np.array(np.datetime_as_string(days, unit="D").tolist(), dtype=object)
    text[0] = NO_PREVIOUS_DAY.isoformat()
    return text
