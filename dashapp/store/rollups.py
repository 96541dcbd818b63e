"""Rollups of the order lines, kept exact in the same transaction as every write.

Small tables (models.Rollup*: per day, week and month, and all-time, by country, category,
product, product and country, customer) answer the Overview queries without touching
order_lines (SPEC §8). Each holds, per key, the sums and distinct-order counts of the lines
under it. Each is declared once in dashapp.store.grains (keys, period, measures); its table,
its contributions, the write path's change, rebuild and check all come from that declaration.

An order's contribution to a table depends only on that order's own lines, so a write
keeps the tables exact by subtracting the contributions of the orders it touches before
changing them (`remove_orders`) and adding them back afterwards (`add_orders`), inside the
writer's transaction. `rebuild` recomputes everything from order_lines and `check` compares
the tables with such a recomputation.

A write of a few orders works its contributions out in Python from the orders' lines (one
read) and applies them with one prepared upsert per table, executemany: building some sixty
SQLAlchemy statements per saved order cost 93 % of a save (bench.order_save). The SQL
definition (`Rollup.contributions`) stays the one rebuild and check use; `line_key` mirrors it.

A write of many orders (an import) goes set-based instead (`add_orders_in_bulk`,
`BulkOrderChange`): the orders' lines summed per order and level of line keys, as `rebuild`
does for all of them, and one INSERT ... SELECT ... ON CONFLICT DO UPDATE per table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, partial
from operator import itemgetter

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
    cast,
    delete,
    except_,
    func,
    insert,
    literal_column,
    select,
    true,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from dashapp.store import grains, reach
from dashapp.store.db import lock_writers, prepared
from dashapp.store.grains import ALL_LINES, CANCELLED_LINES, Grain, Measure
from dashapp.store.models import CANCELLED, ROLLUP_MODELS, Order, OrderLine

lines = OrderLine.__table__
_orders = Order.__table__
_CHUNK = 500
# Every measure of any grain, once: a line's values are worked out once per write.
_MEASURES: tuple[Measure, ...] = tuple(
    {m.name: m for g in grains.GRAINS for m in g.measures}.values()
)
# What a write reads of the orders it touches: everything any rollup key or measure needs.
_LINE_FIELDS = tuple(
    dict.fromkeys(
        (
            "order_id",
            "status",
            "customer_id",  # the customers whose activity chains move (reach)
            *(k for g in grains.GRAINS for k in g.table_keys),
            *(c for m in _MEASURES for c in m.reads),
        )
    )
)


def _source_column(name: str):
    """The stored column a field comes from: the order's own row for grains.ON_ORDERS (the
    lines hold no copy), else the line's."""
    return _orders.c[name] if name in grains.ON_ORDERS else lines.c[name]


def _with_orders(columns) -> object:
    """order_lines, joined to orders where `columns` read one of the orders' own."""
    if any(getattr(c, "table", None) is _orders for c in columns):
        return lines.join(_orders, _orders.c.id == lines.c.order_id)
    return lines


_READ_LINES = (
    select(*(_source_column(f) for f in _LINE_FIELDS))
    .select_from(_with_orders([_source_column(f) for f in _LINE_FIELDS]))
    .where(lines.c.order_id.in_(bindparam("ids", expanding=True)))
)


def period_start(column, dialect: str, period: str):
    """The first day of the week (Monday) or month holding the date, as each backend stores
    a date (the same as analytics.query.period_bucket)."""
    if dialect == "postgresql":
        return cast(func.date_trunc(period, column), Date)
    if period == "week":
        return func.date(column, "-6 days", "weekday 1")
    # strftime('%Y-%m-01', d) for a date stored as ISO text (as SQLAlchemy's Date stores it),
    # a third of its time: 2 s less at 1M orders, where the monthly rollups read 6M daily rows.
    return func.substr(column, 1, 8, type_=String) + "01"


def period_first_day(day: date, period: str) -> date:
    """period_start for one date in Python: the week's Monday, the month's first day."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


# An order without a customer (imported with --no-customers) counts in every rollup but those
# keyed by customer, which leave its lines out: it is no customer. In the rebuild's levels,
# where customer_id is part of a key, it stands as NO_CUSTOMER_ID.
NO_CUSTOMER_ID = 0


def _key_source(name: str, dialect: str, period: str | None):
    """The order_lines (or orders, grains.ON_ORDERS) expression a rollup key column is filled
    from."""
    if name in grains.NULLABLE_KEYS:
        return func.coalesce(_source_column(name), "")
    if name == "customer_id":
        return func.coalesce(lines.c.customer_id, NO_CUSTOMER_ID)
    if name == "order_date" and period != "day":
        return period_start(lines.c.order_date, dialect, period)
    return lines.c[name]


def _field(name: str, period: str | None) -> str:
    """The name of a key's value in `_line_fields`."""
    return f"order_date/{period}" if name == "order_date" and period != "day" else name


_PERIODS = tuple({g.period for g in grains.GRAINS if g.period not in ("day", None)})


def _line_fields(line) -> dict:
    """A line's (a row of _READ_LINES) values of every key, worked out once for all the tables:
    the Python twin of `_key_source` (a NULL country is '', order_date/week is the week's
    Monday, order_date/month the month's first day)."""
    fields = dict(zip(_LINE_FIELDS, line, strict=True))
    for name in grains.NULLABLE_KEYS:
        fields[name] = fields[name] or ""
    day = fields["order_date"]
    for period in _PERIODS:
        fields[f"order_date/{period}"] = period_first_day(day, period)
    return fields


def _counted(measure: Measure):
    """Whether a line counts towards the measure, in SQL (None: every line)."""
    test = measure.when.sql(lines.c) if measure.when else None
    if measure.lines == ALL_LINES:
        status = None
    elif measure.lines == CANCELLED_LINES:
        status = lines.c.status == CANCELLED
    else:
        status = lines.c.status != CANCELLED
    if status is None or test is None:
        return test if status is None else status
    return and_(status, test)


def _line_value(measure: Measure):
    """One line's value of the measure: its `of` if the measure counts it (else 0), or for a
    count 1 if it counts the line (else 0)."""
    value = literal_column("1") if measure.counts_orders else measure.value_sql(lines.c)
    counted = _counted(measure)
    return value if counted is None else case((counted, value), else_=0)


def _per_order(measure: Measure):
    """The measure over one order's lines under one key: the sum of the counted lines' `of`,
    or, for a count, 1 if the order has a counted line there."""
    return (func.max if measure.counts_orders else func.sum)(_line_value(measure))


def _line_values(line) -> list[int]:
    """One line's value of each of _MEASURES: the `of` column of a line it counts (else 0), or
    for a count 1 if it counts the line (else 0). The Python twin of `_per_order`."""
    cancelled = line.status == CANCELLED
    values = []
    for m in _MEASURES:
        counts = m.lines == ALL_LINES or (cancelled == (m.lines == CANCELLED_LINES))
        if counts and m.when is not None:
            counts = m.when.python(line)
        values.append(m.value_of(line) if counts else 0)
    return values


@dataclass(frozen=True, eq=False)
class Rollup:
    """A declared grain (dashapp.store.grains) and what is generated from it: its table, the
    SQL contributions rebuild and check use, and the write path's per-line keys and sums."""

    grain: Grain

    @cached_property
    def table(self) -> Table:
        return ROLLUP_MODELS[self.grain.table_name].__table__

    @property
    def keys(self) -> tuple[str, ...]:
        return self.grain.table_keys

    @property
    def period(self) -> str | None:
        return self.grain.period

    @cached_property
    def measures(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.grain.measures)

    @cached_property
    def coarser_than(self) -> Table | None:
        """The daily rollup this one is a coarser sum of (every order lies on one day, so its
        counts add up across days): a rebuild sums that table instead of re-reading every line."""
        day = grains.daily_source(self.grain)
        return None if day is None else ROLLUP_MODELS[day.table_name].__table__

    def key_source(self, name: str, dialect: str):
        return _key_source(name, dialect, self.period)

    @property
    def per_customer(self) -> bool:
        """Keyed by customer: lines of orders without one are left out."""
        return "customer_id" in self.grain.keys

    @cached_property
    def key_of(self):
        """The key of the row a line falls under, from its `_line_fields`."""
        names = [_field(k, self.period) for k in self.keys]
        get = itemgetter(*names)
        return get if len(names) > 1 else lambda fields: (get(fields),)

    def line_key(self, line) -> tuple:
        """The key of the row one order line (a row of _READ_LINES) falls under: the Python
        twin of `key_source`."""
        return self.key_of(_line_fields(line))

    @cached_property
    def plan(self) -> tuple[tuple[int, bool], ...]:
        """Per measure of this table: its position in _MEASURES, and whether it counts orders
        (the per-order maximum, else the per-order sum, of the lines' values)."""
        index = {m.name: i for i, m in enumerate(_MEASURES)}
        return tuple((index[m.name], m.counts_orders) for m in self.grain.measures)

    def contributions(self, dialect: str, where, sign: int = 1):
        """SELECT key..., measure... of the lines matching `where`, multiplied by `sign`."""
        key_cols = [self.key_source(k, dialect).label(k) for k in self.keys]
        per_order = (
            select(*key_cols, *(_per_order(m).label(m.name) for m in self.grain.measures))
            .select_from(_with_orders([_source_column(k) for k in self.grain.keys]))
            .where(where, *([lines.c.customer_id.is_not(None)] if self.per_customer else []))
            .group_by(*key_cols, lines.c.order_id)
            .subquery()
        )
        keys = [per_order.c[k] for k in self.keys]
        measures = [(func.sum(per_order.c[m]) * sign).label(m) for m in self.measures]
        # WHERE true: SQLite needs it to parse INSERT ... SELECT ... ON CONFLICT.
        return select(*keys, *measures).where(true()).group_by(*keys)

    def rows_from(self, source: Table, dialect: str, sign: int = 1):
        """SELECT key..., measure... of each row of a finer table, this table's key worked out
        (for a rebuild, which sums them per key): a daily or monthly rollup, or a rebuild's
        level (per order and line keys, see `_levels`)."""
        keys = []
        for k in self.keys:
            if k == "order_date" and self.period != grains.DAY:
                keys.append(period_start(source.c.order_date, dialect, self.period).label(k))
            else:
                keys.append(source.c[k])
        no_customer = [source.c.customer_id != NO_CUSTOMER_ID] if self.per_customer else []
        if sign == 1:
            return select(*keys, *(source.c[m] for m in self.measures)).where(*no_customer)
        return select(*keys, *((source.c[m] * sign).label(m) for m in self.measures)).where(
            *no_customer
        )


ROLLUPS: tuple[Rollup, ...] = tuple(Rollup(g) for g in grains.GRAINS)
# The levels of line keys the tables are summed from (see `_levels`).
_LINE_KEY_SETS = {r.grain.line_keys for r in ROLLUPS}
BY_TABLE = {r.table.name: r for r in ROLLUPS}
TABLE_NAMES = frozenset(BY_TABLE) | frozenset(reach.TABLE_NAMES)


def _dialect_insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert


def _add_statement(rollup: Rollup, dialect: str):
    """INSERT one row's change, or add it to the row already there (built once per table)."""
    table = rollup.table
    stmt = _dialect_insert(dialect)(table)
    return stmt.on_conflict_do_update(
        index_elements=list(rollup.keys),
        set_={m: table.c[m] + stmt.excluded[m] for m in rollup.measures},
    )


def _drop_empty_statement(rollup: Rollup, _dialect: str):
    """DELETE one key's row if a removal emptied it (built once per table)."""
    table = rollup.table
    same_key = [table.c[k] == bindparam(f"key_{k}") for k in rollup.keys]
    return delete(table).where(and_(*same_key), table.c.all_orders <= literal_column("0"))


def read_lines(conn: Connection, order_ids: Iterable[int]) -> list:
    """The lines of these orders, as the rollups need them (see _LINE_FIELDS)."""
    ids = sorted(set(order_ids))
    found = []
    for i in range(0, len(ids), _CHUNK):
        found += conn.execute(_READ_LINES, {"ids": ids[i : i + _CHUNK]}).all()
    return found


class Change:
    """A change to every rollup, {rollup: {key: [measure, ...]}}, summed from order lines
    before (sign -1) and after (sign +1) a write, then applied in one go."""

    def __init__(self) -> None:
        self.rows: dict[Rollup, dict[tuple, list[int]]] = {r: {} for r in ROLLUPS}

    def add_lines(self, order_lines: Sequence, sign: int) -> None:
        """Add (sign 1) or subtract (-1) these lines' contributions, with the counts of
        `Rollup.contributions`: per key, each order's sums of the lines a measure counts, and
        each order once in a count if it has a line the count counts there."""
        prepared_lines = [
            (_line_fields(line), line.order_id, _line_values(line)) for line in order_lines
        ]
        for rollup, rows in self.rows.items():
            plan = rollup.plan
            key_of = rollup.key_of
            per_customer = rollup.per_customer
            per_order: dict[tuple, list[int]] = {}
            for fields, order_id, line_values in prepared_lines:
                if per_customer and fields["customer_id"] is None:
                    continue  # an order without a customer
                key = key_of(fields)
                seen = per_order.get((key, order_id))
                if seen is None:
                    per_order[(key, order_id)] = [line_values[i] for i, _ in plan]
                    continue
                for j, (i, counts_orders) in enumerate(plan):
                    if counts_orders:
                        if line_values[i]:
                            seen[j] = 1
                    else:
                        seen[j] += line_values[i]
            for (key, _), order_values in per_order.items():
                row = rows.get(key)
                if row is None:
                    row = rows[key] = [0] * len(order_values)
                for j, value in enumerate(order_values):
                    row[j] += sign * value

    def apply(self, conn: Connection) -> None:
        """Write the change: one executemany upsert per table, then drop the rows it emptied."""
        for rollup, rows in self.rows.items():
            changed = [(k, v) for k, v in rows.items() if any(v)]
            if not changed:
                continue
            upsert = prepared(conn, ("rollup add", rollup), partial(_add_statement, rollup))
            upsert.run(
                conn,
                [
                    dict(zip((*rollup.keys, *rollup.measures), (*key, *values), strict=True))
                    for key, values in changed
                ],
            )
            fewer = rollup.measures.index("all_orders")
            emptied = [key for key, values in changed if values[fewer] < 0]
            if emptied:
                drop = prepared(
                    conn, ("rollup drop", rollup), partial(_drop_empty_statement, rollup)
                )
                drop.run(
                    conn,
                    [
                        {f"key_{k}": v for k, v in zip(rollup.keys, key, strict=True)}
                        for key in emptied
                    ],
                )


def apply_lines(conn: Connection, before: Sequence, after: Sequence) -> set[int]:
    """Move every rollup from the lines `before` a write to the lines `after` it (rows of
    `read_lines`, of the same orders) and the customers' activity chains with them; returns
    the customers touched."""
    change = Change()
    change.add_lines(before, -1)
    change.add_lines(after, 1)
    customers = {line.customer_id for line in (*before, *after)} - {None}
    ids = sorted(customers)
    chains_before = reach.links_of(conn, ids)
    change.apply(conn)
    reach.apply(conn, chains_before, reach.links_of(conn, ids))
    return customers


def add_orders(conn: Connection, order_ids: Iterable[int]) -> None:
    """Add these orders' lines (as they are now) to every rollup."""
    lock_writers(conn)  # a caller outside write_transaction takes its turn too
    apply_lines(conn, [], read_lines(conn, order_ids))


def remove_orders(conn: Connection, order_ids: Iterable[int]) -> None:
    """Subtract these orders' lines (as they are now); call before changing or deleting them."""
    lock_writers(conn)  # a caller outside write_transaction takes its turn too
    apply_lines(conn, read_lines(conn, order_ids), [])


def id_table(name: str, column: str) -> Table:
    """A temporary table of ids (the orders or customers of a bulk change)."""
    return Table(
        name,
        MetaData(),
        Column(column, Integer, primary_key=True, autoincrement=False),
        prefixes=["TEMPORARY"],
    )


def add_orders_in_bulk(conn: Connection, order_ids: Sequence[int]) -> set[int]:
    """Add these new orders' lines to every rollup and move their customers' activity chains,
    set-based: the same sums as `add_orders`, for an import or a load of many orders, where
    working each line out in Python cost about 0.3 ms (bench.import_load). Returns the
    customers touched.

    The orders' lines are summed per order and level of line keys (as a rebuild does, but
    only these orders), and each table gets one INSERT ... SELECT that adds its rows into the
    stored ones; the chains of the customers touched are worked out before and after, and the
    difference applied (dashapp.store.reach.BulkChange).
    """
    lock_writers(conn)  # a caller outside write_transaction takes its turn too
    # Temporary tables made in the caller's transaction: a rollback takes them away too.
    orders = id_table("bulk_orders", "order_id")
    orders.create(conn)
    _insert_ids(conn, orders, sorted(set(order_ids)))
    where = lines.c.order_id.in_(select(orders.c.order_id))
    customers = id_table("bulk_customers", "customer_id")
    customers.create(conn)
    conn.execute(
        insert(customers).from_select(
            ["customer_id"],
            select(lines.c.customer_id).where(where, lines.c.customer_id.is_not(None)).distinct(),
        )
    )
    chains = reach.BulkChange(conn, customers)
    _add_in_bulk(conn, where)
    chains.finish()
    touched = set(conn.scalars(select(customers.c.customer_id)))
    # The orders' own customers too (the same, unless a line was written by hand): their
    # first-order dates move.
    touched.update(
        conn.scalars(
            select(_orders.c.customer_id).where(
                _orders.c.id.in_(select(orders.c.order_id)), _orders.c.customer_id.is_not(None)
            )
        )
    )
    customers.drop(conn)
    orders.drop(conn)
    return touched


class BulkOrderChange:
    """Many stored orders changed or deleted, set-based: the twin of `apply_lines` for an
    import that replaces many orders (a corrected re-export).

        bulk = BulkOrderChange(conn, order_ids)  # before changing them: their sums are kept
        ...  # change or delete those orders and their lines
        customers = bulk.finish()  # every rollup and activity chain moved by the difference

    Raises IntegrityError (nothing kept) when some order's lines disagree on one of the
    order's own columns, which the levels cannot sum: the caller takes the per-order path.
    """

    def __init__(self, conn: Connection, order_ids: Sequence[int]) -> None:
        self.conn = conn
        lock_writers(conn)  # a caller outside write_transaction takes its turn too
        with conn.begin_nested():
            self.orders = id_table("bulk_changed_orders", "order_id")
            self.orders.create(conn)
            _insert_ids(conn, self.orders, sorted(set(order_ids)))
            self.where = lines.c.order_id.in_(select(self.orders.c.order_id))
            self.customers = id_table("bulk_changed_customers", "customer_id")
            self.customers.create(conn)
            self._add_customers()
            # The orders' sums as stored, per order and level of line keys.
            self.before = _levels(conn, _LINE_KEY_SETS, self.where, prefix="bulk_before")

    def _add_customers(self) -> None:
        """Add the orders' customers as they are now (their lines' and their own)."""
        ids = union(
            select(lines.c.customer_id).where(self.where, lines.c.customer_id.is_not(None)),
            select(_orders.c.customer_id).where(
                _orders.c.id.in_(select(self.orders.c.order_id)),
                _orders.c.customer_id.is_not(None),
            ),
        ).subquery()
        new = select(ids.c.customer_id).where(
            ids.c.customer_id.not_in(select(self.customers.c.customer_id))
        )
        self.conn.execute(insert(self.customers).from_select(["customer_id"], new))

    def finish(self) -> set[int]:
        """Move every rollup from the orders as they were to the orders as they are, and the
        chains of their customers then and now; returns those customers."""
        conn, dialect = self.conn, self.conn.dialect.name
        self._add_customers()  # an order may have moved to another customer
        chains = reach.BulkChange(conn, self.customers)  # the rollups are still the old ones
        try:
            with conn.begin_nested():
                # The old sums negated and the new ones, netted per key: one upsert per table.
                after = _levels(conn, _LINE_KEY_SETS, self.where, prefix="bulk_after")
                for rollup in ROLLUPS:
                    key = rollup.grain.line_keys
                    rows = union_all(
                        rollup.rows_from(self.before[key], dialect, -1),
                        rollup.rows_from(after[key], dialect),
                    )
                    _insert_summed(conn, rollup.table, rows, add=True)
                for level in after.values():
                    level.drop(conn)
        except IntegrityError:  # new lines that disagree with their order: two steps
            for rollup in ROLLUPS:
                level = self.before[rollup.grain.line_keys]
                _insert_summed(conn, rollup.table, rollup.rows_from(level, dialect, -1), add=True)
            _add_in_bulk(conn, self.where)
        for rollup in ROLLUPS:
            # Rows whose orders are all gone go (as `_drop_empty_statement` drops them); only
            # a key the old orders had can have emptied.
            table = rollup.table
            had = rollup.rows_from(self.before[rollup.grain.line_keys], dialect).subquery()
            conn.execute(
                delete(table).where(
                    table.c.all_orders <= 0,
                    tuple_(*(table.c[k] for k in rollup.keys)).in_(
                        select(*(had.c[k] for k in rollup.keys))
                    ),
                )
            )
        chains.finish()
        touched = set(conn.scalars(select(self.customers.c.customer_id)))
        for level in self.before.values():
            level.drop(conn)
        self.customers.drop(conn)
        self.orders.drop(conn)
        return touched


def _insert_ids(conn: Connection, table: Table, ids: list[int]) -> None:
    column = next(iter(table.c)).name
    for i in range(0, len(ids), 50_000):
        conn.execute(insert(table), [{column: n} for n in ids[i : i + 50_000]])


def _add_in_bulk(conn: Connection, where) -> None:
    """Add the contributions of the lines matching `where` (whole orders) to every rollup:
    every table summed from the levels of those lines, or, if some order's lines disagree
    on one of its own columns, from its own two-step GROUP BY (see `_rebuild_daily`)."""
    dialect = conn.dialect.name
    try:
        with conn.begin_nested():
            levels = _levels(conn, _LINE_KEY_SETS, where)
            for rollup in ROLLUPS:
                level = levels[rollup.grain.line_keys]
                _insert_summed(conn, rollup.table, rollup.rows_from(level, dialect), add=True)
            for level in levels.values():
                level.drop(conn)
    except IntegrityError:  # an order with two values of one of its own columns
        for rollup in ROLLUPS:
            _insert_summed(conn, rollup.table, rollup.contributions(dialect, where), add=True)


def rebuild(
    conn: Connection,
    tables: Iterable[str] | None = None,
    step: Callable[[str], object] | None = None,
) -> dict[str, int]:
    """Recompute the rollups (all, or those named) from order_lines; returns row counts.

    Set-based, and each grouping done once: the lines are summed per order and line keys
    (`_levels`) once, the daily tables from those, the coarser ones from a daily (or monthly)
    table, the activity chains from the daily customer tables (check() still compares every
    table with the lines themselves). `step(what)` is told as each stage starts (a progress
    message for a long load).
    """
    wanted = TABLE_NAMES if tables is None else set(tables)
    step = step or (lambda _what: None)
    lock_writers(conn)  # a caller outside write_transaction takes its turn too
    counts = {}
    # The daily tables, and the monthly ones without a daily twin, from the per-order levels.
    daily = [r for r in ROLLUPS if grains.from_levels(r.grain) and r.table.name in wanted]
    if daily:
        days = sum(r.period == grains.DAY for r in daily)
        others = f" and {len(daily) - days} monthly ones" if len(daily) > days else ""
        step(f"{days} daily rollups{others}")
        _rebuild_daily(conn, daily)
    coarser = [r for r in ROLLUPS if r.table.name in wanted and r not in daily]
    if coarser:
        step(f"{len(coarser)} weekly, monthly and all-time rollups")
    built = {r.table.name for r in daily}
    for rollup in ROLLUPS:
        if rollup.table.name not in wanted or rollup in daily:
            continue
        source = ROLLUP_MODELS[grains.coarser_source(rollup.grain, built).table_name].__table__
        conn.execute(delete(rollup.table))
        _insert_summed(conn, rollup.table, rollup.rows_from(source, conn.dialect.name))
        built.add(rollup.table.name)
    for rollup in ROLLUPS:
        if rollup.table.name in wanted:
            counts[rollup.table.name] = conn.execute(
                select(func.count()).select_from(rollup.table)
            ).scalar_one()
    if wanted & set(reach.TABLE_NAMES):  # summed from the daily customer rollups, so last
        step("customers' activity chains")
        counts.update(reach.rebuild(conn, wanted))
    return counts


def _rebuild_daily(conn: Connection, daily: list[Rollup]) -> None:
    """Refill these daily tables from the order lines, each order worked out once per level.

    If some order's lines disagree on a column that is the order's own (grains.ORDER_KEYS:
    never written so by the app, but possible by hand), the levels cannot be summed exactly:
    then each table is filled from its own two-step GROUP BY (`Rollup.contributions`).
    """
    for rollup in daily:
        conn.execute(delete(rollup.table))
    try:
        with conn.begin_nested():
            levels = _levels(conn, {r.grain.line_keys for r in daily})
            for rollup in daily:
                level = levels[rollup.grain.line_keys]
                _insert_summed(conn, rollup.table, rollup.rows_from(level, conn.dialect.name))
            for level in levels.values():
                level.drop(conn)
    except IntegrityError:  # an order with two values of one of its own columns
        for rollup in daily:
            source = rollup.contributions(conn.dialect.name, true())
            conn.execute(insert(rollup.table).from_select([*rollup.keys, *rollup.measures], source))


def _insert_summed(
    conn: Connection, table: Table, rows, biggest: set[str] = frozenset(), add: bool = False
) -> None:
    """INSERT INTO an empty table the rows of `rows` (a SELECT of its key columns, then its
    other columns) summed per key; the columns in `biggest` take the maximum instead. `add`:
    the table may hold rows already, and a key found there gets the sums added to it.

    On SQLite each row is added into the table's own B-tree (INSERT ... ON CONFLICT DO UPDATE):
    half the time of the sort behind a GROUP BY, as the rows barely shrink when summed (most
    keys have one order) and come roughly in key order. Elsewhere a GROUP BY (a hash
    aggregate on PostgreSQL beats a row-by-row upsert)."""
    keys = [c.name for c in table.primary_key.columns]
    measures = [c.name for c in table.columns if c.name not in keys]
    rows = rows.subquery()
    if conn.dialect.name == "sqlite" and not add:
        stmt = sqlite_insert(table).from_select(
            [*keys, *measures],
            # WHERE true: SQLite needs it to parse INSERT ... SELECT ... ON CONFLICT.
            select(*(rows.c[c] for c in (*keys, *measures))).where(true()),
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=keys,
            set_={
                m: func.max(table.c[m], stmt.excluded[m])
                if m in biggest
                else table.c[m] + stmt.excluded[m]
                for m in measures
            },
        )
    else:
        # Into a filled table, SQLite too sums first: the GROUP BY hands the rows over in key
        # order, so each upsert lands next to the last one in the table's B-tree (random
        # upserts into the 1M-order tables cost twice as much).
        summed = [(func.max if m in biggest else func.sum)(rows.c[m]).label(m) for m in measures]
        key_cols = [rows.c[k] for k in keys]
        grouped = select(*key_cols, *summed).where(true()).group_by(*key_cols)
        if add:
            stmt = _dialect_insert(conn.dialect.name)(table).from_select(
                [*keys, *measures], grouped
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=keys,
                set_={m: table.c[m] + stmt.excluded[m] for m in measures},
            )
        else:
            stmt = insert(table).from_select([*keys, *measures], grouped)
    conn.execute(stmt)


def _level_table(line_keys: tuple[str, ...], prefix: str = "rebuild") -> Table:
    """A temporary table of the lines summed per order and these line keys: each _MEASURES
    column holds what `_per_order` gives there. Keyed by order first, then the order's own
    columns, so a coarser level is a GROUP BY over a prefix of the key (no sort). The level
    without line keys is keyed by the order alone: an order whose lines disagree on one of
    its own columns is a duplicate key there."""
    per_order = not line_keys
    return Table(
        f"{prefix}_per_order" + "".join(f"_{k}" for k in line_keys),
        MetaData(),
        Column("order_id", Integer, primary_key=True, autoincrement=False),
        *(
            Column(k, grains.KEY_TYPES[k](), primary_key=not per_order, nullable=False)
            for k in (*grains.ORDER_KEYS, *line_keys)
        ),
        *(Column(m.name, m.type(), nullable=False) for m in _MEASURES),
        prefixes=["TEMPORARY"],
        sqlite_with_rowid=False,
    )


def _levels(
    conn: Connection, wanted: set[tuple[str, ...]], where=None, prefix: str = "rebuild"
) -> dict[tuple[str, ...], Table]:
    """The levels the daily tables are summed from, and the per-order one: the finest from the
    lines (one pass over order_lines; those matching `where`, if given), each coarser one from
    the smallest finer level."""
    where = true() if where is None else where
    built: dict[tuple[str, ...], Table] = {}
    for line_keys in sorted(wanted | {()}, key=len, reverse=True):
        level = _level_table(line_keys, prefix)
        level.create(conn)
        finer = [k for k in built if set(line_keys) <= set(k)]
        counts = {m.name for m in _MEASURES if m.counts_orders}
        if line_keys and not finer:  # the finest: summed from the lines themselves
            keys = [
                lines.c.order_id,
                *(_key_source(k, conn.dialect.name, "day").label(k) for k in grains.ORDER_KEYS),
                *(lines.c[k] for k in line_keys),
            ]
            rows = (
                select(*keys, *(_line_value(m).label(m.name) for m in _MEASURES))
                .select_from(_with_orders(map(_source_column, grains.ORDER_KEYS)))
                .where(where)
            )
            _insert_summed(conn, level, rows, biggest=counts)
        elif line_keys and conn.dialect.name == "sqlite":
            # Each finer row added into this level's B-tree, as the finest is filled: half
            # the time of the GROUP BY's eleven aggregate calls per row (7.2 s -> 3.5 s for
            # the per-order-and-category level at 1M orders). Its key holds the order's own
            # columns, so a disagreement stays a second row here for the per-order level.
            source = built[min(finer, key=len)]
            keys = [source.c[k] for k in ("order_id", *grains.ORDER_KEYS, *line_keys)]
            rows = select(*keys, *(source.c[m.name] for m in _MEASURES))
            _insert_summed(conn, level, rows, biggest=counts)
        else:
            # A GROUP BY over a prefix of the finer level's key (read in key order, no sort),
            # or over the lines when no table needs a finer level. The order's own columns
            # are grouped on, so at the per-order level a disagreement is a second row.
            if finer:
                source = built[min(finer, key=len)]
                keys = [source.c[k] for k in ("order_id", *grains.ORDER_KEYS, *line_keys)]
                measures = [
                    (func.max if m.counts_orders else func.sum)(source.c[m.name]).label(m.name)
                    for m in _MEASURES
                ]
            else:
                keys = [
                    lines.c.order_id,
                    *(_key_source(k, conn.dialect.name, "day") for k in grains.ORDER_KEYS),
                ]
                measures = [_per_order(m).label(m.name) for m in _MEASURES]
            summed = select(*keys, *measures).group_by(*keys)
            if not finer:
                summed = summed.select_from(
                    _with_orders(map(_source_column, grains.ORDER_KEYS))
                ).where(where)
            conn.execute(insert(level).from_select([c.name for c in level.columns], summed))
        built[line_keys] = level
    return built


@dataclass(frozen=True)
class Mismatch:
    """Rows of one rollup table that differ from a recomputation from the order lines."""

    table: str
    missing_or_wrong: int  # recomputed rows not found as they are in the table
    extra_or_wrong: int  # table rows not found in the recomputation

    def __str__(self) -> str:
        return (
            f"{self.table}: {self.missing_or_wrong} row(s) missing or different, "
            f"{self.extra_or_wrong} row(s) extra or different"
        )


def check(conn: Connection) -> list[Mismatch]:
    """Compare every rollup with a recomputation from order_lines (empty list = all exact)."""
    problems = []
    for rollup in ROLLUPS:
        table = rollup.table
        stored = select(*[table.c[c] for c in (*rollup.keys, *rollup.measures)])
        expected = rollup.contributions(conn.dialect.name, true())
        missing = _count(conn, except_(expected, stored))
        extra = _count(conn, except_(stored, expected))
        if missing or extra:
            problems.append(Mismatch(table.name, missing, extra))
    # The activity chains are compared with the daily customer rows checked above.
    problems += [Mismatch(name, *n) for name, n in reach.mismatches(conn).items()]
    return problems


def _count(conn: Connection, compound) -> int:
    return conn.execute(select(func.count()).select_from(compound.subquery())).scalar_one()
