"""Editing, cancelling, un-cancelling and deleting orders: stock, revenue and audit follow."""

import json

import pytest
from sqlalchemy import select

from dashapp.analytics.kpis import kpis
from dashapp.filters import Filters
from dashapp.orders import (
    LineDraft,
    OrderDraft,
    OrderNotFound,
    ValidationError,
    create_order,
    delete_order,
    draft_from_order,
    set_status,
    update_order,
)
from dashapp.store.models import AuditLog, Customer, Order, OrderLine
from tests.accounts import staff
from tests.shop import row_counts, stock_of


def _order(engine, *lines, customer=1):
    draft = OrderDraft(customer, [LineDraft(sku, qty) for sku, qty in lines], "2024-03-05")
    return create_order(engine, draft, staff("alice"))


def _kpis(engine):
    with engine.connect() as conn:
        return kpis(conn, Filters())


def test_quantity_edit_moves_stock_by_the_difference(shop):
    saved = _order(shop, ("CAR", 2))  # CAR 10 -> 8
    update_order(shop, saved.id, OrderDraft(1, [LineDraft("CAR", 5)]), staff("bob"))
    assert stock_of(shop, "CAR") == 5  # took 3 more
    update_order(shop, saved.id, OrderDraft(1, [LineDraft("CAR", 1)]), staff("bob"))
    assert stock_of(shop, "CAR") == 9  # gave 4 back
    # Swap the product: CAR 1 goes back, BIKE 2 is taken.
    result = update_order(shop, saved.id, OrderDraft(2, [LineDraft("BIKE", 2)]), staff("bob"))
    assert (stock_of(shop, "CAR"), stock_of(shop, "BIKE")) == (10, 1)
    assert result.total_cents == 10000  # 2 x 50.00
    with shop.connect() as conn:
        order = conn.execute(select(Order).where(Order.id == saved.id)).one()
        lines = conn.execute(select(OrderLine).where(OrderLine.order_id == saved.id)).all()
        firsts = dict(conn.execute(select(Customer.id, Customer.first_order_date)).all())
        audit = conn.execute(select(AuditLog).order_by(AuditLog.id)).all()
    # The date was left out of the edits, so it stayed; the new customer's country applies.
    assert (order.customer_id, order.country, order.total_cents) == (2, "USA", 10000)
    assert str(order.order_date) == "2024-03-05"
    assert [(ln.customer_id, ln.country, ln.quantity) for ln in lines] == [(2, "USA", 2)]
    assert firsts[1] is None and str(firsts[2]) == "2024-03-05"
    assert [a.action for a in audit] == ["create", "update", "update", "update"]
    assert json.loads(audit[1].before)["lines"][0]["quantity"] == 2
    assert json.loads(audit[1].after)["lines"][0]["quantity"] == 5


def test_edit_beyond_stock_counts_what_the_order_holds(shop):
    saved = _order(shop, ("CAR", 2))  # CAR 10 -> 8; the order holds 2
    before = row_counts(shop)
    with pytest.raises(ValidationError) as exc:
        update_order(shop, saved.id, OrderDraft(1, [LineDraft("CAR", 11)]), staff("bob"))
    assert [e.message for e in exc.value.errors] == ["Only 10 left of Car A"]
    assert row_counts(shop) == before


def test_edit_round_trips_through_a_draft(shop):
    saved = _order(shop, ("CAR", 2), ("BIKE", 1))
    with shop.connect() as conn:
        draft = draft_from_order(conn, saved.id, staff("bob"))
    again = update_order(shop, saved.id, draft, staff("bob"))
    assert again.total_cents == saved.total_cents == 25000  # 2 x 100.00 + 50.00
    assert (stock_of(shop, "CAR"), stock_of(shop, "BIKE")) == (8, 2)


def test_cancel_restores_stock_and_revenue(shop):
    saved = _order(shop, ("CAR", 2), ("BIKE", 1))
    assert _kpis(shop).revenue_cents == 25000
    set_status(shop, saved.id, "Cancelled", staff("bob"))
    assert (stock_of(shop, "CAR"), stock_of(shop, "BIKE")) == (10, 3)
    after = _kpis(shop)
    assert (after.revenue_cents, after.orders, after.cancelled_orders) == (0, 0, 1)
    with shop.connect() as conn:
        statuses = conn.execute(select(OrderLine.status).distinct()).scalars().all()
        first = conn.execute(select(Customer.first_order_date).where(Customer.id == 1)).scalar()
    assert statuses == ["Cancelled"]
    assert first is None
    # Cancelling twice returns nothing twice.
    set_status(shop, saved.id, "Cancelled", staff("bob"))
    assert stock_of(shop, "CAR") == 10


def test_uncancel_takes_stock_again_or_is_refused(shop):
    first = _order(shop, ("BIKE", 3))  # BIKE 3 -> 0
    set_status(shop, first.id, "Cancelled", staff("bob"))  # -> 3
    set_status(shop, first.id, "Shipped", staff("bob"))  # -> 0
    assert stock_of(shop, "BIKE") == 0
    set_status(shop, first.id, "Cancelled", staff("bob"))  # -> 3
    _order(shop, ("BIKE", 2))  # -> 1
    before = row_counts(shop)
    with pytest.raises(ValidationError, match="Only 1 left of Bike B"):
        set_status(shop, first.id, "Pending", staff("bob"))
    assert row_counts(shop) == before
    with shop.connect() as conn:
        assert conn.execute(select(Order.status).where(Order.id == first.id)).scalar() == (
            "Cancelled"
        )


def test_delete_restores_stock_unless_cancelled(shop):
    kept = _order(shop, ("CAR", 1))
    gone = _order(shop, ("CAR", 2))  # CAR 10 -> 7
    delete_order(shop, gone.id, staff("bob"))
    assert stock_of(shop, "CAR") == 9
    assert _kpis(shop).revenue_cents == 10000  # only the kept order's 100.00
    set_status(shop, kept.id, "Cancelled", staff("bob"))  # -> 10
    delete_order(shop, kept.id, staff("bob"))
    assert stock_of(shop, "CAR") == 10
    with shop.connect() as conn:
        assert conn.execute(select(Order.id)).all() == []
        assert conn.execute(select(OrderLine.id)).all() == []
        last = conn.execute(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (last.action, last.after) == ("delete", None)
    assert json.loads(last.before)["status"] == "Cancelled"


def test_unknown_order_and_status(shop):
    saved = _order(shop, ("CAR", 1))
    with pytest.raises(ValidationError) as exc:
        set_status(shop, saved.id, "Lost", staff("bob"))
    assert exc.value.errors[0].field == "status"
    with pytest.raises(OrderNotFound):
        delete_order(shop, 999, staff("bob"))
    with pytest.raises(OrderNotFound):
        update_order(shop, 999, OrderDraft(1, [LineDraft("CAR", 1)]), staff("bob"))
