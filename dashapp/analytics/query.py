"""Building blocks shared by the metric queries: filter conditions and period buckets."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Connection, Date, Integer, and_, cast, func, select, true

from dashapp.filters import Filters
from dashapp.store.models import CANCELLED, Order, OrderLine, Product

lines = OrderLine.__table__
orders = Order.__table__
products = Product.__table__

NOT_CANCELLED = lines.c.status != CANCELLED


def line_conditions(f: Filters, *, dates: bool = True) -> ColumnElement[bool]:
    """Every filter as a WHERE clause on order_lines (dates optional, for data bounds)."""
    conds: list[ColumnElement[bool]] = []
    if dates and f.start:
        conds.append(lines.c.order_date >= f.start)
    if dates and f.end:
        conds.append(lines.c.order_date <= f.end)
    if f.categories:
        conds.append(lines.c.category.in_(f.categories))
    if f.products:
        conds.append(
            lines.c.product_id.in_(select(products.c.id).where(products.c.sku.in_(f.products)))
        )
    if f.countries:
        conds.append(lines.c.country.in_(f.countries))
    if f.customers:
        conds.append(lines.c.customer_id.in_(f.customers))
    if f.statuses:
        conds.append(lines.c.status.in_(f.statuses))
    if f.channels:
        conds.append(
            lines.c.order_id.in_(select(orders.c.id).where(orders.c.channel.in_(f.channels)))
        )
    if f.created_by:
        conds.append(
            lines.c.order_id.in_(select(orders.c.id).where(orders.c.created_by == f.created_by))
        )
    return and_(true(), *conds)


def period_bucket(conn: Connection, column, granularity: str):
    """An expression giving the first day of the period (day/week/month/quarter/year).

    Weeks start on Monday. SQLite returns 'YYYY-MM-DD' text, PostgreSQL a date.
    """
    if granularity not in ("day", "week", "month", "quarter", "year"):
        raise ValueError(f"unknown granularity {granularity!r}")
    if conn.dialect.name == "postgresql":
        if granularity == "day":
            return column
        return cast(func.date_trunc(granularity, column), Date)
    # SQLite stores dates as ISO text.
    if granularity == "day":
        return column
    if granularity == "week":
        return func.date(column, "-6 days", "weekday 1")
    if granularity == "month":
        return func.strftime("%Y-%m-01", column)
    if granularity == "year":
        return func.strftime("%Y-01-01", column)
    month = cast(func.strftime("%m", column), Integer)
    quarter_month = ((month - 1) // 3) * 3 + 1
    return func.printf("%s-%02d-01", func.strftime("%Y", column), quarter_month)


def as_date(value) -> date | None:
    """Normalise a date coming back from either dialect."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def data_bounds(conn: Connection, f: Filters | None = None) -> tuple[date | None, date | None]:
    """First and last order day (of the orders matching the non-date filters, if given)."""
    if f is None or f == Filters():
        row = conn.execute(select(func.min(orders.c.order_date), func.max(orders.c.order_date)))
    else:
        row = conn.execute(
            select(func.min(lines.c.order_date), func.max(lines.c.order_date)).where(
                line_conditions(f, dates=False)
            )
        )
    lo, hi = row.one()
    return as_date(lo), as_date(hi)
