"""Derived columns that the write path keeps in step with the orders, in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, func, select, update

from dashapp.store.models import CANCELLED, Customer, Order

_CHUNK = 500


def refresh_first_order_dates(conn: Connection, customer_ids: Iterable[int] | None = None) -> None:
    """Recompute customers.first_order_date (first non-cancelled order day).

    Pass the customers a write touched; None recomputes every customer (after a bulk load).
    """
    customers, orders = Customer.__table__, Order.__table__
    first = (
        select(func.min(orders.c.order_date))
        .where(orders.c.customer_id == customers.c.id, orders.c.status != CANCELLED)
        .scalar_subquery()
    )
    if customer_ids is None:
        conn.execute(update(customers).values(first_order_date=first))
        return
    ids = sorted(set(customer_ids))
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        conn.execute(
            update(customers).where(customers.c.id.in_(chunk)).values(first_order_date=first)
        )
