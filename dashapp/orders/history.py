"""Order history: one page at a time, sorted and filtered in SQL, under the page's global
filters; and the same selection as a streamed CSV.

Column filters take AG Grid's filter model ({"filterType": "text", "type": "contains",
"filter": "acme"}, the combined {"operator": "OR", "conditions": [...]} form, and "set"
filters), or a plain value as shorthand (text: contains; number: equals; list: one of).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Join,
    Select,
    and_,
    func,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles

from dashapp.csv_writer import money, stream_csv
from dashapp.filters import Filters
from dashapp.store.filtering import order_conditions, rollup_conditions
from dashapp.store.models import (
    Customer,
    Order,
    OrderLine,
    RollupDayCategoryCountry,
    RollupDayCountry,
)

orders = Order.__table__
lines = OrderLine.__table__
customers = Customer.__table__
by_country = RollupDayCountry.__table__
by_category_country = RollupDayCategoryCountry.__table__

MAX_PAGE_SIZE = 1_000
NO_CUSTOMER_SHOWN = "— (no customer)"
# Lines and units are counted per order on the fly; sorting or filtering on them is refused
# beyond this many orders (narrow the filters first) so no request scans the whole table.
MAX_ROWS_FOR_LINE_FIGURES = 50_000
DEFAULT_SORT: tuple[tuple[str, str], ...] = (("date", "desc"),)

_line_count = (
    select(func.count()).where(lines.c.order_id == orders.c.id).scalar_subquery().label("lines")
)
_units = (
    select(func.coalesce(func.sum(lines.c.quantity), 0))
    .where(lines.c.order_id == orders.c.id)
    .scalar_subquery()
    .label("units")
)
# Grid column -> (SQL expression, filter kind). Only these can be sorted and filtered.
COLUMNS: dict[str, tuple[Any, str]] = {
    "number": (orders.c.order_number, "text"),
    "date": (orders.c.order_date, "date"),
    "customer": (customers.c.name, "text"),
    "country": (orders.c.country, "text"),
    "status": (orders.c.status, "text"),
    "channel": (orders.c.channel, "text"),
    "total": (orders.c.total_cents, "money"),
    "lines": (_line_count, "number"),
    "units": (_units, "number"),
}
CSV_HEADER = ["Order number", "Date", "Customer", "Country", "Status", "Channel", "Lines"]
CSV_HEADER += ["Units", "Total"]


class HistoryQueryError(ValueError):
    """A sort or filter the history cannot apply; the message names the column."""


def order_history_page(
    conn: Connection,
    f: Filters,
    page: int = 1,
    page_size: int = 50,
    sort: Sequence[Any] | None = None,
    column_filters: Mapping[str, Any] | None = None,
) -> tuple[list[dict], int]:
    """One page (1-based) of the filtered, sorted orders, and how many orders match in all."""
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, int(page))
    _guard_line_figures(conn, f, sort, column_filters)
    where = _where(f, column_filters)
    total = _count(conn, f, column_filters, where)
    first = _customer_sort_first(conn, sort)
    stmt = (
        _base_select(with_line_figures=False, customers_first=first)
        .where(where)
        .order_by(*_order_by(sort, first))
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    rows = [dict(r._mapping) for r in conn.execute(stmt)]
    # Line figures for this page only, instead of a correlated count per row.
    figures = _line_figures(conn, [r["id"] for r in rows])
    for row in rows:
        row["lines"], row["units"] = figures.get(row["id"], (0, 0))
    return rows, total


def _count(conn: Connection, f: Filters, column_filters: Mapping[str, Any] | None, where) -> int:
    """How many orders match. Under a date range, countries and at most one category (the
    grid's usual views), a sum of a daily rollup's all_orders, kept exact with every write:
    counting the matching orders on every page took 300 ms for all 10M orders and 1 s for
    one category's 90 days. An order counts once in each category it has lines in, so more
    than one category is counted from the orders."""
    rollup = by_category_country if f.categories else by_country
    rest = replace(f, start=None, end=None, countries=(), categories=())
    summable = rest == Filters() and len(f.categories) <= 1
    summable &= "" not in f.countries  # the rollups keep no country as ''
    summable &= not any(m not in (None, "", []) for m in (column_filters or {}).values())
    if not summable:
        return conn.execute(select(func.count()).select_from(orders).where(where)).scalar_one()
    stmt = select(func.coalesce(func.sum(rollup.c.all_orders), 0)).where(
        rollup_conditions(rollup, f)
    )
    return int(conn.execute(stmt).scalar_one())


def export_history_csv(
    conn: Connection,
    f: Filters,
    sort: Sequence[Any] | None = None,
    column_filters: Mapping[str, Any] | None = None,
) -> Iterator[str]:
    """Exactly the filtered orders as CSV text in chunks (header first, money with 2 decimals)."""
    stmt = export_query(conn, f, sort, column_filters)

    def cells(r: Any) -> list[Any]:
        when = r.date.isoformat(sep=" ") if isinstance(r.date, datetime) else str(r.date)
        return [
            r.number,
            when,
            r.customer,
            r.country or "",
            r.status,
            r.channel or "",
            r.lines,
            r.units,
            money(r.total_cents),
        ]

    return stream_csv(conn, stmt, CSV_HEADER, cells)


def export_query(
    conn: Connection,
    f: Filters,
    sort: Sequence[Any] | None = None,
    column_filters: Mapping[str, Any] | None = None,
) -> Select:
    """The rows an export of the history holds (number, date, customer, country, status,
    channel, lines, units, total_cents), in the grid's order; CSV and XLSX read the same."""
    _guard_line_figures(conn, f, sort, column_filters)
    where = _where(f, column_filters)
    first = _customer_sort_first(conn, sort)
    stmt = _base_select(with_line_figures=True, customers_first=first)
    return stmt.where(where).order_by(*_order_by(sort, first))


def as_grid_row(row: Mapping[str, Any]) -> dict:
    """A history row as JSON-safe values for the grid (total in currency units)."""
    out = dict(row)
    if row.get("customer") is None:
        out["customer"] = NO_CUSTOMER_SHOWN  # imported without customers; the API says null
    when = row["date"]
    out["date"] = when.isoformat(sep=" ", timespec="minutes") if when else None
    out["total"] = float(Decimal(row["total_cents"]) / 100)
    return out


class _CustomersFirst(Join):
    """customers JOIN orders that SQLite reads customers first (a CROSS JOIN, which its planner
    never reorders): sorted by name, a page then walks the name index and each customer's
    orders, where SQLite's own choice sorted every order (3 s at 10M orders)."""

    inherit_cache = True


@compiles(_CustomersFirst, "sqlite")
def _cross_join(element: _CustomersFirst, compiler, **kw) -> str:  # noqa: ANN001
    kw["asfrom"] = True
    left = compiler.process(element.left, **kw)
    right = compiler.process(element.right, **kw)
    return f"{left} CROSS JOIN {right} ON {compiler.process(element.onclause, **kw)}"


def _customer_sort_first(conn: Connection, sort: Sequence[Any] | None) -> bool:
    """Customers first only while every order has a customer: that plan is an inner join, so
    it would leave out the orders imported without customers. Whether any exists is one seek
    on ix_orders_customer_date."""
    if not (sort and _sort_pair(sort[0])[0] == "customer"):
        return False
    no_customer = select(orders.c.id).where(orders.c.customer_id.is_(None)).limit(1)
    return conn.execute(no_customer).first() is None


def _base_select(*, with_line_figures: bool, customers_first: bool = False) -> Select:
    cols = [
        orders.c.id,
        orders.c.order_number.label("number"),
        orders.c.ordered_at.label("date"),
        orders.c.customer_id,
        customers.c.name.label("customer"),
        orders.c.country,
        orders.c.status,
        orders.c.channel,
        orders.c.total_cents,
    ]
    if with_line_figures:
        cols += [_line_count, _units]
    if customers_first:
        joined = _CustomersFirst(customers, orders, customers.c.id == orders.c.customer_id)
    else:
        # Outer: an order imported without customers (customer_id NULL) is listed too.
        joined = orders.outerjoin(customers, customers.c.id == orders.c.customer_id)
    return select(*cols).select_from(joined)


def _line_figures(conn: Connection, order_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not order_ids:
        return {}
    rows = conn.execute(
        select(lines.c.order_id, func.count(), func.sum(lines.c.quantity))
        .where(lines.c.order_id.in_(order_ids))
        .group_by(lines.c.order_id)
    )
    return {oid: (int(n), int(units)) for oid, n, units in rows}


def _guard_line_figures(
    conn: Connection,
    f: Filters,
    sort: Sequence[Any] | None,
    column_filters: Mapping[str, Any] | None,
) -> None:
    """Refuse a sort or filter on lines/units over more than MAX_ROWS_FOR_LINE_FIGURES orders."""
    figures = {"lines", "units"}
    sorted_on = {_sort_pair(item)[0] for item in sort or ()}
    filtered_on = {c for c, m in (column_filters or {}).items() if m not in (None, "", [])}
    used = (sorted_on | filtered_on) & figures
    if not used:
        return
    others = {c: m for c, m in (column_filters or {}).items() if c not in figures}
    matching = conn.execute(
        select(func.count()).select_from(orders).where(_where(f, others))
    ).scalar_one()
    if matching > MAX_ROWS_FOR_LINE_FIGURES:
        raise HistoryQueryError(
            f"Sorting or filtering by {' and '.join(sorted(used))} works on up to "
            f"{MAX_ROWS_FOR_LINE_FIGURES:,} orders; {matching:,} match. Narrow the filters first."
        )


def _where(f: Filters, column_filters: Mapping[str, Any] | None) -> ColumnElement[bool]:
    conds = [order_conditions(f)]
    for column, model in (column_filters or {}).items():
        if column not in COLUMNS:
            raise HistoryQueryError(f"Cannot filter on {column!r}; use one of {', '.join(COLUMNS)}")
        if model is None or model == "" or model == []:
            continue
        conds.append(_column_condition(column, model))
    return and_(*conds)


def _order_by(sort: Sequence[Any] | None, customers_first: bool = False) -> list[Any]:
    """ORDER BY for (column, 'asc'|'desc') pairs or AG Grid sort models, plus a tiebreaker."""
    terms: list[Any] = []
    for item in sort or DEFAULT_SORT:
        column, direction = _sort_pair(item)
        if column not in COLUMNS:
            raise HistoryQueryError(f"Cannot sort by {column!r}; use one of {', '.join(COLUMNS)}")
        direction = str(direction or "asc").lower()
        if direction not in ("asc", "desc"):
            raise HistoryQueryError(f"Sort direction must be asc or desc, got {direction!r}")
        exprs = (
            [orders.c.order_date, orders.c.ordered_at] if column == "date" else [COLUMNS[column][0]]
        )
        for expr in exprs:
            term = expr.desc() if direction == "desc" else expr.asc()
            # SQLite and PostgreSQL put NULLs at opposite ends; pin them last on both.
            # An order without a customer has a NULL name; when there is none, the plain
            # order keeps SQLite walking the name index (customers first).
            nullable = ("country", "channel") + (() if customers_first else ("customer",))
            terms.append(term.nulls_last() if column in nullable else term)
    # The id makes the order total, so rows never repeat or vanish between pages.
    terms.append(orders.c.id.desc())
    return terms


def _sort_pair(item: Any) -> tuple[Any, Any]:
    if isinstance(item, Mapping):
        return item.get("colId"), item.get("sort")
    try:
        column, direction = item
    except (TypeError, ValueError):
        raise HistoryQueryError(f"Sort by (column, direction), got {item!r}") from None
    return column, direction


def _column_condition(column: str, model: Any) -> ColumnElement[bool]:
    if column == "customer":
        # Match the customers first, then their orders through ix_orders_customer_date:
        # far cheaper than testing the name of every order's customer.
        matching = select(customers.c.id).where(_column_condition_on(column, model))
        return orders.c.customer_id.in_(matching)
    return _column_condition_on(column, model)


def _column_condition_on(column: str, model: Any) -> ColumnElement[bool]:
    expr, kind = COLUMNS[column]
    if isinstance(model, Mapping) and "conditions" in model:
        parts = [_column_condition_on(column, m) for m in model["conditions"]]
        op = str(model.get("operator", "AND")).upper()
        return or_(*parts) if op == "OR" else and_(*parts)
    if isinstance(model, list | tuple):
        model = {"filterType": "set", "values": list(model)}
    elif not isinstance(model, Mapping):
        model = {"type": "contains" if kind == "text" else "equals", "filter": model}
    if model.get("filterType") == "set":
        values = [v for v in model.get("values") or [] if v is not None]
        if kind == "money":
            values = [_number(column, v, kind) for v in values]
        return expr.in_(values)
    ftype = model.get("type") or ("contains" if kind == "text" else "equals")
    if ftype == "blank":
        return expr.is_(None) if kind != "text" else or_(expr.is_(None), expr == "")
    if ftype == "notBlank":
        return expr.is_not(None) if kind != "text" else and_(expr.is_not(None), expr != "")
    if kind == "text":
        return _text_condition(column, expr, ftype, model.get("filter"))
    if kind == "date":
        lo = _date(column, model.get("dateFrom", model.get("filter")))
        hi = _date(column, model.get("dateTo")) if ftype == "inRange" else None
    else:
        lo = _number(column, model.get("filter"), kind)
        hi = _number(column, model.get("filterTo"), kind) if ftype == "inRange" else None
    return _compare(column, expr, ftype, lo, hi)


def _text_condition(column: str, expr, ftype: str, value: Any) -> ColumnElement[bool]:
    text = "" if value is None else str(value).strip().lower()
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    lowered = func.lower(expr)
    patterns = {
        "contains": f"%{escaped}%",
        "notContains": f"%{escaped}%",
        "startsWith": f"{escaped}%",
        "endsWith": f"%{escaped}",
    }
    if ftype in patterns:
        cond = lowered.like(patterns[ftype], escape="\\")
        return not_(cond) if ftype == "notContains" else cond
    if ftype == "equals":
        return lowered == text
    if ftype == "notEqual":
        return or_(expr.is_(None), lowered != text)
    raise HistoryQueryError(f"Unknown text filter {ftype!r} on {column}")


def _compare(column: str, expr, ftype: str, lo: Any, hi: Any) -> ColumnElement[bool]:
    ops = {
        "equals": lambda: expr == lo,
        "notEqual": lambda: expr != lo,
        "lessThan": lambda: expr < lo,
        "lessThanOrEqual": lambda: expr <= lo,
        "greaterThan": lambda: expr > lo,
        "greaterThanOrEqual": lambda: expr >= lo,
        # Inclusive at both ends: "from the 1st to the 31st" means both days.
        "inRange": lambda: and_(expr >= lo, expr <= hi),
    }
    if ftype not in ops:
        raise HistoryQueryError(f"Unknown filter {ftype!r} on {column}")
    if ftype == "inRange" and hi is None:
        raise HistoryQueryError(f"{column}: a range needs both ends")
    return ops[ftype]()


def _number(column: str, raw: Any, kind: str) -> int | None:
    if raw is None or raw == "":
        raise HistoryQueryError(f"{column}: enter a number")
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise HistoryQueryError(f"{column}: {raw!r} is not a number") from None
    if not value.is_finite():
        raise HistoryQueryError(f"{column}: {raw!r} is not a number")
    # Money is typed in currency units and compared in cents.
    return int((value * 100).to_integral_value()) if kind == "money" else int(value)


def _date(column: str, raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise HistoryQueryError(f"{column}: expected a date as YYYY-MM-DD, got {raw!r}") from None
