"""Derived columns that the write path keeps in step with the orders, in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, func, select, update

from dashapp.store.models import CANCELLED, Customer, Order

_CHUNK = 500
_customers, _orders = Customer.__table__, Order.__table__
_FIRST = (
    select(func.min(_orders.c.order_date))
    .where(_orders.c.customer_id == _customers.c.id, _orders.c.status != CANCELLED)
    .scalar_subquery()
)
_REFRESH_ALL = update(_customers).values(first_order_date=_FIRST)
# Built once: a save refreshes its customer with this prepared statement.
_REFRESH_SOME = _REFRESH_ALL.where(_customers.c.id.in_(bindparam("ids", expanding=True)))


def refresh_first_order_dates(conn: Connection, customer_ids: Iterable[int] | None = None) -> None:
    """Recompute customers.first_order_date (first non-cancelled order day).

    Pass the customers a write touched; None recomputes every customer (after a bulk load).
    """
    if customer_ids is None:
        conn.execute(_REFRESH_ALL)
        return
    ids = sorted(set(customer_ids) - {None})  # an order without a customer has none to move
    for i in range(0, len(ids), _CHUNK):
        conn.execute(_REFRESH_SOME, {"ids": ids[i : i + _CHUNK]})
