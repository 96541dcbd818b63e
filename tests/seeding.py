"""Write hand-made orders straight into the tables with plain INSERTs (not the code under test),
filling the columns an order line copies from its order the way the write path does.

The fixtures (tests/tiny.py, tests/orders_fixture.py, tests/segments/people.py,
tests/store/rollup_shop.py) say what their shops hold; this module writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from sqlalchemy import Connection, insert

from dashapp.store.models import Customer, Order, OrderLine, Product

# (product id, category, quantity, unit price cents, discount bp, amount cents)
Line = tuple[int, str, int, int, int, int]


def order_rows(
    order_id: int,
    number: str,
    customer_id: int,
    day: date,
    status: str,
    country: str | None,
    lines: Iterable[Line],
    *,
    at: time = time(0),
    **columns,
) -> tuple[dict, list[dict]]:
    """The orders row (placed on `day` at `at`, its total the sum of the lines' amounts) and
    its order_lines rows, numbered from 1, with the order's date, status, customer and country."""
    line_rows = [
        dict(
            order_id=order_id,
            line_number=n,
            product_id=product_id,
            quantity=quantity,
            unit_price_cents=price,
            discount_bp=discount,
            amount_cents=amount,
            order_date=day,
            status=status,
            customer_id=customer_id,
            country=country,
            category=category,
        )
        for n, (product_id, category, quantity, price, discount, amount) in enumerate(
            lines, start=1
        )
    ]
    order = dict(
        id=order_id,
        order_number=number,
        customer_id=customer_id,
        ordered_at=datetime.combine(day, at),
        order_date=day,
        status=status,
        country=country,
        total_cents=sum(line["amount_cents"] for line in line_rows),
        **columns,
    )
    return order, line_rows


def write_catalogue(conn: Connection, customers: Iterable[dict], products: Iterable[dict]) -> None:
    """INSERT the customers and the products, each product 100 in stock unless its row says."""
    conn.execute(insert(Customer), list(customers))
    conn.execute(insert(Product), [{"stock_on_hand": 100, **product} for product in products])


def write_orders(conn: Connection, orders: Iterable[tuple[dict, list[dict]]]) -> None:
    """INSERT the orders and their lines, as order_rows gives them."""
    orders = list(orders)
    lines = [line for _, order_lines in orders for line in order_lines]
    if orders:
        conn.execute(insert(Order), [order for order, _ in orders])
    if lines:
        conn.execute(insert(OrderLine), lines)


def move_id_sequences(
    engine, tables: Iterable[str] = ("customers", "products", "orders", "order_lines")
) -> None:
    """On PostgreSQL, move the tables' id sequences past the seeded rows: explicit ids leave
    them behind, and the next INSERT without one would collide."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in tables:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
            )
