"""The one filter-to-SQL translator: a Filters value as a WHERE clause on order lines, on
orders, or on a rollup table.

Every dimension is declared once in DIMENSIONS (the Filters field, the column it is stored in,
whether the rollups are keyed by it); each table shape takes the column from the table that has
it and otherwise reaches it through the other table. Adding a dimension is one line there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, FromClause, and_, select, true

from dashapp.filters import Filters
from dashapp.store.models import Order, OrderLine, Product

lines = OrderLine.__table__
orders = Order.__table__
products = Product.__table__


def _one_of(column, values) -> ColumnElement[bool]:
    return column.in_(values)


def _sku_of(column, skus) -> ColumnElement[bool]:
    # Products are chosen by SKU and stored by id: the ids of these SKUs, in SQL.
    return column.in_(select(products.c.id).where(products.c.sku.in_(skus)))


def _subcategory_of(column, names) -> ColumnElement[bool]:
    # A sub-category is the product's (today's catalog, like a product's category in a filter
    # by SKU): the ids of its products, in SQL.
    return column.in_(select(products.c.id).where(products.c.sub_category.in_(names)))


def _equals(column, value) -> ColumnElement[bool]:
    return column == value


@dataclass(frozen=True)
class Dimension:
    """One filter field and where its values are stored."""

    field: str  # the Filters field
    column: str  # the column, on order_lines, orders or a rollup, that holds the value
    in_rollups: bool  # the planner's rollups filter by it (else the lines answer)
    match: Callable[[Any, Any], ColumnElement[bool]] = _one_of

    def selected(self, f: Filters) -> Any:
        """The selected values (or the one value), falsy when the dimension is not filtered."""
        return getattr(f, self.field)


# Order matters only for the order of the ANDed terms in the SQL. customer_id keys the customer
# rollups, but those answer per-customer figures: a filter on customers reads the lines.
DIMENSIONS = (
    Dimension("categories", "category", in_rollups=True),
    Dimension("products", "product_id", in_rollups=True, match=_sku_of),
    Dimension("countries", "country", in_rollups=True),
    Dimension("customers", "customer_id", in_rollups=False),
    Dimension("statuses", "status", in_rollups=False),
    Dimension("channels", "channel", in_rollups=False),
    # The Sales role's own view (SPEC §6): only the orders this user entered.
    Dimension("created_by", "created_by", in_rollups=False, match=_equals),
    # The order's ship-to geography and segment, as on that order (not the customer record):
    # no rollup is keyed by them, so they read the lines of the matching orders.
    Dimension("regions", "ship_region", in_rollups=False),
    Dimension("states", "ship_state", in_rollups=False),
    Dimension("cities", "ship_city", in_rollups=False),
    Dimension("segments", "segment", in_rollups=False),
    # The product's sub-category. The product rollups could answer it, but the order-level
    # ones (counts of orders, distinct customers) cannot: the planner reads the lines.
    Dimension("subcategories", "product_id", in_rollups=False, match=_subcategory_of),
    # A line's ship mode: figures from the matching lines; an order counts once in each ship
    # mode it has a line of (as in each category), and orders filtered by it are those with
    # at least one such line.
    Dimension("ship_modes", "ship_mode", in_rollups=False),
)


def date_conditions(column, f: Filters) -> list[ColumnElement[bool]]:
    """The inclusive date range as conditions on a date column (none for an open end)."""
    conds: list[ColumnElement[bool]] = []
    if f.start:
        conds.append(column >= f.start)
    if f.end:
        conds.append(column <= f.end)
    return conds


def needs_lines(f: Filters) -> bool:
    """Whether a filter is set that no rollup can answer (status, channel, customer, the Sales
    role's own orders, the ship-to geography, segment, sub-category, ship mode): the figures
    must be read from the lines."""
    return any(d.selected(f) for d in DIMENSIONS if not d.in_rollups)


def _split(table: FromClause, f: Filters) -> tuple[list, list]:
    """The filtered (dimension, value) pairs: those `table` has the column of, and the rest."""
    here, elsewhere = [], []
    for dim in DIMENSIONS:
        value = dim.selected(f)
        if value:
            (here if dim.column in table.c else elsewhere).append((dim, value))
    return here, elsewhere


def line_conditions(f: Filters, *, dates: bool = True) -> ColumnElement[bool]:
    """Every filter as a WHERE clause on order_lines (dates optional, for data bounds).

    A dimension kept only on orders (channel, created_by) picks the lines of matching orders.
    """
    conds = date_conditions(lines.c.order_date, f) if dates else []
    here, on_orders = _split(lines, f)
    conds += [dim.match(lines.c[dim.column], value) for dim, value in here]
    for dim, value in on_orders:
        matching = select(orders.c.id).where(dim.match(orders.c[dim.column], value))
        conds.append(lines.c.order_id.in_(matching))
    return and_(true(), *conds)


def order_conditions(f: Filters) -> ColumnElement[bool]:
    """Every filter as a WHERE clause on orders.

    Order-level dimensions filter orders directly; the line-level ones (category, product) pick
    the orders with at least one matching line in the date range, all in one
    `orders.id IN (SELECT order_id FROM order_lines WHERE ...)`, the shape the order-history
    count was tuned with at 10M orders.
    """
    conds = date_conditions(orders.c.order_date, f)
    here, on_lines = _split(orders, f)
    conds += [dim.match(orders.c[dim.column], value) for dim, value in here]
    if on_lines:
        line_f = Filters(start=f.start, end=f.end, **{dim.field: v for dim, v in on_lines})
        conds.append(orders.c.id.in_(select(lines.c.order_id).where(line_conditions(line_f))))
    return and_(true(), *conds)


def rollup_conditions(table: FromClause, f: Filters, *, dates: bool = True) -> ColumnElement[bool]:
    """The filters as a WHERE clause on a rollup table, by its key columns (dates only where
    it has them). Raises ValueError for a filter the table cannot answer: the planner
    (analytics.query) reads the lines for those, and silently dropping one would be wrong."""
    conds = date_conditions(table.c.order_date, f) if dates and "order_date" in table.c else []
    here, missing = _split(table, f)
    refused = [dim.field for dim, _ in missing] + [d.field for d, _ in here if not d.in_rollups]
    if refused:
        name = getattr(table, "name", "this rollup")
        raise ValueError(f"{name} cannot filter by {', '.join(refused)}; read the lines")
    conds += [dim.match(table.c[dim.column], value) for dim, value in here]
    return and_(true(), *conds)
