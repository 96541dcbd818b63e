"""The catalog and customer grids: one block of rows at a time, searched and sorted in SQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, func, or_, select

from dashapp.catalog.search import _pattern
from dashapp.store.models import Customer, Product

products = Product.__table__
customers = Customer.__table__
MAX_BLOCK = 500

PRODUCT_SORTS = {
    "sku": products.c.sku,
    "name": products.c.name,
    "category": products.c.category,
    "sub_category": products.c.sub_category,
    "list_price": products.c.list_price_cents,
    "cost": products.c.cost_cents,
    "stock_on_hand": products.c.stock_on_hand,
    "reorder_point": products.c.reorder_point,
    "lead_time_days": products.c.lead_time_days,
    "active": products.c.active,
}
CUSTOMER_SORTS = {
    "id": customers.c.id,
    "name": customers.c.name,
    "email": customers.c.email,
    "phone": customers.c.phone,
    "city": customers.c.city,
    "country": customers.c.country,
    "segment": customers.c.segment,
    "active": customers.c.active,
}


class ListingError(ValueError):
    """A sort the grid asked for that the listing cannot apply."""


def product_block(
    conn: Connection, text: str | None, start: int, count: int, sort: Sequence[Any] = ()
) -> tuple[list[dict], int]:
    """Products whose SKU, name or category contains `text`, rows start..start+count, and the
    number matching in all (inactive products included: they can be reactivated)."""
    searched = (products.c.sku, products.c.name, products.c.category)
    return _block(conn, products, searched, PRODUCT_SORTS, text, start, count, sort)


def customer_block(
    conn: Connection, text: str | None, start: int, count: int, sort: Sequence[Any] = ()
) -> tuple[list[dict], int]:
    """Customers whose name, email, city or country contains `text`, one block, and the total."""
    searched = (customers.c.name, customers.c.email, customers.c.city, customers.c.country)
    return _block(conn, customers, searched, CUSTOMER_SORTS, text, start, count, sort)


def _block(
    conn: Connection,
    table: Table,
    searched: Sequence[Column],
    sorts: Mapping[str, Column],
    text: str | None,
    start: int,
    count: int,
    sort: Sequence[Any],
) -> tuple[list[dict], int]:
    where = []
    if text and text.strip():
        contains, _ = _pattern(text)
        where.append(or_(*(func.lower(c).like(contains, escape="\\") for c in searched)))
    total = conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
    order = []
    for item in sort or ():
        column, direction = item.get("colId"), str(item.get("sort") or "asc").lower()
        if column not in sorts or direction not in ("asc", "desc"):
            raise ListingError(f"Cannot sort by {column!r} {direction!r}")
        expr = sorts[column]
        order.append((expr.desc() if direction == "desc" else expr.asc()).nulls_last())
    # The id makes the order total, so no row repeats or vanishes between blocks.
    order.append(table.c.id.asc())
    count = max(1, min(int(count), MAX_BLOCK))
    stmt = select(table).where(*where).order_by(*order).limit(count).offset(max(0, int(start)))
    return [dict(r._mapping) for r in conn.execute(stmt)], total
