"""The loss finder (issue 19 item 5): products, customers and orders that lose money or earn a
margin under a threshold, sorted by money lost, and discount against margin by sub-category.

Profit and margin follow SPEC §3 (dashapp.analytics.measures): over the lines of orders not
cancelled whose cost is known; a line without a cost is left out of both, never counted as
costing nothing. Every answer is one GROUP BY over the matching order lines in SQL (the cost
columns are not in the rollups a filter can pick), joined to the names afterwards: nothing is
loaded line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)

from dashapp.analytics.query import NOT_CANCELLED, lines
from dashapp.filters import Filters
from dashapp.store.filtering import line_conditions
from dashapp.store.models import Customer, Order, Product

products = Product.__table__
customers = Customer.__table__
orders = Order.__table__

Level = Literal["product", "customer", "order"]
LEVELS: tuple[Level, ...] = ("product", "customer", "order")
MIN_THRESHOLD, MAX_THRESHOLD = -100, 100  # margin threshold, whole percent
DEFAULT_THRESHOLD = 0  # "margin under 0 %": the rows that lose money
MAX_LIMIT = 200
NO_SUB_CATEGORY = "(no sub-category)"
NO_NAME = "— (no customer)"  # an order without a customer

_COSTED = and_(NOT_CANCELLED, lines.c.cost_cents.is_not(None))


class LossQueryError(ValueError):
    """A loss-finder question that cannot be asked (unknown level, threshold out of range)."""


@dataclass(frozen=True)
class LossRow:
    """One product, customer or order: its costed revenue, cost and profit in cents."""

    key: str  # SKU, customer id or order number: what the page filters on
    label: str  # the name as stored (plain text; the page never renders it as markup)
    orders: int  # orders not cancelled with a costed line of it
    revenue_cents: int  # revenue of its lines whose cost is known
    cost_cents: int
    discounts_cents: int  # list value minus amount of those lines

    @property
    def profit_cents(self) -> int:
        return self.revenue_cents - self.cost_cents

    @property
    def lost_cents(self) -> int:
        """Money lost: the negative profit as a positive amount, 0 for a row that earns."""
        return max(0, -self.profit_cents)

    @property
    def margin(self) -> Fraction | None:
        """Profit / revenue of the costed lines; None when that revenue is 0."""
        if not self.revenue_cents:
            return None
        return Fraction(self.profit_cents, self.revenue_cents)


@dataclass(frozen=True)
class Losses:
    """The rows under the threshold (largest loss first), how many there are in all, and
    whether any line of the view has a cost at all (else there is nothing to find)."""

    level: Level
    threshold: int
    rows: list[LossRow]
    found: int
    cost_known: bool


def _sums() -> tuple[ColumnElement, ...]:
    discount = lines.c.quantity * lines.c.unit_price_cents - lines.c.amount_cents
    return (
        func.count(func.distinct(lines.c.order_id)).label("orders"),
        func.sum(lines.c.amount_cents).label("revenue"),
        func.sum(lines.c.cost_cents).label("cost"),
        func.coalesce(func.sum(case((lines.c.discount_bp > 0, discount))), 0).label("discounts"),
    )


def _under(threshold: int, revenue, cost) -> ColumnElement[bool]:
    """Profit below zero, or profit / revenue below threshold %, in integers: profit x 100 <
    threshold x revenue (revenue > 0; a group with no positive revenue counts by its profit)."""
    profit = revenue - cost
    return or_(profit < 0, and_(revenue > 0, profit * 100 < literal(threshold) * revenue))


def _check(level: str, threshold: int, limit: int) -> None:
    if level not in LEVELS:
        raise LossQueryError(f"Unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    if not isinstance(threshold, int) or not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise LossQueryError(
            f"The margin threshold is a whole percent from {MIN_THRESHOLD} to {MAX_THRESHOLD}"
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise LossQueryError(f"Show 1 to {MAX_LIMIT} rows")


def cost_known(conn: Connection, f: Filters) -> bool:
    """Whether any line of an order not cancelled under these filters has a cost."""
    stmt = select(lines.c.id).where(line_conditions(f), _COSTED).limit(1)
    return conn.execute(stmt).first() is not None


_GROUP = {"product": lines.c.product_id, "customer": lines.c.customer_id, "order": lines.c.order_id}


def loss_makers(
    conn: Connection,
    f: Filters,
    level: Level = "product",
    threshold: int = DEFAULT_THRESHOLD,
    limit: int = 50,
) -> Losses:
    """The products, customers or orders whose costed lines under `f` lose money or earn a
    margin under `threshold` %, the most money lost first (then the lowest margin), at most
    `limit` of them; `found` counts them all."""
    _check(level, threshold, limit)
    group = _GROUP[level]
    grouped = (
        select(group.label("id"), *_sums())
        .where(line_conditions(f), _COSTED)
        .group_by(group)
        .subquery()
    )
    g = grouped.c
    under = _under(threshold, g.revenue, g.cost)
    found = conn.execute(select(func.count()).select_from(grouped).where(under)).scalar_one()
    if not found:
        return Losses(level, threshold, [], 0, cost_known(conn, f))
    key, label, joined = _names(level, grouped)
    profit = g.revenue - g.cost
    stmt = (
        select(key, label, g.orders, g.revenue, g.cost, g.discounts)
        .select_from(joined)
        .where(under)
        # The most money lost first; then the rows that earn, the thinnest margin first (a
        # float only to order by: the shown margin is worked out exactly from the cents).
        .order_by(
            case((profit < 0, profit), else_=0),
            cast(profit, Float) / func.nullif(g.revenue, 0),
            g.id,
        )
        .limit(limit)
    )
    rows = [
        LossRow("" if k is None else str(k), lab or NO_NAME, int(n), int(r), int(c), int(d))
        for k, lab, n, r, c, d in conn.execute(stmt)
    ]
    return Losses(level, threshold, rows, int(found), True)


def _names(level: Level, grouped):
    """The key and the label of each grouped id, and the join that gives them."""
    g = grouped.c
    if level == "product":
        joined = grouped.join(products, products.c.id == g.id)
        return products.c.sku, products.c.name, joined
    if level == "customer":
        joined = grouped.outerjoin(customers, customers.c.id == g.id)
        return g.id, customers.c.name, joined
    joined = grouped.join(orders, orders.c.id == g.id)
    return (
        orders.c.order_number,
        customers.c.name,
        joined.outerjoin(customers, customers.c.id == orders.c.customer_id),
    )


@dataclass(frozen=True)
class SubCategoryMargin:
    """Discount given and margin earned by one sub-category (money in cents)."""

    name: str
    discounts_cents: int  # quantity x price - amount of the live lines with a discount
    revenue_cents: int  # all live lines
    costed_revenue_cents: int  # the live lines whose cost is known
    cost_cents: int

    @property
    def list_value_cents(self) -> int:
        """What the lines would have sold for without their discounts."""
        return self.revenue_cents + self.discounts_cents

    @property
    def discount_rate(self) -> Fraction | None:
        """Discounts / list value; None without list value."""
        if self.list_value_cents <= 0:
            return None
        return Fraction(self.discounts_cents, self.list_value_cents)

    @property
    def margin(self) -> Fraction | None:
        """Profit / revenue of the costed lines; None when no line has a cost."""
        if not self.costed_revenue_cents:
            return None
        return Fraction(self.costed_revenue_cents - self.cost_cents, self.costed_revenue_cents)


def discount_and_margin(conn: Connection, f: Filters) -> list[SubCategoryMargin]:
    """Per sub-category (the product's; "(no sub-category)" for products without one), the
    discount given and the margin, largest revenue first."""
    costed = lines.c.cost_cents.is_not(None)
    discount = lines.c.quantity * lines.c.unit_price_cents - lines.c.amount_cents
    per_product = (
        select(
            lines.c.product_id.label("id"),
            func.coalesce(func.sum(case((lines.c.discount_bp > 0, discount))), 0).label(
                "discounts"
            ),
            func.sum(lines.c.amount_cents).label("revenue"),
            func.coalesce(func.sum(case((costed, lines.c.amount_cents))), 0).label("costed"),
            func.coalesce(func.sum(lines.c.cost_cents), 0).label("cost"),
        )
        .where(line_conditions(f), NOT_CANCELLED)
        .group_by(lines.c.product_id)
        .subquery()
    )
    p = per_product.c
    name = func.coalesce(products.c.sub_category, NO_SUB_CATEGORY).label("name")
    stmt = (
        select(
            name,
            func.sum(p.discounts),
            func.sum(p.revenue),
            func.sum(p.costed),
            func.sum(p.cost),
        )
        .select_from(per_product.join(products, products.c.id == p.id))
        .group_by(name)
        .order_by(func.sum(p.revenue).desc(), name)
    )
    return [
        SubCategoryMargin(str(n), *(int(v or 0) for v in values))
        for n, *values in conn.execute(stmt)
    ]


def order_customer_and_day(conn: Connection, number: str):
    """(customer id, day) of an order by its number, None when there is no such order: the
    order history has no order-number filter, so an order's drill shows its customer's orders
    of that day."""
    row = conn.execute(
        select(orders.c.customer_id, orders.c.order_date).where(orders.c.order_number == number)
    ).first()
    return None if row is None else (row[0], row[1])
