"""Add an order after the seed, as a late file or a late entry would: plain INSERTs (the
fixtures' way, independent of the code under test), then the rollups rebuilt."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert

from dashapp.store.models import Order, OrderLine
from dashapp.store.rollups import rebuild as rebuild_rollups


def add_order(
    engine, day: date, customer_id: int, country: str, items: list[tuple[int, str, int]]
) -> None:
    """items: (product id, category, amount cents), one unit each."""
    total = sum(cents for *_, cents in items)
    with engine.begin() as conn:
        order_id = conn.execute(
            insert(Order).returning(Order.id),
            dict(
                order_number=f"late-{day}-{customer_id}-{len(items)}-{total}",
                customer_id=customer_id,
                ordered_at=datetime.combine(day, datetime.min.time()),
                order_date=day,
                status="Shipped",
                country=country,
                total_cents=total,
            ),
        ).scalar_one()
        conn.execute(
            insert(OrderLine),
            [
                dict(
                    order_id=order_id,
                    line_number=n,
                    product_id=product_id,
                    quantity=1,
                    unit_price_cents=cents,
                    discount_bp=0,
                    amount_cents=cents,
                    order_date=day,
                    status="Shipped",
                    customer_id=customer_id,
                    country=country,
                    category=category,
                )
                for n, (product_id, category, cents) in enumerate(items, start=1)
            ],
        )
        rebuild_rollups(conn)
