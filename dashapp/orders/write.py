"""Saving orders: create, edit, change status and delete, each in one write transaction with
its stock moves; dashapp.store.writes.changing_orders keeps the rollups, derived columns, audit
log and data version in step."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from dashapp.auth import Account
from dashapp.orders.drafts import OrderDraft, SavedOrder, ValidOrder
from dashapp.orders.scope import check_read, check_write, check_writer
from dashapp.orders.stock import move_stock
from dashapp.orders.validate import held_units, resolve_order
from dashapp.store.db import write_transaction
from dashapp.store.models import CANCELLED, ORDER_STATUSES, Order, OrderLine
from dashapp.store.writes import OrderChange, changing_orders
from dashapp.validation import FieldError, ValidationError

orders = Order.__table__
order_lines = OrderLine.__table__
NUMBER_PREFIX = "SO-"


class OrderNotFound(LookupError):
    """No order with that id (it may have been deleted by someone else)."""


def create_order(engine: Engine, draft: OrderDraft, actor: Account) -> SavedOrder:
    """Validate and save a new order with its lines, stock moves and audit entry; the order
    belongs to `actor` (its created_by)."""
    with _changing(engine, actor, "create") as (conn, change):
        order = resolve_order(conn, draft)
        move_stock(conn, {}, _takes(order), _first_lines(order))
        order_id = conn.execute(
            insert(orders).values(
                order_number=f"tmp-{uuid.uuid4().hex}",
                created_by=actor.username,
                **_header(order, order.country),
            )
        ).inserted_primary_key[0]
        number = _assign_number(conn, order_id)
        _insert_lines(conn, order_id, order, order.country)
        change.added([order_id])
        change.record(order_id, after=order_snapshot(conn, order_id))
        return SavedOrder(order_id, number, order.total_cents)


def update_order(engine: Engine, order_id: int, draft: OrderDraft, actor: Account) -> SavedOrder:
    """Replace an order's header and lines; stock moves by the difference per product.
    Refused (OrderAccessError) when `actor` may not change this order."""
    with _changing(engine, actor, "update", order_id) as (conn, change):
        current = _lock(conn, order_id, actor)
        before = order_snapshot(conn, order_id)
        held = held_units(conn, order_id)
        order = resolve_order(conn, draft, order_id=order_id)
        move_stock(conn, held, _takes(order), _first_lines(order))
        # Ship-to country is the one at order time; it follows only a change of customer.
        country = current.country if current.customer_id == order.customer_id else order.country
        change.will_change([order_id])
        conn.execute(delete(order_lines).where(order_lines.c.order_id == order_id))
        _insert_lines(conn, order_id, order, country)
        conn.execute(
            update(orders).where(orders.c.id == order_id).values(**_header(order, country))
        )
        change.record(before=before, after=order_snapshot(conn, order_id))
        return SavedOrder(order_id, current.order_number, order.total_cents)


def set_status(engine: Engine, order_id: int, status: str, actor: Account) -> None:
    """Change an order's status; cancelling returns its stock, un-cancelling takes it again.
    Refused (OrderAccessError) when `actor` may not change this order."""
    check_writer(actor)
    user = actor.username
    if status not in ORDER_STATUSES:
        msg = f"Unknown status {status!r}; use one of {', '.join(ORDER_STATUSES)}"
        raise ValidationError([FieldError("status", msg)])
    with write_transaction(engine) as conn:
        current = _lock(conn, order_id, actor)
        if current.status == status:
            return  # nothing changes: no audit entry, no new data version
        with changing_orders(conn, user=user, action="status", entity_id=order_id) as change:
            units = _units(conn, order_id)
            if status == CANCELLED and current.status != CANCELLED:
                move_stock(conn, units, {})
            elif current.status == CANCELLED:
                move_stock(conn, {}, units)
            change.will_change([order_id])
            conn.execute(update(orders).where(orders.c.id == order_id).values(status=status))
            conn.execute(
                update(order_lines).where(order_lines.c.order_id == order_id).values(status=status)
            )
            change.record(
                before={"order_number": current.order_number, "status": current.status},
                after={"order_number": current.order_number, "status": status},
            )


def delete_order(engine: Engine, order_id: int, actor: Account) -> None:
    """Delete an order and its lines, returning its stock unless it was cancelled.
    Refused (OrderAccessError) when `actor` may not change this order."""
    with _changing(engine, actor, "delete", order_id) as (conn, change):
        _lock(conn, order_id, actor)
        before = order_snapshot(conn, order_id)
        move_stock(conn, held_units(conn, order_id), {})
        change.will_change([order_id])
        conn.execute(delete(order_lines).where(order_lines.c.order_id == order_id))
        conn.execute(delete(orders).where(orders.c.id == order_id))
        change.record(before=before)


def read_order(conn: Connection, order_id: int, actor: Account) -> dict:
    """The order and its lines (see order_snapshot) if `actor` may see it: OrderNotFound when
    there is no such order, OrderAccessError when it is someone else's."""
    row = conn.execute(
        select(orders.c.order_number, orders.c.created_by).where(orders.c.id == order_id)
    ).first()
    if row is None:
        raise OrderNotFound(f"Order {order_id} does not exist")
    check_read(actor, row.created_by, f"Order {row.order_number}")
    return order_snapshot(conn, order_id)


def order_snapshot(conn: Connection, order_id: int) -> dict | None:
    """The order and its lines as plain data, for the audit log (money in currency units)."""
    row = conn.execute(select(orders).where(orders.c.id == order_id)).first()
    if row is None:
        return None
    lines = conn.execute(
        select(order_lines)
        .where(order_lines.c.order_id == order_id)
        .order_by(order_lines.c.line_number)
    ).all()
    return {
        "order_number": row.order_number,
        "customer_id": row.customer_id,
        "ordered_at": row.ordered_at,
        "status": row.status,
        "country": row.country,
        "channel": row.channel,
        "payment_type": row.payment_type,
        "promo": bool(row.promo),
        "note": row.note,
        "total": _money(row.total_cents),
        "lines": [
            {
                "product_id": line.product_id,
                "quantity": line.quantity,
                "unit_price": _money(line.unit_price_cents),
                "discount_pct": str(Decimal(line.discount_bp) / 100),
                "amount": _money(line.amount_cents),
            }
            for line in lines
        ],
    }


@contextmanager
def _changing(
    engine: Engine, actor: Account, action: str, order_id: int | None = None
) -> Iterator[tuple[Connection, OrderChange]]:
    """A write transaction that changes orders as `actor` (OrderAccessError unless a writer),
    audited as `action` on the order: its connection and changing_orders' change."""
    check_writer(actor)
    with (
        write_transaction(engine) as conn,
        changing_orders(conn, user=actor.username, action=action, entity_id=order_id) as change,
    ):
        yield conn, change


def _money(cents: int) -> str:
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))


def _lock(conn: Connection, order_id: int, actor: Account):
    """The order's row, locked, once `actor` is known to be allowed to change it."""
    # FOR UPDATE makes a concurrent edit of the same order wait and then see this one's result
    # (two cancels must not both return the stock); SQLite's BEGIN IMMEDIATE already does.
    row = conn.execute(select(orders).where(orders.c.id == order_id).with_for_update()).first()
    if row is None:
        raise OrderNotFound(f"Order {order_id} does not exist")
    check_write(actor, row.created_by, f"Order {row.order_number}")
    return row


def _units(conn: Connection, order_id: int) -> dict[int, int]:
    rows = conn.execute(
        select(order_lines.c.product_id, func.sum(order_lines.c.quantity))
        .where(order_lines.c.order_id == order_id)
        .group_by(order_lines.c.product_id)
    )
    return {pid: int(units) for pid, units in rows}


def _takes(order: ValidOrder) -> dict[int, int]:
    return {} if order.status == CANCELLED else order.units_by_product()


def _first_lines(order: ValidOrder) -> dict[int, int]:
    first: dict[int, int] = {}
    for i, line in enumerate(order.lines):
        first.setdefault(line.product_id, i)
    return first


def _header(order: ValidOrder, country: str | None) -> dict:
    return dict(
        customer_id=order.customer_id,
        ordered_at=order.ordered_at,
        order_date=order.ordered_at.date(),
        status=order.status,
        country=country,
        channel=order.channel,
        payment_type=order.payment_type,
        promo=order.promo,
        note=order.note,
        total_cents=order.total_cents,
    )


def _insert_lines(conn: Connection, order_id: int, order: ValidOrder, country: str | None) -> None:
    conn.execute(
        insert(order_lines),
        [
            dict(
                order_id=order_id,
                line_number=n,
                product_id=line.product_id,
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
                discount_bp=line.discount_bp,
                amount_cents=line.amount_cents,
                cost_cents=line.cost_cents,  # the product's cost at the time of sale
                order_date=order.ordered_at.date(),
                status=order.status,
                customer_id=order.customer_id,
                country=country,
                category=line.category,
            )
            for n, line in enumerate(order.lines, start=1)
        ],
    )


def _assign_number(conn: Connection, order_id: int) -> str:
    """SO-000123 from the order's own id, which the database hands out uniquely even under
    concurrent inserts; a suffix steps around a number an import already used."""
    base = f"{NUMBER_PREFIX}{order_id:06d}"
    number, n = base, 1
    while conn.execute(select(orders.c.id).where(orders.c.order_number == number)).first():
        n += 1
        number = f"{base}-{n}"
    conn.execute(update(orders).where(orders.c.id == order_id).values(order_number=number))
    return number
