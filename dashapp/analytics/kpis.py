"""KPIs with their deltas against the previous period and the same period last year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection, and_, case, distinct, exists, func, select

from dashapp.analytics.query import (
    NOT_CANCELLED,
    Source,
    active_customers,
    customer_source,
    data_bounds,
    line_conditions,
    lines,
    new_customers,
    order_source,
    reach_key,
)
from dashapp.filters import Filters, previous_period, same_period_last_year
from dashapp.store.models import CANCELLED, Customer

CENT = Decimal("0.01")


def cents_to_decimal(cents: int) -> Decimal:
    """Integer cents as an exact Decimal amount."""
    return (Decimal(cents) / 100).quantize(CENT)


@dataclass(frozen=True)
class Kpis:
    """The SPEC §3 numbers for one period. Money is integer cents."""

    revenue_cents: int = 0
    orders: int = 0
    customers: int = 0
    new_customers: int = 0
    units: int = 0
    all_orders: int = 0
    cancelled_orders: int = 0

    @property
    def revenue(self) -> Decimal:
        return cents_to_decimal(self.revenue_cents)

    @property
    def aov(self) -> Decimal:
        """Average order value, rounded half-up to the cent (0 with no orders)."""
        if not self.orders:
            return Decimal("0.00")
        return (Decimal(self.revenue_cents) / self.orders / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def returning_customers(self) -> int:
        return self.customers - self.new_customers

    @property
    def cancellation_rate(self) -> float:
        """Cancelled orders / all orders, as a fraction (0 with no orders)."""
        return self.cancelled_orders / self.all_orders if self.all_orders else 0.0

    def as_json(self) -> dict:
        """The KPI keys every surface uses; money as numbers with 2 decimals."""
        return {
            "revenue": float(self.revenue),
            "orders": self.orders,
            "aov": float(self.aov),
            "customers": self.customers,
            "new_customers": self.new_customers,
            "returning_customers": self.returning_customers,
            "units": self.units,
            "cancellation_rate": round(self.cancellation_rate, 4),
        }


def kpis(conn: Connection, f: Filters) -> Kpis:
    """The KPIs of the filtered orders: from the rollups when the filters allow it, else from
    the order lines (the same numbers either way)."""
    totals, people = order_source(f), customer_source(conn, f)
    if totals is not None and people is not None:
        return _kpis_from_rollups(conn, f, totals, people)
    return _kpis_from_lines(conn, f)


def _kpis_from_rollups(conn: Connection, f: Filters, totals: Source, people: Source) -> Kpis:
    t = totals.table.c
    row = conn.execute(
        select(
            *[
                func.coalesce(func.sum(t[m]), 0)
                for m in ("revenue_cents", "orders", "units", "all_orders", "cancelled_orders")
            ]
        )
        .select_from(totals.table)
        .where(totals.where)
    ).one()
    p = people.table.c
    active = and_(people.where, p.orders > 0)
    key = reach_key(f)
    if key is not None:
        count = active_customers(conn, key, f.start, f.end)
    else:
        count = conn.execute(select(func.count(distinct(p.customer_id))).where(active)).scalar_one()
    new = 0
    lo, _ = data_bounds(conn)
    if count and (f.start is None or lo is None or f.start <= lo):
        new = count  # nobody bought before the first order: everyone in the range is new
    elif count and key is not None:
        new = new_customers(conn, key, f.start, f.end)
    elif count:
        # Per customer, an index search of the daily rows: a union of month, week and day
        # pieces has no index, and the correlated search would scan it once per customer.
        days = customer_source(conn, f, by_day=True)
        d = days.table.c
        customers = Customer.__table__
        stmt = select(func.count()).where(
            exists().where(d.customer_id == customers.c.id, days.where, d.orders > 0)
        )
        if f.start:
            stmt = stmt.where(customers.c.first_order_date >= f.start)
        if f.end:
            stmt = stmt.where(customers.c.first_order_date <= f.end)
        new = conn.execute(stmt.select_from(customers)).scalar_one()
    return Kpis(
        revenue_cents=int(row[0]),
        orders=int(row[1]),
        customers=count,
        units=int(row[2]),
        all_orders=int(row[3]),
        cancelled_orders=int(row[4]),
        new_customers=new,
    )


def _kpis_from_lines(conn: Connection, f: Filters) -> Kpis:
    where = line_conditions(f)
    row = conn.execute(
        select(
            func.coalesce(func.sum(case((NOT_CANCELLED, lines.c.amount_cents))), 0),
            func.count(distinct(case((NOT_CANCELLED, lines.c.order_id)))),
            func.count(distinct(case((NOT_CANCELLED, lines.c.customer_id)))),
            func.coalesce(func.sum(case((NOT_CANCELLED, lines.c.quantity))), 0),
            func.count(distinct(lines.c.order_id)),
            func.count(distinct(case((lines.c.status == CANCELLED, lines.c.order_id)))),
        ).where(where)
    ).one()
    new = _new_customers(conn, f) if row[2] else 0
    return Kpis(
        revenue_cents=int(row[0]),
        orders=row[1],
        customers=row[2],
        units=int(row[3]),
        all_orders=row[4],
        cancelled_orders=row[5],
        new_customers=new,
    )


def _new_customers(conn: Connection, f: Filters) -> int:
    """Customers of the period whose first-ever (non-cancelled) order falls in it."""
    customers = Customer.__table__
    active = select(lines.c.customer_id).where(line_conditions(f), NOT_CANCELLED)
    stmt = select(func.count()).where(customers.c.id.in_(active))
    if f.start:
        stmt = stmt.where(customers.c.first_order_date >= f.start)
    if f.end:
        stmt = stmt.where(customers.c.first_order_date <= f.end)
    return conn.execute(stmt.select_from(customers)).scalar_one()


@dataclass(frozen=True)
class KpiSummary:
    """KPIs for the resolved period, the previous period and the same period last year."""

    start: date | None
    end: date | None
    current: Kpis
    previous: Kpis
    last_year: Kpis


def resolve_range(conn: Connection, f: Filters) -> Filters:
    """Fill an open date range from the data, so "all" has a length to compare against."""
    if f.start and f.end:
        return f
    lo, hi = data_bounds(conn)
    return f.with_range(f.start or lo, f.end or hi)


def kpi_summary(conn: Connection, f: Filters) -> KpiSummary:
    """KPIs with the comparison periods (empty Kpis when there is no data at all)."""
    f = resolve_range(conn, f)
    if not (f.start and f.end):
        return KpiSummary(None, None, Kpis(), Kpis(), Kpis())
    prev = f.with_range(*previous_period(f.start, f.end))
    ly = f.with_range(*same_period_last_year(f.start, f.end))
    return KpiSummary(f.start, f.end, kpis(conn, f), kpis(conn, prev), kpis(conn, ly))


def delta(current: float, previous: float) -> float | None:
    """Relative change, or None when there is nothing to compare against."""
    if not previous:
        return None
    return (current - previous) / previous
