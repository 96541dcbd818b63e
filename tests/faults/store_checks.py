"""What the fault tests start from and compare before and after: a migrated database with the
tiny data set, a snapshot of every table a write touches, and everything that would show a
half-written order or import or a damaged store."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from dashapp.store import rollups
from dashapp.store.db import make_engine
from dashapp.store.migrate import upgrade
from dashapp.store.models import AuditLog, Customer, DataVersion, Order, OrderLine, Product
from tests.tiny import seed_tiny

orders, lines, products = Order.__table__, OrderLine.__table__, Product.__table__


def tiny_engine_at(url: str, **options):
    """An engine on `url`'s database, migrated and seeded with tests/tiny.py."""
    engine = make_engine(url, **options)
    upgrade(engine)
    seed_tiny(engine)
    return engine


def order_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Order)).scalar_one()


def snapshot(conn: Connection) -> dict:
    """Row counts, stock per SKU, the sum of all line amounts and the data version."""

    def count(model) -> int:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()

    return {
        "orders": count(Order),
        "lines": count(OrderLine),
        "customers": count(Customer),
        "products": count(Product),
        "audit entries": count(AuditLog),
        "stock": dict(conn.execute(select(products.c.sku, products.c.stock_on_hand)).all()),
        "line amounts": conn.execute(
            select(func.coalesce(func.sum(lines.c.amount_cents), 0))
        ).scalar_one(),
        "data version": conn.execute(select(DataVersion.version)).scalar(),
    }


def store_problems(conn: Connection) -> list[str]:
    """Empty when the store is sound: the engine's own checks (SQLite integrity_check and
    foreign_key_check; PostgreSQL amcheck on every B-tree index), and no order line without
    its order, no order without lines, no order whose total is not the sum of its lines, and
    daily rollups equal to a recomputation from the lines."""
    problems = []
    if conn.dialect.name == "sqlite":
        integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalar_one()
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        problems += [
            f"foreign key: {row}" for row in conn.exec_driver_sql("PRAGMA foreign_key_check")
        ]
    else:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
        conn.exec_driver_sql(
            "SELECT bt_index_check(c.oid, true) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"
            " WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace"
        ).all()  # raises on a damaged index
    orphans = conn.execute(
        select(func.count())
        .select_from(lines)
        .where(~select(orders.c.id).where(orders.c.id == lines.c.order_id).exists())
    ).scalar_one()
    empty = conn.execute(
        select(func.count())
        .select_from(orders)
        .where(~select(lines.c.id).where(lines.c.order_id == orders.c.id).exists())
    ).scalar_one()
    line_sum = (
        select(func.coalesce(func.sum(lines.c.amount_cents), 0))
        .where(lines.c.order_id == orders.c.id)
        .scalar_subquery()
    )
    off = conn.execute(
        select(func.count()).select_from(orders).where(orders.c.total_cents != line_sum)
    ).scalar_one()
    for n, what in (
        (orphans, "order lines without an order"),
        (empty, "orders without lines"),
        (off, "orders whose total is not the sum of their lines"),
    ):
        if n:
            problems.append(f"{n} {what}")
    problems += [f"rollup: {m}" for m in rollups.check(conn)]
    return problems
