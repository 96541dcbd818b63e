"""Daily rollups of the order lines, kept exact in the same transaction as every write.

Small tables (models.Rollup*: per day, week and month, and all-time, by country, category,
product, product and country, customer) answer the Overview queries without touching
order_lines (SPEC §8). Each holds, per key, the sums and distinct-order counts of the lines
under it. An order's contribution to a table depends only on that order's own lines, so a write
keeps the tables exact by subtracting the contributions of the orders it touches before
changing them (`remove_orders`) and adding them back afterwards (`add_orders`), inside the
writer's transaction. `rebuild` recomputes everything from order_lines and `check` compares
the tables with such a recomputation.

A write of a few orders works its contributions out in Python from the orders' lines (one
read) and applies them with one prepared upsert per table, executemany: building some sixty
SQLAlchemy statements per saved order cost 93 % of a save (bench.order_save). The SQL
definition (`Rollup.contributions`) stays the one rebuild and check use; `line_key` mirrors it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, partial

from sqlalchemy import (
    Connection,
    Date,
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
)

from dashapp.store import reach
from dashapp.store.db import lock_writers, prepared
from dashapp.store.models import (
    CANCELLED,
    OrderLine,
    RollupCategoryCustomer,
    RollupCustomer,
    RollupDayCategoryCountry,
    RollupDayCategoryCustomer,
    RollupDayCountry,
    RollupDayCustomer,
    RollupDayProduct,
    RollupDayProductCountry,
    RollupMonthCategoryCountry,
    RollupMonthCategoryCustomer,
    RollupMonthCountry,
    RollupMonthCustomer,
    RollupMonthProduct,
    RollupMonthProductCountry,
    RollupProduct,
    RollupWeekCategoryCustomer,
    RollupWeekCustomer,
    RollupWeekProduct,
    RollupWeekProductCountry,
)

lines = OrderLine.__table__
_CHUNK = 500
# What a write reads of the orders it touches: everything any rollup key or measure needs.
_LINE_FIELDS = (
    "order_id",
    "order_date",
    "status",
    "customer_id",
    "country",
    "category",
    "product_id",
    "amount_cents",
    "quantity",
)
_READ_LINES = select(*(lines.c[f] for f in _LINE_FIELDS)).where(
    lines.c.order_id.in_(bindparam("ids", expanding=True))
)


def period_start(column, dialect: str, period: str):
    """The first day of the week (Monday) or month holding the date, as each backend stores
    a date (the same as analytics.query.period_bucket)."""
    if dialect == "postgresql":
        return cast(func.date_trunc(period, column), Date)
    if period == "week":
        return func.date(column, "-6 days", "weekday 1")
    return func.strftime("%Y-%m-01", column)


def period_first_day(day: date, period: str) -> date:
    """period_start for one date in Python: the week's Monday, the month's first day."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _key_source(name: str, dialect: str, period: str):
    """The order_lines expression a rollup key column is filled from."""
    if name == "country":
        return func.coalesce(lines.c.country, "")
    if name == "order_date" and period != "day":
        return period_start(lines.c.order_date, dialect, period)
    return lines.c[name]


@dataclass(frozen=True)
class Rollup:
    table: Table
    keys: tuple[str, ...]
    period: str = "day"  # week / month: order_date holds the period's first day
    # A daily rollup this one is a coarser sum of (every order lies on one day, so its counts
    # add up across days): a rebuild sums that table instead of re-reading every line.
    coarser_than: Table | None = None

    @cached_property
    def measures(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.columns if c.name not in self.keys)

    def key_source(self, name: str, dialect: str):
        return _key_source(name, dialect, self.period)

    def line_key(self, line) -> tuple:
        """The key of the row one order line (a row of _READ_LINES) falls under: the Python
        twin of `key_source`."""
        key = []
        for name in self.keys:
            if name == "country":
                key.append(line.country or "")
            elif name == "order_date":
                key.append(period_first_day(line.order_date, self.period))
            else:
                key.append(getattr(line, name))
        return tuple(key)

    def contributions(self, dialect: str, where, sign: int = 1):
        """SELECT key..., measure... of the lines matching `where`, multiplied by `sign`."""
        not_cancelled = lines.c.status != CANCELLED
        key_cols = [self.key_source(k, dialect).label(k) for k in self.keys]
        per_order = (
            select(
                *key_cols,
                func.sum(case((not_cancelled, lines.c.amount_cents), else_=0)).label("rev"),
                func.sum(case((not_cancelled, lines.c.quantity), else_=0)).label("units"),
                func.max(case((not_cancelled, 1), else_=0)).label("ok"),
                func.max(case((lines.c.status == CANCELLED, 1), else_=0)).label("cancelled"),
            )
            .where(where)
            .group_by(*key_cols, lines.c.order_id)
            .subquery()
        )
        values = {
            "revenue_cents": func.sum(per_order.c.rev),
            "units": func.sum(per_order.c.units),
            "orders": func.sum(per_order.c.ok),
            "all_orders": func.count(),
            "cancelled_orders": func.sum(per_order.c.cancelled),
        }
        keys = [per_order.c[k] for k in self.keys]
        measures = [(values[m] * sign).label(m) for m in self.measures]
        # WHERE true: SQLite needs it to parse INSERT ... SELECT ... ON CONFLICT.
        return select(*keys, *measures).where(true()).group_by(*keys)

    def summed_from_daily(self, dialect: str):
        """SELECT key..., measure... summed from the daily rollup (for a rebuild)."""
        day = self.coarser_than
        keys = []
        for k in self.keys:
            if k == "order_date":
                keys.append(period_start(day.c.order_date, dialect, self.period).label(k))
            else:
                keys.append(day.c[k])
        measures = [func.sum(day.c[m]).label(m) for m in self.measures]
        return select(*keys, *measures).group_by(*keys)


ROLLUPS: tuple[Rollup, ...] = (
    Rollup(RollupDayCountry.__table__, ("order_date", "country")),
    Rollup(RollupDayCategoryCountry.__table__, ("order_date", "category", "country")),
    Rollup(RollupDayProduct.__table__, ("order_date", "product_id", "category")),
    Rollup(RollupDayProductCountry.__table__, ("order_date", "country", "category", "product_id")),
    Rollup(RollupDayCustomer.__table__, ("order_date", "customer_id", "country")),
    Rollup(
        RollupDayCategoryCustomer.__table__, ("order_date", "category", "customer_id", "country")
    ),
    Rollup(
        RollupMonthCountry.__table__,
        ("order_date", "country"),
        period="month",
        coarser_than=RollupDayCountry.__table__,
    ),
    Rollup(
        RollupMonthCategoryCountry.__table__,
        ("order_date", "category", "country"),
        period="month",
        coarser_than=RollupDayCategoryCountry.__table__,
    ),
    Rollup(
        RollupProduct.__table__, ("product_id", "category"), coarser_than=RollupDayProduct.__table__
    ),
    Rollup(
        RollupCustomer.__table__,
        ("customer_id", "country"),
        coarser_than=RollupDayCustomer.__table__,
    ),
    Rollup(
        RollupCategoryCustomer.__table__,
        ("category", "customer_id", "country"),
        coarser_than=RollupDayCategoryCustomer.__table__,
    ),
)
# Weekly and monthly per-product and per-customer totals: the top-N rankings of a long range
# read whole months and weeks, and only the ragged ends by day.
_DAILY = (RollupDayProduct, RollupDayCustomer, RollupDayCategoryCustomer, RollupDayProductCountry)
for _period, _models in (
    (
        "week",
        (
            RollupWeekProduct,
            RollupWeekCustomer,
            RollupWeekCategoryCustomer,
            RollupWeekProductCountry,
        ),
    ),
    (
        "month",
        (
            RollupMonthProduct,
            RollupMonthCustomer,
            RollupMonthCategoryCustomer,
            RollupMonthProductCountry,
        ),
    ),
):
    for _model, _day in zip(_models, _DAILY, strict=True):
        _keys = tuple(c.name for c in _day.__table__.primary_key.columns)
        ROLLUPS += (Rollup(_model.__table__, _keys, period=_period, coarser_than=_day.__table__),)
TABLE_NAMES = frozenset(r.table.name for r in ROLLUPS) | frozenset(reach.TABLE_NAMES)


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
        `Rollup.contributions`: revenue and units of the lines not cancelled; per key, each
        order once in all_orders, in orders if it has a line not cancelled there, in
        cancelled_orders if it has a cancelled one."""
        for rollup, rows in self.rows.items():
            per_order: dict[tuple, list[int]] = {}
            for line in order_lines:
                key = rollup.line_key(line)
                seen = per_order.get((key, line.order_id))
                if seen is None:
                    seen = per_order[(key, line.order_id)] = [0, 0, 0, 0]
                if line.status == CANCELLED:
                    seen[3] = 1
                else:
                    seen[0] += line.amount_cents
                    seen[1] += line.quantity
                    seen[2] = 1
            for (key, _), (revenue, units, ok, cancelled) in per_order.items():
                values = {
                    "revenue_cents": revenue,
                    "units": units,
                    "orders": ok,
                    "all_orders": 1,
                    "cancelled_orders": cancelled,
                }
                row = rows.get(key)
                if row is None:
                    row = rows[key] = [0] * len(rollup.measures)
                for i, measure in enumerate(rollup.measures):
                    row[i] += sign * values[measure]

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
    customers = {line.customer_id for line in (*before, *after)}
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


def rebuild(conn: Connection, tables: Iterable[str] | None = None) -> dict[str, int]:
    """Recompute the rollups (all, or those named) from order_lines; returns row counts.

    The daily tables come first; the coarser ones are summed from them (check() still compares
    every table with the lines themselves).
    """
    wanted = TABLE_NAMES if tables is None else set(tables)
    lock_writers(conn)  # a caller outside write_transaction takes its turn too
    counts = {}
    for rollup in ROLLUPS:
        if rollup.table.name not in wanted:
            continue
        conn.execute(delete(rollup.table))
        if rollup.coarser_than is not None:
            source = rollup.summed_from_daily(conn.dialect.name)
        else:
            source = rollup.contributions(conn.dialect.name, true())
        conn.execute(insert(rollup.table).from_select([*rollup.keys, *rollup.measures], source))
        counts[rollup.table.name] = conn.execute(
            select(func.count()).select_from(rollup.table)
        ).scalar_one()
    if wanted & set(reach.TABLE_NAMES):  # summed from the daily customer rollups, so last
        counts.update(reach.rebuild(conn, wanted))
    return counts


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
