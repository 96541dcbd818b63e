"""The values a user can filter by, and labels for the selected ones (all small SQL queries)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Column, Connection, Select, or_, select

from dashapp.analytics.query import rollup
from dashapp.store.grains import MONTH
from dashapp.store.models import Customer, Order, OrderLine, Product

_customers = Customer.__table__
_products = Product.__table__
_orders = Order.__table__
_lines = OrderLine.__table__

# The dimensions listed from the stored values, by their URL name: the order's ship-to
# geography and segment, the catalog's sub-categories, the lines' ship modes.
LISTED = {
    "region": _orders.c.ship_region,
    "state": _orders.c.ship_state,
    "city": _orders.c.ship_city,
    "segment": _orders.c.segment,
    "subcategory": _products.c.sub_category,
    "ship_mode": _lines.c.ship_mode,
}
MAX_LISTED = 1000  # a dropdown of more is searched by typing anyway


def categories(conn: Connection) -> list[str]:
    """Every product category in the catalog, sorted."""
    return list(
        conn.execute(
            select(_products.c.category).distinct().order_by(_products.c.category)
        ).scalars()
    )


def countries(conn: Connection) -> list[str]:
    """Every country that has orders, sorted: from the monthly country rollup (a few hundred
    rows) rather than a walk over every order (60-96 ms at 1M orders). A row whose orders were
    all deleted holds zero orders and does not count."""
    table = rollup("country", period=MONTH)
    stmt = (
        select(table.c.country)
        .distinct()
        .where(table.c.country.is_not(None), table.c.all_orders > 0)
        .order_by(table.c.country)
    )
    return list(conn.execute(stmt).scalars())


def listed_values(conn: Connection, dimension: str) -> list[str]:
    """The distinct stored values of one LISTED dimension, sorted (at most MAX_LISTED); empty
    when the data has none (demo data has no geography below the country)."""
    return list(conn.execute(listed_statement(dimension)).scalars())


def listed_statement(dimension: str) -> Select:
    """The query of `listed_values`. Its "IS NOT NULL" matches the partial index each orders or
    lines column has (migration 0025): the walk covers the rows with a value, not the table."""
    column = LISTED[dimension]
    return (
        select(column)
        .where(column.is_not(None), column != "")
        .distinct()
        .order_by(column)
        .limit(MAX_LISTED)
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def find_products(conn: Connection, text: str, limit: int = 20) -> list[tuple[str, str]]:
    """(sku, "name (sku)") of products whose SKU or name contains `text`, case-insensitively."""
    p = _products.c
    stmt = _matching(p.sku, p.name, (p.sku, p.name), text, limit)
    return [(sku, _product_label(sku, name)) for sku, name in conn.execute(stmt)]


def find_customers(conn: Connection, text: str, limit: int = 20) -> list[tuple[int, str]]:
    """(id, name) of customers whose name or email contains `text`, case-insensitively."""
    c = _customers.c
    stmt = _matching(c.id, c.name, (c.name, c.email), text, limit)
    return [(cid, name) for cid, name in conn.execute(stmt)]


def _matching(key: Column, name: Column, searched: tuple[Column, ...], text: str, limit: int):
    """(key, name) of the first `limit` rows by name whose `searched` columns contain `text`,
    case-insensitively (all of them when `text` is blank)."""
    stmt = select(key, name).order_by(name).limit(limit)
    if text.strip():
        pattern = _like(text.strip())
        stmt = stmt.where(or_(*(column.ilike(pattern, escape="\\") for column in searched)))
    return stmt


def product_labels(conn: Connection, skus: Iterable[str]) -> dict[str, str]:
    """Display labels of the given SKUs."""
    skus = list(skus)
    if not skus:
        return {}
    stmt = select(_products.c.sku, _products.c.name).where(_products.c.sku.in_(skus))
    return {sku: _product_label(sku, name) for sku, name in conn.execute(stmt)}


def customer_labels(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """Names of the given customer ids."""
    ids = list(ids)
    if not ids:
        return {}
    stmt = select(_customers.c.id, _customers.c.name).where(_customers.c.id.in_(ids))
    return {cid: name for cid, name in conn.execute(stmt)}


def _product_label(sku: str, name: str) -> str:
    return name if name == sku else f"{name} ({sku})"
