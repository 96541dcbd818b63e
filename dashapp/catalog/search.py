"""The searchable pickers of the order grid: a few active matches, straight from SQL."""

from __future__ import annotations

from sqlalchemy import Connection, case, func, or_, select

from dashapp.store.models import Customer, Product

customers = Customer.__table__
products = Product.__table__
MAX_LIMIT = 100


def _pattern(text: str) -> tuple[str, str]:
    """LIKE patterns for 'contains' and 'starts with', wildcards in the text escaped."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%", f"{escaped}%"


PICKER_COLUMNS = (
    customers.c.id,
    customers.c.name,
    customers.c.email,
    customers.c.city,
    customers.c.country,
)


def search_customers(conn: Connection, text: str | None, limit: int = 20) -> list[dict]:
    """Active customers whose name or email contains `text` (any case); prefix matches first."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    stmt = select(*PICKER_COLUMNS).where(customers.c.active)
    order = [customers.c.name, customers.c.id]
    if text and text.strip():
        contains, prefix = _pattern(text)
        name, email = func.lower(customers.c.name), func.lower(customers.c.email)
        stmt = stmt.where(or_(name.like(contains, escape="\\"), email.like(contains, escape="\\")))
        order.insert(0, case((name.like(prefix, escape="\\"), 0), else_=1))
    rows = conn.execute(stmt.order_by(*order).limit(limit))
    return [dict(r._mapping) for r in rows]


def search_products(conn: Connection, text: str | None, limit: int = 20) -> list[dict]:
    """Active products whose SKU or name contains `text` (any case); prefix matches first."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    stmt = select(
        products.c.id,
        products.c.sku,
        products.c.name,
        products.c.category,
        products.c.list_price_cents,
        products.c.stock_on_hand,
        products.c.allow_backorder,
    ).where(products.c.active)
    order = [products.c.name, products.c.id]
    if text and text.strip():
        contains, prefix = _pattern(text)
        sku, name = func.lower(products.c.sku), func.lower(products.c.name)
        stmt = stmt.where(or_(sku.like(contains, escape="\\"), name.like(contains, escape="\\")))
        prefixed = or_(sku.like(prefix, escape="\\"), name.like(prefix, escape="\\"))
        order.insert(0, case((prefixed, 0), else_=1))
    rows = conn.execute(stmt.order_by(*order).limit(limit))
    return [dict(r._mapping) for r in rows]


def products_by_key(conn: Connection, ids=(), skus=()) -> dict[int | str, dict]:
    """Products (inactive ones too) by id and by exact SKU, for lines being entered or edited."""
    ids, skus = [int(i) for i in ids], [str(s) for s in skus]
    if not ids and not skus:
        return {}
    rows = conn.execute(
        select(
            products.c.id,
            products.c.sku,
            products.c.name,
            products.c.list_price_cents,
            products.c.stock_on_hand,
            products.c.active,
        ).where(or_(products.c.id.in_(ids), products.c.sku.in_(skus)))
    )
    found: dict[int | str, dict] = {}
    for row in rows:
        found[row.id] = found[row.sku] = dict(row._mapping)
    return found


def customers_by_id(conn: Connection, ids=()) -> dict[int, dict]:
    """What the customer picker shows of the given customers (inactive ones too), by id."""
    ids = [int(i) for i in ids]
    if not ids:
        return {}
    rows = conn.execute(select(*PICKER_COLUMNS).where(customers.c.id.in_(ids)))
    return {row.id: dict(row._mapping) for row in rows}
