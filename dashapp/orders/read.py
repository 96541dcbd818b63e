"""Reading an existing order back as a draft, to prefill the entry grid for an edit."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, select

from dashapp.auth import Account
from dashapp.orders.drafts import LineDraft, OrderDraft
from dashapp.orders.scope import check_read
from dashapp.store.models import Order, OrderLine

orders = Order.__table__
order_lines = OrderLine.__table__


def draft_from_order(conn: Connection, order_id: int, actor: Account) -> OrderDraft | None:
    """The order as an editable draft (prices in currency units), or None if it is gone;
    OrderAccessError when `actor` may not see it (its private note included)."""
    row = conn.execute(select(orders).where(orders.c.id == order_id)).first()
    if row is None:
        return None
    check_read(actor, row.created_by, f"Order {row.order_number}")
    lines = conn.execute(
        select(order_lines)
        .where(order_lines.c.order_id == order_id)
        .order_by(order_lines.c.line_number)
    )
    return OrderDraft(
        customer_id=row.customer_id,
        ordered_at=row.ordered_at,
        status=row.status,
        channel=row.channel,
        payment_type=row.payment_type,
        promo=bool(row.promo),
        note=row.note,
        lines=tuple(
            LineDraft(
                product=line.product_id,
                quantity=line.quantity,
                unit_price=Decimal(line.unit_price_cents) / 100,
                discount_pct=Decimal(line.discount_bp) / 100,
            )
            for line in lines
        ),
    )
