"""What an order-line file says beyond the money (issue 21, items 13 and 14) is stored with
each order and line: cost, ship date and mode per line; ship-to geography and the customer's
segment per order, as they were on that order (a customer who moves keeps both places)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from dashapp.importer.loader import load_orders
from dashapp.importer.reader import CustomerData, LineData, OrderData
from dashapp.store.db import write_transaction
from dashapp.store.models import Customer, Order, OrderLine

if "cost_cents" not in LineData.__dataclass_fields__:  # the reader's fields land separately
    pytest.skip("the reader has no cost / ship fields yet", allow_module_level=True)


def _order(number: str, state: str, city: str, segment: str, ship_mode: str) -> OrderData:
    # 3 x 20.00 = 60.00 with a profit of 15.00: cost 60.00 - 15.00 = 45.00
    line = LineData(
        csv_line=2, line_number=1, sku="FUR-1", product_name="Chair", category="Furniture",
        sub_category="Chairs", msrp_cents=None, quantity=3, unit_price_cents=2000,
        discount_bp=0, amount_cents=6000, cost_cents=4500, ship_date=date(2024, 3, 5),
        ship_mode=ship_mode,
    )  # fmt: skip
    return OrderData(
        order_number=number, ordered_at=datetime(2024, 3, 1), status="Shipped",
        country="United States", customer=CustomerData("Claire Gute", None, {"state": "Texas"}),
        payment_type=None, channel=None, promo=False, lines=[line], ship_region="Central",
        ship_state=state, ship_city=city, ship_postal_code="75001", segment=segment,
    )  # fmt: skip


def load(engine, orders):
    with write_transaction(engine) as conn:
        return load_orders(conn, orders, "importer")


def test_each_order_keeps_its_own_ship_to_and_segment(engine):
    load(
        engine,
        [
            _order("CA-1", "Texas", "Dallas", "Consumer", "Second Class"),
            _order("CA-2", "Kentucky", "Henderson", "Corporate", "Same Day"),
        ],
    )
    with engine.connect() as conn:
        orders = conn.execute(
            select(
                Order.order_number, Order.ship_region, Order.ship_state, Order.ship_city,
                Order.ship_postal_code, Order.segment,
            ).order_by(Order.order_number)
        ).all()  # fmt: skip
        lines = conn.execute(
            select(OrderLine.amount_cents, OrderLine.cost_cents, OrderLine.ship_date,
                   OrderLine.ship_mode).order_by(OrderLine.id)
        ).all()  # fmt: skip
        customers = conn.execute(select(Customer.name, Customer.state)).all()
    assert [tuple(o) for o in orders] == [
        ("CA-1", "Central", "Texas", "Dallas", "75001", "Consumer"),
        ("CA-2", "Central", "Kentucky", "Henderson", "75001", "Corporate"),
    ]
    assert [tuple(ln) for ln in lines] == [
        (6000, 4500, date(2024, 3, 5), "Second Class"),
        (6000, 4500, date(2024, 3, 5), "Same Day"),
    ]
    # One customer, with the state of its first row; each order keeps its own.
    assert [tuple(c) for c in customers] == [("Claire Gute", "Texas")]


def test_a_changed_ship_mode_or_segment_updates_the_order(engine):
    load(engine, [_order("CA-1", "Texas", "Dallas", "Consumer", "Second Class")])
    counts = load(engine, [_order("CA-1", "Texas", "Dallas", "Corporate", "First Class")])
    assert (counts.orders_updated, counts.orders_unchanged) == (1, 0)
    assert counts.changes == ["CA-1: lines changed, segment changed"]
    with engine.connect() as conn:
        assert conn.execute(select(OrderLine.ship_mode)).scalar_one() == "First Class"
        assert conn.execute(select(Order.segment)).scalar_one() == "Corporate"
    same = load(engine, [_order("CA-1", "Texas", "Dallas", "Corporate", "First Class")])
    assert (same.orders_updated, same.orders_unchanged) == (0, 1)
