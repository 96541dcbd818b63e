"""Write validated orders in the caller's transaction: skip order numbers already present
(that is what makes a re-import add nothing), get or create customers and products, insert
orders and lines in chunks; dashapp.store.writes.changing_orders keeps the rollups, derived
columns, audit log and data version in step.

Historic orders do not move stock: the file records sales that already happened, and the
catalog's stock on hand is whatever it is today. New products start with zero stock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from dashapp.importer.reader import CUSTOMER_DETAILS, CustomerData, OrderData
from dashapp.store.models import Customer, Order, OrderLine, Product
from dashapp.store.writes import OrderChange, changing_orders

CHUNK = 1000
customers_t = Customer.__table__
products_t = Product.__table__
orders_t = Order.__table__
lines_t = OrderLine.__table__


@dataclass
class LoadCounts:
    orders_added: int = 0
    lines_added: int = 0
    orders_skipped: int = 0
    customers_added: int = 0
    products_added: int = 0


def load_orders(
    conn: Connection,
    orders: list[OrderData],
    created_by: str | None = None,
    advance: Callable[[int], object] | None = None,
) -> LoadCounts:
    """Insert the orders whose number is not in the database yet; `advance(n)` per chunk."""
    existing = _existing(conn, orders_t.c.order_number, [o.order_number for o in orders])
    new = [o for o in orders if o.order_number not in existing]
    counts = LoadCounts(orders_skipped=len(orders) - len(new))
    if advance and counts.orders_skipped:
        advance(counts.orders_skipped)
    if not new:
        return counts  # nothing changes: no audit entry, no new data version
    with changing_orders(conn, user=created_by, action="import", entity="orders") as change:
        _load_new(conn, new, counts, change, created_by, advance)
    return counts


def _load_new(
    conn: Connection,
    new: list[OrderData],
    counts: LoadCounts,
    change: OrderChange,
    created_by: str | None,
    advance: Callable[[int], object] | None,
) -> None:
    customer_ids, counts.customers_added = _customer_ids(conn, new)
    product_ids, categories, counts.products_added = _product_ids(conn, new)
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        order_ids = _insert_orders(conn, chunk, customer_ids, created_by)
        line_rows = [
            {
                "order_id": order_id,
                "line_number": line.line_number,
                "product_id": product_ids[line.sku],
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
                "discount_bp": line.discount_bp,
                "amount_cents": line.amount_cents,
                "order_date": order.ordered_at.date(),
                "status": order.status,
                "customer_id": customer_ids[order.customer.key],
                "country": order.country,
                # Category as the catalog has it at sale time (the file's for new products).
                "category": categories[line.sku],
            }
            for order, order_id in zip(chunk, order_ids, strict=True)
            for line in order.lines
        ]
        conn.execute(insert(lines_t), line_rows)
        change.added(order_ids)
        counts.orders_added += len(chunk)
        counts.lines_added += len(line_rows)
        if advance:
            advance(len(chunk))
    change.record(
        after={
            "orders": counts.orders_added,
            "lines": counts.lines_added,
            "customers": counts.customers_added,
            "products": counts.products_added,
        }
    )


def _existing(conn: Connection, column, values: Iterable[str]) -> set[str]:  # noqa: ANN001
    wanted = sorted(set(values))
    found: set[str] = set()
    for i in range(0, len(wanted), CHUNK):
        found.update(conn.scalars(select(column).where(column.in_(wanted[i : i + CHUNK]))))
    return found


def _customer_ids(
    conn: Connection, orders: list[OrderData]
) -> tuple[dict[tuple[str, str], int], int]:
    """Customer id per key (email, or name without email); creates the missing ones."""
    wanted: dict[tuple[str, str], CustomerData] = {}
    for order in orders:
        wanted.setdefault(order.customer.key, order.customer)
    ids: dict[tuple[str, str], int] = {}
    for kind, column in (("email", customers_t.c.email), ("name", customers_t.c.name)):
        values = sorted(v for k, v in wanted if k == kind)
        for i in range(0, len(values), CHUNK):
            rows = conn.execute(
                select(column, customers_t.c.id)
                .where(column.in_(values[i : i + CHUNK]))
                .order_by(customers_t.c.id)
            )
            for value, cid in rows:
                ids.setdefault((kind, value), cid)  # the oldest customer of that name wins
    missing = [c for key, c in wanted.items() if key not in ids]
    for i in range(0, len(missing), CHUNK):
        chunk = missing[i : i + CHUNK]
        rows = [{"name": c.name, "email": c.email, **_details(c)} for c in chunk]
        # RETURNING the natural key, not sort_by_parameter_order: SQLite would then insert
        # row by row.
        returned = conn.execute(
            insert(customers_t).returning(
                customers_t.c.id, customers_t.c.name, customers_t.c.email
            ),
            rows,
        )
        for cid, name, email in returned:
            ids[("email", email) if email else ("name", name)] = cid
    return ids, len(missing)


def _details(customer: CustomerData) -> dict[str, str | None]:
    # Every row of an executemany needs the same keys.
    return {k: customer.details.get(k) for k in CUSTOMER_DETAILS}


def _product_ids(
    conn: Connection, orders: list[OrderData]
) -> tuple[dict[str, int], dict[str, str], int]:
    """Product id and category per SKU; creates the missing products from their first line."""
    first_line = {}
    for order in orders:
        for line in order.lines:
            first_line.setdefault(line.sku, line)
    ids: dict[str, int] = {}
    categories: dict[str, str] = {}
    skus = sorted(first_line)
    for i in range(0, len(skus), CHUNK):
        rows = conn.execute(
            select(products_t.c.sku, products_t.c.id, products_t.c.category).where(
                products_t.c.sku.in_(skus[i : i + CHUNK])
            )
        )
        for sku, pid, category in rows:
            ids[sku], categories[sku] = pid, category
    missing = [line for sku, line in first_line.items() if sku not in ids]
    for i in range(0, len(missing), CHUNK):
        chunk = missing[i : i + CHUNK]
        rows = [
            {
                "sku": line.sku,
                "name": line.product_name,
                "category": line.category,
                "sub_category": line.sub_category,
                # The MSRP is the list price when the file has one, else the price paid.
                "list_price_cents": line.msrp_cents
                if line.msrp_cents is not None
                else line.unit_price_cents,
                "msrp_cents": line.msrp_cents,
                "stock_on_hand": 0,
            }
            for line in chunk
        ]
        returned = conn.execute(
            insert(products_t).returning(products_t.c.id, products_t.c.sku, products_t.c.category),
            rows,
        )
        for pid, sku, category in returned:
            ids[sku], categories[sku] = pid, category
    return ids, categories, len(missing)


def _insert_orders(
    conn: Connection,
    chunk: list[OrderData],
    customer_ids: dict[tuple[str, str], int],
    created_by: str | None,
) -> list[int]:
    rows = [
        {
            "order_number": o.order_number,
            "customer_id": customer_ids[o.customer.key],
            "ordered_at": o.ordered_at,
            "order_date": o.ordered_at.date(),
            "status": o.status,
            "country": o.country,
            "channel": o.channel,
            "payment_type": o.payment_type,
            "promo": o.promo,
            "total_cents": o.total_cents,
            "created_by": created_by,
        }
        for o in chunk
    ]
    returned = conn.execute(
        insert(orders_t).returning(orders_t.c.order_number, orders_t.c.id), rows
    )
    ids = dict(returned.all())
    return [ids[o.order_number] for o in chunk]
