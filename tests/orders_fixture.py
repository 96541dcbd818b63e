"""Write hand-made orders with plain INSERTs (the tests/tiny.py approach), filling the copied
order_lines columns the way the write path does, so fixtures never depend on code under test."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert

from dashapp.store.models import Customer, Product
from dashapp.store.rollups import rebuild as rebuild_rollups
from tests.seeding import move_id_sequences, order_rows, write_orders


@dataclass
class Catalog:
    """Products as (sku, category, stock, reorder point, lead time days, active)."""

    products: list[tuple[str, str, int, int, int, bool]] = field(default_factory=list)

    def id_of(self, sku: str) -> int:
        return [p[0] for p in self.products].index(sku) + 1


def seed_orders(engine, catalog: Catalog, orders: list[tuple]) -> None:
    """orders: (day, country, status, [(sku, quantity, amount_cents), ...]); one customer per
    country. Unit price is amount / quantity; discounts are 0."""
    # A None country (no ship-to country) sorts last.
    countries = sorted({o[1] for o in orders}, key=lambda c: (c is None, c or ""))
    customer_of = {c: i for i, c in enumerate(countries, start=1)}
    with engine.begin() as conn:
        if countries:
            conn.execute(
                insert(Customer),
                [dict(id=i, name=f"Customer {c}", country=c) for c, i in customer_of.items()],
            )
        conn.execute(
            insert(Product),
            [
                dict(
                    id=catalog.id_of(sku),
                    sku=sku,
                    name=f"Product {sku}",
                    category=category,
                    list_price_cents=1000,
                    stock_on_hand=stock,
                    reorder_point=reorder,
                    lead_time_days=lead,
                    active=active,
                )
                for sku, category, stock, reorder, lead, active in catalog.products
            ],
        )
        category_of = {p[0]: p[1] for p in catalog.products}
        write_orders(
            conn,
            [
                order_rows(
                    oid,
                    f"N{oid}",
                    customer_of[country],
                    day,
                    status,
                    country,
                    [
                        (catalog.id_of(sku), category_of[sku], qty, amount // qty, 0, amount)
                        for sku, qty, amount in items
                    ],
                )
                for oid, (day, country, status, items) in enumerate(orders, start=1)
            ],
        )
        first = {}
        for day, country, status, _ in orders:
            if status != "Cancelled":
                cid = customer_of[country]
                first[cid] = min(first.get(cid, day), day)
        for cid, day in first.items():
            conn.execute(
                Customer.__table__.update()
                .where(Customer.__table__.c.id == cid)
                .values(first_order_date=day)
            )
        # Plain INSERTs bypass the write path, so rebuild the rollups as a bulk load does.
        rebuild_rollups(conn)
    move_id_sequences(engine)


def day_range(start: date, days: int) -> list[date]:
    """`days` consecutive days from `start`."""
    from datetime import timedelta

    return [start + timedelta(days=i) for i in range(days)]
