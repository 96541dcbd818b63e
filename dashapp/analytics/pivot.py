"""The pivot (SPEC §4.8): one measure by a row dimension and an optional column dimension, with
row, column and grand totals, under the page filters.

The GROUP BY runs in the database over the order lines (joined to orders, products or customers
only when a dimension needs them); nothing is loaded into pandas. Totals are their own GROUP
BYs, not sums of the cells: orders and customers are distinct counts, and a customer who bought
in two states counts once in the total and once in each state.

Every measure follows SPEC §3 (dashapp.analytics.measures): revenue, units and discounts of
lines of orders not cancelled; profit and margin over those of them whose cost is known, "n/a"
(None) where no line of a cell has a cost.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.sql import Select

from dashapp.analytics.measures import CENT, DISCOUNTS, ORDERS, REVENUE, UNITS, live_rows
from dashapp.analytics.query import (
    NOT_CANCELLED,
    Source,
    _by_period,
    active_customers,
    customers_per_period,
    family,
)
from dashapp.filters import Filters
from dashapp.store.filtering import line_conditions, needs_lines, rollup_conditions
from dashapp.store.grains import COST, COSTED_ORDERS, COSTED_REVENUE
from dashapp.store.models import ANY, Customer, Order, OrderLine, Product
from dashapp.store.periods import as_date, next_period_start

lines = OrderLine.__table__
orders = Order.__table__
products = Product.__table__
customers = Customer.__table__

NONE_LABEL = "(none)"  # a dimension value the order does not have (no state, no segment...)
MAX_ROWS = 500
MAX_COLUMNS = 60


class PivotError(ValueError):
    """A pivot that cannot be asked: unknown dimension or measure, or rows = columns."""


@dataclass(frozen=True)
class PivotDimension:
    name: str
    label: str
    table: Any  # where the value lives: lines, orders, products, customers
    # (dialect name, the rows' date column) -> the value's SQL expression
    value: Callable[[str, ColumnElement], ColumnElement]
    ordered: bool = False  # a time period: sorted by itself, not by the measure
    rollup_key: str | None = None  # the rollups' key column holding it (None: lines only)
    # One value per order (its date, customer, ship-to...), not per line (category, product,
    # sub-category, ship mode): an order counts in one of its values only.
    per_order: bool = True
    # Grouping by it groups by rollup_key itself (False: by a value read through that key,
    # as the sub-category through the product).
    rollup_exact: bool = True
    many: bool = False  # thousands of values (customers, products): never grouped by day


def _column(column) -> Callable[[str, ColumnElement], ColumnElement]:
    return lambda _dialect, _day: column


def _year(dialect: str, day: ColumnElement) -> ColumnElement:
    if dialect == "postgresql":
        return func.to_char(day, "YYYY")
    return func.strftime("%Y", day)


def _quarter(dialect: str, day: ColumnElement) -> ColumnElement:
    if dialect == "postgresql":
        return func.to_char(day, 'YYYY-"Q"Q')
    quarter = (cast(func.strftime("%m", day), Integer) + 2) // 3
    return func.strftime("%Y", day) + "-Q" + cast(quarter, String)


def _month(dialect: str, day: ColumnElement) -> ColumnElement:
    if dialect == "postgresql":
        return func.to_char(day, "YYYY-MM")
    return func.strftime("%Y-%m", day)


def _product_name(table) -> ColumnElement:
    return table.c.name + " (" + table.c.sku + ")"


def _customer_name(table) -> ColumnElement:
    # Customers may share a name (four "Stewart Classics Inc."): the id tells them apart.
    return table.c.name + " #" + cast(table.c.id, String)


def _product(_dialect: str, _day: ColumnElement) -> ColumnElement:
    return _product_name(products)


def _customer(_dialect: str, _day: ColumnElement) -> ColumnElement:
    return _customer_name(customers)


def _time(name: str, label: str, value) -> PivotDimension:
    return PivotDimension(name, label, lines, value, ordered=True, rollup_key="order_date")


def _on_order(name: str, label: str, column: str, many: bool = False) -> PivotDimension:
    """A dimension kept on the order (its ship-to, segment, channel): the lines read it through
    their order; the monthly rollups by the order's dimensions hold it as a key of that name."""
    return PivotDimension(
        name, label, orders, _column(orders.c[column]), rollup_key=column, many=many
    )


DIMENSIONS: dict[str, PivotDimension] = {
    d.name: d
    for d in (
        _time("year", "Year", _year),
        _time("quarter", "Quarter", _quarter),
        _time("month", "Month", _month),
        PivotDimension(
            "category", "Category", lines, _column(lines.c.category), False, "category", False
        ),
        # Today's catalog, as the sub-category filter: the product rollups joined to products.
        PivotDimension(
            "sub_category",
            "Sub-category",
            products,
            _column(products.c.sub_category),
            rollup_key="product_id",
            per_order=False,
            rollup_exact=False,
        ),
        PivotDimension(
            "product", "Product", products, _product, False, "product_id", False, many=True
        ),
        PivotDimension(
            "customer", "Customer", customers, _customer, False, "customer_id", many=True
        ),
        PivotDimension("country", "Country", lines, _column(lines.c.country), False, "country"),
        _on_order("region", "Region", "ship_region"),
        _on_order("state", "State / province", "ship_state"),
        _on_order("city", "City", "ship_city", many=True),
        _on_order("segment", "Segment", "segment"),
        _on_order("channel", "Channel", "channel"),
        PivotDimension(
            "ship_mode", "Ship mode", lines, _column(lines.c.ship_mode), per_order=False
        ),
        PivotDimension("status", "Status", lines, _column(lines.c.status), rollup_key="status"),
    )
}

_LIVE = NOT_CANCELLED  # lines of orders not cancelled (SPEC §3)
_COSTED = and_(_LIVE, lines.c.cost_cents.is_not(None))


@dataclass(frozen=True)
class PivotMeasure:
    name: str
    label: str
    kind: str  # "money", "count" or "percent"
    sums: tuple[ColumnElement, ...]  # the SQL aggregates over the lines
    value: Callable[..., Any]  # the aggregates -> the shown value (None: n/a)
    # The same aggregates over rollup rows, or None where no rollup holds what the measure
    # needs; `reads`: the rollup columns they read (a table without them cannot answer).
    over_rollup: Callable[[Any], tuple[ColumnElement, ...]] | None = None
    reads: tuple[str, ...] = ()


def _money(cents) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(CENT)


def _profit(profit, costed_lines) -> Decimal | None:
    return None if not costed_lines else _money(profit)


def _margin(profit, costed_revenue, costed_lines) -> Decimal | None:
    """Profit / revenue of the lines with a cost, in percent, rounded half away from zero to
    2 decimals; n/a without such lines or when their revenue is 0."""
    if not costed_lines or not costed_revenue:
        return None
    value = Fraction(int(profit) * 100, int(costed_revenue))
    hundredths = floor(abs(value) * 100 + Fraction(1, 2))
    return (Decimal(hundredths if value >= 0 else -hundredths) / 100).quantize(CENT)


def _sum(column) -> ColumnElement:
    return func.coalesce(func.sum(column), 0)


def _live_sum(value) -> ColumnElement:
    return func.coalesce(func.sum(case((_LIVE, value), else_=0)), 0)


def _costed_sum(value) -> ColumnElement:
    return func.coalesce(func.sum(case((_COSTED, value), else_=0)), 0)


_COSTED_LINES = func.count(case((_COSTED, lines.c.id)))
# Over rollup rows (grains.PIVOT): profit is the costed revenue minus the cost; the orders with
# a costed line say whether any line had a cost (profit n/a when none did).
_COSTED_COLUMNS = (COSTED_REVENUE.name, COST.name, COSTED_ORDERS.name)


def _rollup_profit(t) -> ColumnElement:
    return _sum(t.c[COSTED_REVENUE.name]) - _sum(t.c[COST.name])


MEASURES: dict[str, PivotMeasure] = {
    m.name: m
    for m in (
        PivotMeasure(
            "revenue",
            "Revenue",
            "money",
            (_live_sum(lines.c.amount_cents),),
            _money,
            lambda t: (_sum(t.c[REVENUE.name]),),
            (REVENUE.name,),
        ),
        PivotMeasure(
            "orders",
            "Orders",
            "count",
            (func.count(distinct(case((_LIVE, lines.c.order_id)))),),
            int,
            lambda t: (_sum(t.c[ORDERS.name]),),
            (ORDERS.name,),
        ),
        PivotMeasure(
            "units",
            "Units",
            "count",
            (_live_sum(lines.c.quantity),),
            int,
            lambda t: (_sum(t.c[UNITS.name]),),
            (UNITS.name,),
        ),
        PivotMeasure(
            "customers",
            "Customers",
            "count",
            (func.count(distinct(case((_LIVE, lines.c.customer_id)))),),
            int,
            lambda t: (func.count(distinct(case((live_rows(t), t.c.customer_id)))),),
            ("customer_id", ORDERS.name),
        ),
        PivotMeasure(
            "profit",
            "Gross profit",
            "money",
            (_costed_sum(lines.c.amount_cents - lines.c.cost_cents), _COSTED_LINES),
            _profit,
            lambda t: (_rollup_profit(t), _sum(t.c[COSTED_ORDERS.name])),
            _COSTED_COLUMNS,
        ),
        PivotMeasure(
            "margin",
            "Margin %",
            "percent",
            (
                _costed_sum(lines.c.amount_cents - lines.c.cost_cents),
                _costed_sum(lines.c.amount_cents),
                _COSTED_LINES,
            ),
            _margin,
            lambda t: (
                _rollup_profit(t),
                _sum(t.c[COSTED_REVENUE.name]),
                _sum(t.c[COSTED_ORDERS.name]),
            ),
            _COSTED_COLUMNS,
        ),
        # SPEC §3: discounts are list value (quantity x unit price) minus the amount, of the
        # lines with a discount: the KPIs' measure (analytics.measures.DISCOUNTS).
        PivotMeasure(
            "discount",
            "Discounts",
            "money",
            (DISCOUNTS.over_lines(),),
            _money,
            lambda t: (_sum(t.c[DISCOUNTS.name]),),
            (DISCOUNTS.name,),
        ),
    )
}


@dataclass
class Pivot:
    rows: str
    columns: str | None
    measure: str
    row_labels: list[str] = field(default_factory=list)
    column_labels: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], Any] = field(default_factory=dict)  # (row, column) -> value
    row_totals: dict[str, Any] = field(default_factory=dict)
    column_totals: dict[str, Any] = field(default_factory=dict)
    total: Any = None
    rows_found: int = 0  # before the cap: the pivot says "50 of 3,214 rows"
    columns_found: int = 0

    @property
    def kind(self) -> str:
        return MEASURES[self.measure].kind

    def cell(self, row: str, column: str) -> Any:
        """A cell's value; None where the slice has no lines (shown empty, not as zero)."""
        return self.cells.get((row, column))


def _joined(source, needed: set) -> Any:
    """The rows joined to the tables the dimensions read (orders only for the lines)."""
    key = source.c
    if orders in needed:
        source = source.join(orders, orders.c.id == key.order_id)
    if products in needed:
        source = source.join(products, products.c.id == key.product_id)
    if customers in needed:
        # Outer: orders imported without customers are the "(none)" customer, not left out.
        source = source.outerjoin(customers, customers.c.id == key.customer_id)
    return source


# The rollup families the pivot reads (grains.py declares them; query.family finds each one's
# tables by its keys), smallest first. An order has one date, country and customer, but may
# have lines in several categories and products: those two are line keys.
# The order's own dimensions, keys of the two monthly grains by them (grains.PIVOT measures).
_ORDER_DIMENSIONS = ("status", "channel", "segment", "country", "ship_region", "ship_state")
_FAMILIES = (
    ("country",),
    ("category", "country"),
    ("product_id", "category"),
    ("customer_id", "country"),
    ("country", "category", "product_id"),
    ("category", "customer_id", "country"),
    (*_ORDER_DIMENSIONS, "ship_city"),
    ("category", *_ORDER_DIMENSIONS),
)
_LINE_KEYS = {"category", "product_id"}


def _splits_orders(extra: set[str], grouped: set[str], f: Filters) -> bool:
    """Whether summing a per-order count over the rollup keys not grouped by (`extra`) counts
    an order more than once: over a line key, unless one value of it is selected (a product's
    lines carry its category, so grouped or filtered by one product, category splits nothing)."""
    split = extra & _LINE_KEYS
    if "product_id" in grouped or len(f.products) == 1:
        split -= {"category"}
    if len(f.categories) == 1:
        split -= {"category"}
    if len(f.products) == 1:
        split -= {"product_id"}
    return bool(split)


def _rollup_rows(
    m: PivotMeasure, dims: list[PivotDimension], f: Filters, customerless: bool = False
) -> Source | None:
    """Rollup rows that answer `m` by `dims` under `f` exactly, or None (read the lines).
    `customerless`: some orders have no customer, and the rollups keyed by customer leave
    them out, so grouping by customer reads the lines (their "(none)" row)."""
    if m.over_rollup is None or needs_lines(f) or any(d.rollup_key is None for d in dims):
        return None
    needed = {d.rollup_key for d in dims} - {"order_date"}
    if customerless and "customer_id" in needed:
        return None
    # The keys each group is one value of (grouped by sub-category, the products are summed).
    grouped = {d.rollup_key for d in dims if d.rollup_exact} - {"order_date"}
    needed |= {"category"} if f.categories else set()
    needed |= {"product_id", "category"} if f.products else set()
    needed |= {"country"} if f.countries else set()
    needed |= {"customer_id"} if m.name == "customers" else set()
    for keys in _FAMILIES:
        if not needed <= set(keys):
            continue
        if m.name == "orders" and _splits_orders(set(keys) - grouped, grouped, f):
            continue
        tables = family(*keys)
        if any(c not in table.c for table in tables.values() for c in m.reads):
            continue  # profit, margin, discounts: only the grains that hold them
        timed = any(d.ordered for d in dims)
        if not timed and f.start is None and f.end is None and "all" in tables:
            return Source(tables["all"], rollup_conditions(tables["all"], f))
        if "day" not in tables:  # monthly only: whole months, or the lines
            if not _whole_months(f):
                continue
            return Source(tables["month"], rollup_conditions(tables["month"], f))
        return _by_period(dict(tables), f, ("month",))
    return None


def _whole_months(f: Filters) -> bool:
    """Whether the date range is whole calendar months (or open), so monthly rows answer it."""
    starts = f.start is None or f.start.day == 1
    return starts and (f.end is None or next_period_start(f.end, "day").day == 1)


def _label(d: PivotDimension, rows, from_rollup: bool, dialect: str) -> ColumnElement:
    """The label `d` shows for a row of `rows` (the lines or rollup rows)."""
    if d.table in (lines, orders) and from_rollup:
        value = d.value(dialect, rows.c.order_date) if d.ordered else rows.c[d.rollup_key]
    else:
        value = d.value(dialect, lines.c.order_date)
    if not d.ordered:
        value = func.nullif(value, "")  # the rollups keep a missing country as ''
    return func.coalesce(value, NONE_LABEL)


# Measures whose aggregates add up over any rows: a total is the sum of its cells.
_SUMS = frozenset({"revenue", "units", "profit", "margin", "discount"})
CELLS, ROW_TOTALS, COLUMN_TOTALS, GRAND_TOTAL = 0, 1, 2, 3


def _one_pass(
    dims: list[PivotDimension], m: PivotMeasure, f: Filters, dialect: str, customerless: bool
) -> Select | None:
    """The cells and every total in one statement that reads the rows once, or None where the
    rollups answer (orders by rollup keys need other families for the totals, see _rollup_rows;
    customers and products are better capped first).

    The rows are grouped once, by the plain columns (a day, an id, a status: an index can hand
    them over in order, no expression per line), into a small table: per group the measure's
    sums, or for a distinct count the ids (orders, customers) and whether each has a line not
    cancelled. Those groups are labelled (periods, names through the product or customer) and
    the cells and the totals are GROUP BYs of them, tagged CELLS..GRAND_TOTAL in a UNION ALL.
    An order is one value of a per-order dimension, so with only such dimensions orders add up
    like a sum. A period is grouped by day (or month) first, unless a dimension with thousands
    of values would make that table big."""
    source = _rollup_rows(m, dims, f, customerless)
    from_rollup = source is not None
    if from_rollup and (m.name == "orders" or any(d.many for d in dims)):
        # Orders: each total may need another family. Thousands of customers or products:
        # their few shown rows' cells, grouped on their own, beat every cell in one go.
        return None
    if m.name == "orders" and not all(d.per_order for d in dims):
        # An order in several categories (products, ship modes): counted by its id in every
        # group, nearly a row per line to group again; each total's own count is cheaper.
        return None
    if from_rollup:
        rows, where = source.table, source.where
    else:
        rows, where = lines, line_conditions(f)
    by_day = not any(d.many for d in dims)
    raw = [
        _raw_key(d, rows, from_rollup, by_day, dialect).label(f"k{i}") for i, d in enumerate(dims)
    ]
    needed = {d.table for d in dims if d.table is orders and not from_rollup}
    if not from_rollup and dialect == "sqlite" and not _streams(raw, needed):
        raw = [_unindexed(k.element).label(k.name) for k in raw]
    read = select(*raw).select_from(_joined(rows, needed)).where(where)
    if m.name in _SUMS or (m.name == "orders" and all(d.per_order for d in dims)):
        sums = m.over_rollup(rows) if from_rollup else m.sums
        grouped = read.add_columns(*(s.label(f"m{j}") for j, s in enumerate(sums)))
        measures = [f"m{j}" for j in range(len(sums))]
        grouped = grouped.group_by(*raw)
    else:
        if from_rollup:
            ident, live = rows.c.customer_id, live_rows(rows)
        else:
            ident = lines.c.order_id if m.name == "orders" else lines.c.customer_id
            live = _LIVE
        counted = func.max(case((live, 1), else_=0)).label("live")
        grouped = read.add_columns(ident.label("id"), counted).group_by(*raw, ident)
        measures = ["id", "live"]
    groups = grouped.cte("pivot_groups")
    # The labels: the same label may come from several groups ('' and NULL are "(none)").
    shown, joined = [], groups
    for i, d in enumerate(dims):
        label, joined = _shown_key(d, groups.c[f"k{i}"], joined, by_day, dialect)
        shown.append(label.label(f"k{i}"))
    labelled = select(*shown, *(groups.c[c] for c in measures)).select_from(joined)
    cells = labelled.cte("pivot_labelled")
    if measures[0] == "id":
        totals = [func.count(distinct(case((cells.c.live == 1, cells.c.id))))]
    else:
        totals = [func.coalesce(func.sum(cells.c[c]), 0) for c in measures]

    def part(tag: int, *keys):
        columns = [cells.c[f"k{i}"] if k else null() for i, k in enumerate(keys)]
        query = select(literal_column(str(tag)), *columns, *totals).select_from(cells)
        by = [cells.c[f"k{i}"] for i, k in enumerate(keys) if k]
        return query.group_by(*by) if by else query

    if len(dims) == 1:
        return union_all(part(ROW_TOTALS, True), part(GRAND_TOTAL, False))
    return union_all(
        part(CELLS, True, True),
        part(ROW_TOTALS, True, False),
        part(COLUMN_TOTALS, False, True),
        part(GRAND_TOTAL, False, False),
    )


def _streams(keys: list, joined: set) -> bool:
    """Whether an index of order_lines hands the lines over in the order of these keys (all
    plain columns of the lines, the leading columns of one index), so the GROUP BY needs no
    sort; else SQLite would still walk a partly fitting index, reading the lines out of order."""
    names = {getattr(k.element, "name", None) for k in keys}
    if joined or not all(isinstance(k.element, Column) and k.element.table is lines for k in keys):
        return False
    return any(
        names == {c.name for c in list(index.columns)[: len(names)]} for index in lines.indexes
    )


def _unindexed(column) -> ColumnElement:
    """+column on SQLite: the same value, but no index is walked for it."""
    if not isinstance(column, Column):
        return column
    return literal_column(f"+{column.table.name}.{column.name}", column.type)


def _raw_key(
    d: PivotDimension, rows, from_rollup: bool, by_day: bool, dialect: str
) -> ColumnElement:
    """What the rows are first grouped by for `d`: its plain column (the day, the product or
    customer id, the status...), or a period's label where periods are not grouped by day."""
    if d.ordered:
        return rows.c.order_date if by_day else d.value(dialect, rows.c.order_date)
    if d.table is products:
        return rows.c.product_id
    if d.table is customers:
        return rows.c.customer_id
    if d.table in (lines, orders) and from_rollup:
        return rows.c[d.rollup_key]
    if d.table is lines:
        return d.value(dialect, lines.c.order_date)
    return d.value(dialect, lines.c.order_date)  # an orders column (joined to the lines)


def _shown_key(d: PivotDimension, key, joined, by_day: bool, dialect: str):
    """The label of a _raw_key value, and `joined` with the table it is read from."""
    if d.ordered:
        return (d.value(dialect, key) if by_day else key), joined
    if d.table is products:
        table = products.alias()
        value = _product_name(table) if d.name == "product" else table.c.sub_category
        joined = joined.join(table, table.c.id == key)
    elif d.table is customers:
        # Outer: orders imported without customers are the "(none)" customer, not left out.
        table = customers.alias()
        value = _customer_name(table)
        joined = joined.outerjoin(table, table.c.id == key)
    else:
        value = key
    return func.coalesce(func.nullif(value, ""), NONE_LABEL), joined


def _grouped(
    dims: list[PivotDimension],
    m: PivotMeasure,
    f: Filters,
    dialect: str,
    within: dict[int, list[str]] | None = None,
    customerless: bool = False,
) -> Select:
    """One GROUP BY of `m` by `dims` (none: the grand total), from the rollups where they
    answer it exactly, else from the lines; `within` keeps only these labels of a dimension
    (by its position), so the cells of the shown rows are all that is grouped."""
    source = _rollup_rows(m, dims, f, customerless)
    if source is None:
        rows, where, sums = lines, line_conditions(f), m.sums
        needed = {d.table for d in dims}
    else:
        rows, where, sums = source.table, source.where, m.over_rollup(source.table)
        needed = {d.table for d in dims} - {lines, orders}  # the rollups hold the order's keys
    values = [_label(d, rows, source is not None, dialect) for d in dims]
    keys = [v.label(f"k{i}") for i, v in enumerate(values)]
    labelled = [*keys, *(s.label(f"m{i}") for i, s in enumerate(sums))]
    shown = [values[i].in_(labels) for i, labels in (within or {}).items()]
    query = select(*labelled).select_from(_joined(rows, needed)).where(where, *shown)
    return query.group_by(*keys) if keys else query


def _any_order_without_customer(conn: Connection) -> bool:
    """One seek on ix_orders_customer_date."""
    stmt = select(orders.c.id).where(orders.c.customer_id.is_(None)).limit(1)
    return conn.execute(stmt).first() is not None


# Measures whose value grows with their one aggregate (cents, a count): ranked by it as the
# database gave it, the same order as by the value.
_MONOTONIC = frozenset({"revenue", "orders", "units", "customers", "discount"})


class _Raw(dict):
    """Totals as the database gave them (label -> the measure's one aggregate), turned into the
    measure's value only where one is read (`totals[label]`); `items()` gives the raw ones,
    which _first ranks (turning 92,643 customers' cents into Decimals took 0.3 s at 1M)."""

    def __init__(self, raw: dict, value: Callable[[Any], Any]) -> None:
        super().__init__(raw)
        self.value = value

    def __getitem__(self, label):
        return self.value(super().__getitem__(label))


def _first(totals: dict, m: PivotMeasure, d: PivotDimension, cap: int) -> list[str]:
    """The labels of the first `cap` of these totals in the pivot's order (_sort_key): a heap,
    not a sort of every label (92,643 customers' Decimals sorted took a second at 1M)."""
    ranked = heapq.nsmallest(cap, totals.items(), key=_sort_key(m, d.ordered))
    return [label for label, _ in ranked]


def _sort_key(measure: PivotMeasure, ordered: bool):
    if ordered:
        return lambda item: item[0]

    def by_value(item):  # largest first, n/a last, then by label
        label, value = item
        return (value is None, -(value or 0), label)

    return by_value


def pivot(
    conn: Connection,
    f: Filters,
    rows: str,
    columns: str | None = None,
    measure: str = "revenue",
    *,
    max_rows: int = 50,
    max_columns: int = 24,
) -> Pivot:
    """`measure` by `rows` (and `columns`), filtered by `f`. Rows and columns are sorted by
    their total (time periods by time) and capped at max_rows / max_columns, the counts before
    the cap kept in rows_found / columns_found; totals count every row and column."""
    if rows not in DIMENSIONS:
        raise PivotError(f"Unknown row dimension {rows!r}; choose one of {', '.join(DIMENSIONS)}")
    if columns is not None and columns not in DIMENSIONS:
        raise PivotError(
            f"Unknown column dimension {columns!r}; choose one of {', '.join(DIMENSIONS)}"
        )
    if columns == rows:
        raise PivotError("Rows and columns are the same dimension; pick two different ones")
    if measure not in MEASURES:
        raise PivotError(f"Unknown measure {measure!r}; choose one of {', '.join(MEASURES)}")
    if not 1 <= max_rows <= MAX_ROWS or not 1 <= max_columns <= MAX_COLUMNS:
        raise PivotError(f"Show 1 to {MAX_ROWS} rows and 1 to {MAX_COLUMNS} columns")
    m = MEASURES[measure]
    dialect = conn.dialect.name
    row_dim = DIMENSIONS[rows]
    col_dim = DIMENSIONS[columns] if columns else None

    customerless = "customer" in (rows, columns) and _any_order_without_customer(conn)
    dims = [row_dim, *([col_dim] if col_dim else [])]
    chained = _from_chains(conn, dims, f) if measure == "customers" else None
    one_pass = None if chained else _one_pass(dims, m, f, dialect, customerless)
    if chained is not None:
        row_totals, column_totals, grand, cells = chained
    elif one_pass is not None:
        found: dict[int, dict] = {CELLS: {}, ROW_TOTALS: {}, COLUMN_TOTALS: {}, GRAND_TOTAL: {}}
        width = len(dims)
        for r in conn.execute(one_pass):
            found[r[0]][tuple(r[1 : 1 + width])] = m.value(*r[1 + width :])
        row_totals = {k[0]: v for k, v in found[ROW_TOTALS].items()}
        column_totals = {k[1]: v for k, v in found[COLUMN_TOTALS].items()}
        grand = next(iter(found[GRAND_TOTAL].values()), None)
        cells = found[CELLS]
    else:
        row_totals, column_totals, grand, cells = _grouping_by_grouping(
            conn, dims, m, f, customerless, max_rows, max_columns
        )
    result = Pivot(rows=rows, columns=columns, measure=measure, total=grand)
    result.rows_found = len(row_totals)
    result.row_labels = _first(row_totals, m, row_dim, max_rows)
    result.row_totals = {label: row_totals[label] for label in result.row_labels}
    if col_dim is None:
        result.column_labels = []
        return result
    result.columns_found = len(column_totals)
    result.column_labels = _first(column_totals, m, col_dim, max_columns)
    result.column_totals = {label: column_totals[label] for label in result.column_labels}
    shown_rows, shown_columns = set(result.row_labels), set(result.column_labels)
    for (row, column), value in cells.items():
        if row in shown_rows and column in shown_columns:
            result.cells[(row, column)] = value
    return result


_PERIOD_LABELS = {
    "year": lambda d: f"{d.year}",
    "quarter": lambda d: f"{d.year}-Q{(d.month - 1) // 3 + 1}",
    "month": lambda d: f"{d.year}-{d.month:02d}",
}
_CHAINS = {"category": 0, "country": 1}  # the position of each in a reach key


def _from_chains(
    conn: Connection, dims: list[PivotDimension], f: Filters
) -> tuple[dict, dict, Any, dict] | None:
    """Distinct customers by category or country and a period, from the customers' activity
    chains (dashapp.store.reach: per category, per country and over all, not per both), as
    sums of a few rows per day instead of a DISTINCT over every customer; None where the
    chains do not hold the answer (other filters than dates, category and country together,
    two periods, a category or country without a name, which has no chain).

    The chains count only customers with a line not cancelled; the cells and rows that exist
    (a slice of cancelled lines shows 0) come from the revenue rollups."""
    names = [d.name for d in dims]
    periods = [n for n in names if n in _PERIOD_LABELS]
    keyed = [n for n in names if n in _CHAINS]
    if f != Filters(start=f.start, end=f.end) or len(periods) + len(keyed) != len(dims):
        return None
    if len(keyed) > 1 or len(periods) > 1:
        return None
    slices = _one_pass(dims, MEASURES["revenue"], f, conn.dialect.name, False)
    if slices is None:
        return None
    found: dict[int, set] = {CELLS: set(), ROW_TOTALS: set(), COLUMN_TOTALS: set()}
    for r in conn.execute(slices):
        if r[0] != GRAND_TOTAL:
            found[r[0]].add(tuple(r[1 : 1 + len(dims)]))
    if keyed and NONE_LABEL in {k[names.index(keyed[0])] for k in found[ROW_TOTALS]}:
        return None
    if keyed and NONE_LABEL in {k[names.index(keyed[0])] for k in found[COLUMN_TOTALS]}:
        return None

    def chain(value: str | None) -> tuple[str, str]:
        key = [ANY, ANY]
        if value is not None:
            key[_CHAINS[keyed[0]]] = value
        return key[0], key[1]

    def per_period(value: str | None) -> dict[str, int]:
        label = _PERIOD_LABELS[periods[0]]
        counts = customers_per_period(conn, chain(value), f, periods[0])
        return {label(as_date(day)): n for day, n in counts.items()}

    def active(value: str | None) -> int:
        return active_customers(conn, chain(value), f.start, f.end)

    grand = active(None)
    totals: list[dict] = []
    for position, name in enumerate(names):
        tag = ROW_TOTALS if position == 0 else COLUMN_TOTALS
        labels = {k[position] for k in found[tag]}
        counted = per_period(None) if name in _PERIOD_LABELS else {v: active(v) for v in labels}
        totals.append({label: counted.get(label, 0) for label in labels})
    cells = {}
    if len(dims) == 2:
        by_value = {}
        for cell in found[CELLS]:
            value = cell[names.index(keyed[0])]
            if value not in by_value:
                by_value[value] = per_period(value)
            cells[cell] = by_value[value].get(cell[names.index(periods[0])], 0)
    return totals[0], totals[1] if len(totals) > 1 else {}, grand, cells


def _grouping_by_grouping(
    conn: Connection,
    dims: list[PivotDimension],
    m: PivotMeasure,
    f: Filters,
    customerless: bool,
    max_rows: int,
    max_columns: int,
) -> tuple[dict, dict, Any, dict]:
    """Row totals, column totals, the grand total and the cells (of the shown rows and
    columns), each its own GROUP BY from the rollups that answer it exactly."""
    dialect = conn.dialect.name

    def run(grouped, within=None):
        return conn.execute(_grouped(grouped, m, f, dialect, within, customerless)).all()

    def values(result, width):
        return {tuple(r[:width]): m.value(*r[width:]) for r in result}

    def totals(result):
        if m.name in _MONOTONIC:  # the values of the first few only (92,643 customers at 1M)
            return _Raw({r[0]: r[1] for r in result}, m.value)
        return {r[0]: m.value(*r[1:]) for r in result}

    row_dim, col_dim = dims[0], dims[1] if len(dims) > 1 else None
    row_totals = totals(run([row_dim]))
    grand = next(iter(values(run([]), 0).values()), None)
    if col_dim is None:
        return row_totals, {}, grand, {}
    column_totals = totals(run([col_dim]))
    within = {}
    for i, (dim, totals, cap) in enumerate(
        ((row_dim, row_totals, max_rows), (col_dim, column_totals, max_columns))
    ):
        if len(totals) > cap:
            within[i] = _first(totals, m, dim, cap)
    cells = values(run([row_dim, col_dim], within), 2)
    return row_totals, column_totals, grand, cells


def as_table(p: Pivot) -> tuple[list[str], list[list[Any]]]:
    """The pivot as a header and rows (for CSV and the CLI): the row label, a value per shown
    column (or none when there are no columns) and the row total; the totals row last."""
    header = [DIMENSIONS[p.rows].label, *p.column_labels, "Total"]
    body = [
        [row, *(p.cell(row, c) for c in p.column_labels), p.row_totals[row]] for row in p.row_labels
    ]
    body.append(["Total", *(p.column_totals[c] for c in p.column_labels), p.total])
    return header, body
