"""Stock moves that cannot oversell, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, or_, select, update

from dashapp.orders.validate import only_left
from dashapp.store.models import Product
from dashapp.validation import FieldError, ValidationError

products = Product.__table__


def move_stock(
    conn: Connection,
    held: Mapping[int, int],
    wanted: Mapping[int, int],
    line_of: Mapping[int, int] | None = None,
) -> None:
    """Change stock from what an order held to what it now wants, product by product.

    Raises ValidationError ("Only N left of ...") when a product cannot cover the increase;
    the caller's transaction then rolls back everything. Products go in id order so two
    concurrent orders lock rows in the same order and cannot deadlock on PostgreSQL.
    """
    line_of = line_of or {}
    for pid in sorted(set(held) | set(wanted)):
        delta = wanted.get(pid, 0) - held.get(pid, 0)
        if delta > 0:
            _take(conn, pid, delta, held.get(pid, 0), line_of.get(pid))
        elif delta < 0:
            conn.execute(
                update(products)
                .where(products.c.id == pid)
                .values(stock_on_hand=products.c.stock_on_hand - delta)
            )


def _take(conn: Connection, pid: int, units: int, held: int, line: int | None) -> None:
    # The check and the decrement are one statement: on PostgreSQL a concurrent writer waits
    # on the row lock and then re-evaluates the WHERE against the committed stock; on SQLite
    # the write transaction (BEGIN IMMEDIATE) already excludes other writers.
    result = conn.execute(
        update(products)
        .where(
            products.c.id == pid,
            or_(products.c.stock_on_hand >= units, products.c.allow_backorder),
        )
        .values(stock_on_hand=products.c.stock_on_hand - units)
    )
    if result.rowcount == 1:
        return
    row = conn.execute(
        select(products.c.name, products.c.stock_on_hand).where(products.c.id == pid)
    ).one()
    available = max(row.stock_on_hand, 0) + held
    raise ValidationError([FieldError("quantity", only_left(available, row.name), line)])
