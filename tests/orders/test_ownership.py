"""SPEC §6 in the order functions every surface calls: a sales user reads and changes only the
orders they entered; other roles with orders:write change any order; a viewer changes none.
Each refusal changes nothing (orders, lines, stock and audit log re-queried).

The shop (tests/shop.py): CAR 100.00 stock 10, BIKE 50.00 stock 3.
  sue (sales) orders 2 x CAR = 200.00 -> CAR stock 8
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashapp.orders import (
    LineDraft,
    NotYourOrder,
    OrderAccessError,
    OrderDraft,
    create_order,
    delete_order,
    draft_from_order,
    read_order,
    set_status,
    update_order,
)
from dashapp.store.models import AuditLog, Order, OrderLine, Product
from tests.accounts import staff

SUE = staff("sue", "sales", 1)
SAM = staff("sam", "sales", 2)
MAX = staff("max", "manager", 3)
VERA = staff("vera", "viewer", 4)


def everything(engine) -> tuple:
    with engine.connect() as conn:
        return (
            conn.execute(select(Order.id, Order.status, Order.total_cents)).all(),
            conn.execute(select(OrderLine.order_id, OrderLine.quantity)).all(),
            dict(conn.execute(select(Product.sku, Product.stock_on_hand)).all()),
            conn.execute(select(func.count()).select_from(AuditLog)).scalar_one(),
        )


@pytest.fixture
def sues_order(shop):
    return create_order(shop, OrderDraft(1, [LineDraft("CAR", 2)], note="private"), SUE).id


WRITES = {
    "update": lambda e, oid, who: update_order(e, oid, OrderDraft(1, [LineDraft("CAR", 1)]), who),
    "cancel": lambda e, oid, who: set_status(e, oid, "Cancelled", who),
    "delete": lambda e, oid, who: delete_order(e, oid, who),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_sales_user_cannot_change_a_colleagues_order(shop, sues_order, write):
    before = everything(shop)
    with pytest.raises(NotYourOrder, match="is not your order"):
        WRITES[write](shop, sues_order, SAM)
    assert everything(shop) == before
    assert before[2]["CAR"] == 8


@pytest.mark.parametrize("write", WRITES)
def test_a_viewer_cannot_change_any_order(shop, sues_order, write):
    before = everything(shop)
    with pytest.raises(OrderAccessError, match=r"Your role \(viewer\) cannot"):
        WRITES[write](shop, sues_order, VERA)
    assert everything(shop) == before


def test_a_viewer_cannot_enter_an_order(shop):
    before = everything(shop)
    with pytest.raises(OrderAccessError, match="viewer"):
        create_order(shop, OrderDraft(1, [LineDraft("CAR", 1)]), VERA)
    with pytest.raises(OrderAccessError):
        create_order(shop, OrderDraft(1, [LineDraft("CAR", 1)]), None)
    assert everything(shop) == before


def test_a_sales_user_cannot_read_a_colleagues_order(shop, sues_order):
    with shop.connect() as conn:
        with pytest.raises(NotYourOrder):
            read_order(conn, sues_order, SAM)
        with pytest.raises(NotYourOrder):
            draft_from_order(conn, sues_order, SAM)
        assert read_order(conn, sues_order, SUE)["note"] == "private"
        assert read_order(conn, sues_order, VERA)["total"] == "200.00"
        assert draft_from_order(conn, sues_order, MAX).note == "private"


def test_the_owner_and_a_manager_change_the_order(shop, sues_order):
    update_order(shop, sues_order, OrderDraft(1, [LineDraft("CAR", 1)]), SUE)
    assert everything(shop)[2]["CAR"] == 9  # 2 cars back, 1 taken
    set_status(shop, sues_order, "Cancelled", MAX)
    assert everything(shop)[2]["CAR"] == 10
    delete_order(shop, sues_order, SUE)
    assert everything(shop)[0] == []


def test_orders_nobody_entered_belong_to_no_sales_user(shop):
    """Imported orders have no created_by: only roles that see every order may touch them."""
    saved = create_order(shop, OrderDraft(1, [LineDraft("BIKE", 1)]), MAX)
    with shop.begin() as conn:
        conn.execute(Order.__table__.update().values(created_by=None))
    with pytest.raises(NotYourOrder):
        set_status(shop, saved.id, "Cancelled", SAM)
    set_status(shop, saved.id, "Cancelled", MAX)
