"""A small shop for the order-entry and catalog tests, written with plain INSERTs (not the code
under test).

customers: 1 Acme (France), 2 Bolt (USA, bolt@example.com), 3 Gone (Spain, inactive)
products:  1 CAR  "Car A"  Classic Cars  100.00  stock 10
           2 BIKE "Bike B" Motorcycles    50.00  stock 3
           3 BOAT "Boat C" Ships          20.00  stock 50, inactive
           4 PLANE "Plane D" Planes        7.25  stock 0, backorders allowed
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from dashapp.store.models import AuditLog, Customer, Order, OrderLine, Product

CUSTOMERS = [
    dict(id=1, name="Acme", country="France"),
    dict(id=2, name="Bolt", country="USA", email="bolt@example.com"),
    dict(id=3, name="Gone", country="Spain", active=False),
]
PRODUCTS = [
    dict(id=1, sku="CAR", name="Car A", category="Classic Cars", list_price_cents=10000),
    dict(id=2, sku="BIKE", name="Bike B", category="Motorcycles", list_price_cents=5000),
    dict(id=3, sku="BOAT", name="Boat C", category="Ships", list_price_cents=2000, active=False),
    dict(
        id=4,
        sku="PLANE",
        name="Plane D",
        category="Planes",
        list_price_cents=725,
        allow_backorder=True,
    ),
]
STOCK = {1: 10, 2: 3, 3: 50, 4: 0}


def seed_shop(engine) -> None:
    """Write the shop above."""
    with engine.begin() as conn:
        conn.execute(insert(Customer), [dict(email=None, active=True) | c for c in CUSTOMERS])
        conn.execute(
            insert(Product),
            [
                dict(active=True, allow_backorder=False, stock_on_hand=STOCK[p["id"]]) | p
                for p in PRODUCTS
            ],
        )
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("customers", "products"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )


@pytest.fixture
def shop(engine):
    """An empty database on each backend with the shop above."""
    seed_shop(engine)
    return engine


def stock_of(engine, sku: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(Product.stock_on_hand).where(Product.sku == sku)).scalar_one()


def row_counts(engine) -> dict[str, int]:
    """Rows per table the write path touches, to prove a refused write changed nothing."""
    with engine.connect() as conn:
        counts = {
            model.__tablename__: conn.execute(select(func.count()).select_from(model)).scalar()
            for model in (Order, OrderLine, AuditLog, Customer, Product)
        }
        counts["stock"] = dict(conn.execute(select(Product.sku, Product.stock_on_hand)).all())
    return counts
