"""KPIs with their deltas against the previous period and the same period last year."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, distinct, exists, func, select

from dashapp.analytics.measures import (
    ALL_ORDERS,
    AOV,
    CANCELLATION_RATE,
    CANCELLED_ORDERS,
    CANCELLED_UNITS,
    CANCELLED_VALUE,
    CENT,
    COST,
    COST_COVERAGE,
    COSTED_REVENUE,
    COSTED_SALES,
    CUSTOMERS_OVER_LINES,
    CUSTOMERS_WHO_CANCELLED,
    DISCOUNTS,
    GROSS_SALES,
    MARGIN,
    ORDERS,
    PROFIT,
    RETURNED_UNITS,
    RETURNS,
    REVENUE,
    UNITS,
    UNITS_PER_ORDER,
    live_rows,
)
from dashapp.analytics.query import (
    NOT_CANCELLED,
    Source,
    active_customers,
    customer_source,
    data_bounds,
    line_conditions,
    lines,
    lines_source,
    new_customers,
    order_source,
    reach_key,
)
from dashapp.filters import Filters, previous_period, same_period_last_year
from dashapp.store.models import CANCELLED, Customer


def cents_to_decimal(cents: int) -> Decimal:
    """Integer cents as an exact Decimal amount."""
    return (Decimal(cents) / 100).quantize(CENT)


NO_COST = "n/a: no cost is known for these orders"


@dataclass(frozen=True)
class Kpis:
    """The SPEC §3 numbers for one period. Money is integer cents. The sums are named as their
    measures (dashapp.analytics.measures); the ratios are worked out from them.

    Revenue is net revenue, the headline: returns (lines with negative units and amount) are
    in it, as are their units in `units`. Gross sales = revenue - returns. Profit and margin
    are over the lines whose cost is known, None ("n/a", `profit_note` says why) when no line
    has one; `cost_coverage` is the share of gross sales those lines make up."""

    revenue_cents: int = 0
    orders: int = 0
    customers: int = 0
    new_customers: int = 0
    units: int = 0
    all_orders: int = 0
    cancelled_orders: int = 0
    returns_cents: int = 0  # <= 0, as stored
    returned_units: int = 0  # <= 0, as stored
    discounts_cents: int = 0
    cost_cents: int = 0
    costed_revenue_cents: int = 0
    costed_sales_cents: int = 0

    @property
    def revenue(self) -> Decimal:
        return cents_to_decimal(self.revenue_cents)

    @property
    def gross_sales_cents(self) -> int:
        return GROSS_SALES.of(self)

    @property
    def cost_known(self) -> bool:
        """Whether some line counted here has a cost (costed lines all of 0 read as none)."""
        return any((self.cost_cents, self.costed_revenue_cents, self.costed_sales_cents))

    @property
    def profit_cents(self) -> int | None:
        """Gross profit of the lines whose cost is known; None when none is."""
        return PROFIT.of(self) if self.cost_known else None

    @property
    def margin(self) -> float | None:
        """Profit / revenue of the lines whose cost is known, as a fraction; None when no cost
        is known or those lines' revenue is 0."""
        if not self.cost_known or not self.costed_revenue_cents:
            return None
        return float(MARGIN.exact(self))

    @property
    def cost_coverage(self) -> float:
        """Share of the gross sales whose cost is known (0 without sales)."""
        return float(COST_COVERAGE.exact(self))

    @property
    def profit_note(self) -> str | None:
        """Why profit and margin are n/a, or None when they are not."""
        if not self.cost_known:
            return NO_COST
        if not self.costed_revenue_cents:
            return "n/a: the lines with a cost have no revenue"
        return None

    @property
    def aov(self) -> Decimal:
        """Average order value, rounded half-up to the cent (0 with no orders)."""
        return AOV.rounded(self)

    @property
    def units_per_order(self) -> Decimal:
        """Average units per order, rounded half-up to 2 places (0 with no orders)."""
        return UNITS_PER_ORDER.rounded(self)

    @property
    def returning_customers(self) -> int:
        return self.customers - self.new_customers

    @property
    def cancellation_rate(self) -> float:
        """Cancelled orders / all orders, as a fraction (0 with no orders)."""
        return float(CANCELLATION_RATE.exact(self))

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
            "units_per_order": float(self.units_per_order),
            "net_revenue": float(self.revenue),
            "gross_sales": float(cents_to_decimal(self.gross_sales_cents)),
            "returns": float(cents_to_decimal(-self.returns_cents)),
            "returned_units": -self.returned_units,
            "discounts": float(cents_to_decimal(self.discounts_cents)),
            "cost": None if not self.cost_known else float(cents_to_decimal(self.cost_cents)),
            "profit": _money_or_none(self.profit_cents),
            "margin": None if self.margin is None else round(self.margin, 4),
            "cost_coverage": round(self.cost_coverage, 4),
            "profit_note": self.profit_note,
        }


def _money_or_none(cents: int | None) -> float | None:
    return None if cents is None else float(cents_to_decimal(cents))


# The sums the KPIs are made of, each read from the rollups or the lines alike.
SUMS = (
    REVENUE,
    ORDERS,
    UNITS,
    ALL_ORDERS,
    CANCELLED_ORDERS,
    RETURNS,
    RETURNED_UNITS,
    DISCOUNTS,
    COST,
    COSTED_REVENUE,
    COSTED_SALES,
)


def kpis(conn: Connection, f: Filters) -> Kpis:
    """The KPIs of the filtered orders: from the rollups when the filters allow it, else from
    the order lines (the same numbers either way)."""
    totals, people = order_source(f), customer_source(conn, f)
    if totals is None or people is None:
        totals, people = lines_source(f), None
    # Over the lines, distinct customers come in the same pass as the sums.
    counted = [CUSTOMERS_OVER_LINES] if people is None else []
    row = conn.execute(
        select(*(m.over(totals) for m in SUMS), *counted)
        .select_from(totals.table)
        .where(totals.where)
    ).one()
    sums = {m.name: int(value) for m, value in zip(SUMS, row, strict=False)}
    if people is None:
        customers = int(row[-1])
        # From the first order day on, everyone in the range is new, as over the rollups; the
        # search of each customer's first day was half of a product's all-time KPIs at 1M.
        new = customers if not customers or _from_first_day(conn, f) else _new_customers(conn, f)
    else:
        customers, new = _customers_from_rollups(conn, f, people)
    return Kpis(**sums, customers=customers, new_customers=new)


def _customers_from_rollups(conn: Connection, f: Filters, people: Source) -> tuple[int, int]:
    """(distinct customers, new ones) from the activity chains or the per-customer rollups."""
    p = people.table.c
    active = and_(people.where, live_rows(people.table))
    key = reach_key(f)
    if key is not None:
        count = active_customers(conn, key, f.start, f.end)
    else:
        count = conn.execute(select(func.count(distinct(p.customer_id))).where(active)).scalar_one()
    new = 0
    if count and _from_first_day(conn, f):
        new = count
    elif count and key is not None:
        new = new_customers(conn, key, f.start, f.end)
    elif count:
        # Per customer, an index search of the daily rows: a union of month, week and day
        # pieces has no index, and the correlated search would scan it once per customer.
        days = customer_source(conn, f, by_day=True)
        d = days.table.c
        customers = Customer.__table__
        stmt = select(func.count()).where(
            exists().where(d.customer_id == customers.c.id, days.where, live_rows(days.table))
        )
        if f.start:
            stmt = stmt.where(customers.c.first_order_date >= f.start)
        if f.end:
            stmt = stmt.where(customers.c.first_order_date <= f.end)
        new = conn.execute(stmt.select_from(customers)).scalar_one()
    return count, new


def _from_first_day(conn: Connection, f: Filters) -> bool:
    """Whether the range starts on or before the first order day: nobody bought before it, so
    every customer active in the range has their first-ever order in it (is new)."""
    lo, _ = data_bounds(conn)
    return f.start is None or lo is None or f.start <= lo


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


@dataclass(frozen=True)
class CancelledKpis:
    """The cancelled orders of a period, for a page filtered on Status = Cancelled, where the
    SPEC §3 measures (which leave cancelled orders out) are all zero by definition."""

    value_cents: int = 0  # what the cancelled orders' lines were worth
    orders: int = 0
    units: int = 0
    customers: int = 0  # distinct customers with a cancelled order

    @property
    def value(self) -> Decimal:
        return cents_to_decimal(self.value_cents)

    @property
    def average(self) -> Decimal:
        """Average value of a cancelled order, rounded half-up to the cent (0 without any)."""
        if not self.orders:
            return Decimal("0.00")
        return _half_up_cents(self.value_cents, self.orders)


def _half_up_cents(cents: int, count: int) -> Decimal:
    """cents / count as money, rounded half away from zero to the cent, exactly."""
    q = (abs(cents) * 2 + count) // (count * 2)
    return (Decimal(q if cents >= 0 else -q) / 100).quantize(CENT)


def only_cancelled(f: Filters) -> bool:
    """Whether the filters look at cancelled orders alone (Status = Cancelled)."""
    return f.statuses == (CANCELLED,)


def cancelled_kpis(conn: Connection, f: Filters) -> CancelledKpis:
    """Value, orders, units and customers of the cancelled orders matching `f` (over the lines:
    the rollups hold no cancelled amounts)."""
    source = lines_source(f)
    row = conn.execute(
        select(
            CANCELLED_VALUE.over(source),
            CANCELLED_ORDERS.over(source),
            CANCELLED_UNITS.over(source),
            CUSTOMERS_WHO_CANCELLED,
        ).where(source.where)
    ).one()
    return CancelledKpis(*(int(v) for v in row))


@dataclass(frozen=True)
class CancelledSummary:
    """Cancelled orders of the period and the previous one, and the cancellation rate of the
    period over every status (what share of all its orders these are)."""

    start: date | None
    end: date | None
    current: CancelledKpis
    previous: CancelledKpis
    every_status: Kpis


def cancelled_summary(conn: Connection, f: Filters) -> CancelledSummary:
    """The cancelled orders of the range and of the previous range of equal length."""
    f = resolve_range(conn, f)
    if not (f.start and f.end):
        return CancelledSummary(None, None, CancelledKpis(), CancelledKpis(), Kpis())
    prev = f.with_range(*previous_period(f.start, f.end))
    return CancelledSummary(
        f.start,
        f.end,
        cancelled_kpis(conn, f),
        cancelled_kpis(conn, prev),
        kpis(conn, replace(f, statuses=())),
    )
