"""Creating an order: totals by hand, stock moved, lines denormalised, audit and versions."""

import json
from datetime import date, datetime

from sqlalchemy import select

from dashapp.analytics.kpis import kpis
from dashapp.filters import Filters
from dashapp.orders import LineDraft, OrderDraft, create_order, data_version
from dashapp.store.models import AuditLog, Customer, Order, OrderLine
from tests.accounts import staff
from tests.shop import stock_of

TWO_LINES = OrderDraft(
    customer_id=1,
    ordered_at="2024-03-05 14:30",
    channel="Phone",
    lines=[
        LineDraft("CAR", 2),  # catalog price 100.00: 2 x 100.00 = 200.00
        LineDraft(2, "3", unit_price="45.50", discount_pct="10"),  # 3 x 45.50 x 0.9 = 122.85
    ],
)


def test_two_line_order_is_saved_with_its_stock_and_audit(shop):
    saved = create_order(shop, TWO_LINES, staff("alice"))

    assert saved.total_cents == 32285  # 200.00 + 122.85
    assert saved.number == f"SO-{saved.id:06d}"
    assert stock_of(shop, "CAR") == 8  # 10 - 2
    assert stock_of(shop, "BIKE") == 0  # 3 - 3
    with shop.connect() as conn:
        order = conn.execute(select(Order).where(Order.id == saved.id)).one()
        lines = conn.execute(
            select(OrderLine).where(OrderLine.order_id == saved.id).order_by(OrderLine.line_number)
        ).all()
        audit = conn.execute(select(AuditLog)).all()
        first = conn.execute(select(Customer.first_order_date).where(Customer.id == 1)).scalar()
        revenue = kpis(conn, Filters()).revenue_cents
    assert (order.status, order.country, order.total_cents) == ("Pending", "France", 32285)
    assert (order.ordered_at, order.order_date) == (datetime(2024, 3, 5, 14, 30), date(2024, 3, 5))
    assert (order.created_by, order.channel) == ("alice", "Phone")
    assert [
        (ln.line_number, ln.product_id, ln.quantity, ln.unit_price_cents, ln.discount_bp)
        for ln in lines
    ] == [(1, 1, 2, 10000, 0), (2, 2, 3, 4550, 1000)]
    assert [ln.amount_cents for ln in lines] == [20000, 12285]
    assert {(ln.order_date, ln.status, ln.customer_id, ln.country) for ln in lines} == {
        (date(2024, 3, 5), "Pending", 1, "France")
    }
    assert [ln.category for ln in lines] == ["Classic Cars", "Motorcycles"]
    assert first == date(2024, 3, 5)
    assert revenue == 32285
    assert len(audit) == 1
    entry = audit[0]
    assert (entry.username, entry.action, entry.entity, entry.entity_id) == (
        "alice",
        "create",
        "order",
        str(saved.id),
    )
    after = json.loads(entry.after)
    assert entry.before is None
    assert after["total"] == "322.85"
    assert [ln["amount"] for ln in after["lines"]] == ["200.00", "122.85"]


def test_date_defaults_to_now(shop):
    before = datetime.now().replace(microsecond=0)
    saved = create_order(shop, OrderDraft(customer_id=2, lines=[LineDraft("CAR", 1)]), staff("bob"))
    after = datetime.now()
    with shop.connect() as conn:
        ordered_at = conn.execute(select(Order.ordered_at).where(Order.id == saved.id)).scalar()
    assert before <= ordered_at <= after


def test_backorder_product_may_go_below_zero(shop):
    create_order(shop, OrderDraft(customer_id=1, lines=[LineDraft("PLANE", 2)]), staff("alice"))
    assert stock_of(shop, "PLANE") == -2


def test_cancelled_order_takes_no_stock_and_numbers_are_unique(shop):
    draft = OrderDraft(customer_id=1, status="Cancelled", lines=[LineDraft("BIKE", 3)])
    first = create_order(shop, draft, staff("alice"))
    second = create_order(shop, draft, staff("alice"))
    assert stock_of(shop, "BIKE") == 3
    assert first.number != second.number
    with shop.connect() as conn:
        first_day = conn.execute(select(Customer.first_order_date).where(Customer.id == 1))
        assert first_day.scalar() is None  # only cancelled orders


def test_number_steps_around_an_imported_one(shop):
    with shop.begin() as conn:
        conn.execute(
            Order.__table__.insert(),
            dict(
                id=7,
                order_number="SO-000008",
                customer_id=1,
                ordered_at=datetime(2024, 1, 1),
                order_date=date(2024, 1, 1),
                status="Shipped",
            ),
        )
    if shop.dialect.name == "postgresql":
        with shop.begin() as conn:
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('orders', 'id'), 7)")
    saved = create_order(shop, OrderDraft(customer_id=1, lines=[LineDraft("CAR", 1)]), staff("a"))
    assert (saved.id, saved.number) == (8, "SO-000008-2")


def test_data_version_moves_after_a_save(shop):
    with shop.connect() as conn:
        before = data_version(conn)
    create_order(shop, OrderDraft(customer_id=1, lines=[LineDraft("CAR", 1)]), staff("alice"))
    with shop.connect() as conn:
        assert data_version(conn) != before
