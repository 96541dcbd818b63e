"""Every kind of bad order input is refused with the right field and message, and changes
nothing (the tables are re-queried)."""

import pytest
from sqlalchemy import select, update

from dashapp.catalog import CustomerDraft, create_customer
from dashapp.filters import Filters
from dashapp.orders import (
    LineDraft,
    OrderDraft,
    ValidationError,
    create_order,
    data_version,
    validate_order,
)
from dashapp.orders.history import order_history_page
from dashapp.store.models import Customer, Order, Product
from tests.accounts import staff
from tests.shop import row_counts

GOOD = LineDraft("CAR", 1)


def _line(**kw):
    return LineDraft(**({"product": "CAR", "quantity": 1} | kw))


CASES = [
    # (draft, field, line, message)
    (OrderDraft(1, [GOOD, _line(quantity=0)]), "quantity", 1, "Quantity must be greater than 0"),
    (OrderDraft(1, [GOOD, _line(quantity=-2)]), "quantity", 1, "Quantity must be greater than 0"),
    (
        OrderDraft(1, [GOOD, _line(quantity="abc")]),
        "quantity",
        1,
        "Quantity must be a number, e.g. 3",
    ),
    (
        OrderDraft(1, [GOOD, _line(quantity="1.5")]),
        "quantity",
        1,
        "Quantity must be a whole number",
    ),
    (
        OrderDraft(1, [GOOD, _line(unit_price="-1")]),
        "unit_price",
        1,
        "Unit price must be 0 or more",
    ),
    (
        OrderDraft(1, [GOOD, _line(discount_pct=150)]),
        "discount_pct",
        1,
        "Discount must be between 0 and 100 %",
    ),
    (OrderDraft(1, [GOOD, _line(product="NOPE")]), "product", 1, "Unknown product 'NOPE'"),
    (OrderDraft(1, [GOOD, _line(product=999)]), "product", 1, "Unknown product 999"),
    (
        OrderDraft(1, [GOOD, _line(product="BOAT")]),
        "product",
        1,
        "Boat C is inactive and cannot be ordered",
    ),
    (
        OrderDraft(1, [GOOD, _line(product="BIKE", quantity=4)]),
        "quantity",
        1,
        "Only 3 left of Bike B",
    ),
    (
        OrderDraft(1, [_line(product="BIKE", quantity=2), GOOD, _line(product="BIKE", quantity=2)]),
        "quantity",
        0,
        "Only 3 left of Bike B",
    ),
    (OrderDraft(999, [GOOD]), "customer_id", None, "Unknown customer 999"),
    (OrderDraft("abc", [GOOD]), "customer_id", None, "Customer must be a number, e.g. 3"),
    (OrderDraft(3, [GOOD]), "customer_id", None, "Customer Gone is inactive"),
    (OrderDraft(None, [GOOD]), "customer_id", None, "Choose a customer"),
    (OrderDraft(1, []), "lines", None, "Add at least one line"),
    (OrderDraft(1, [GOOD], status="Lost"), "status", None, None),
    (
        OrderDraft(1, [GOOD], ordered_at="31/12/2024"),
        "ordered_at",
        None,
        "Enter the date as YYYY-MM-DD or YYYY-MM-DD HH:MM",
    ),
    (
        OrderDraft(1, [GOOD], note="x" * 501),
        "note",
        None,
        "Note is too long: 501 characters, at most 500",
    ),
    (OrderDraft(1, [GOOD], channel="bad\x00byte"), "channel", None, None),
]


@pytest.mark.parametrize(("draft", "field", "line", "message"), CASES)
def test_bad_input_is_refused_and_changes_nothing(shop, draft, field, line, message):
    before = row_counts(shop)
    with shop.connect() as conn:
        version = data_version(conn)
        assert [e.field for e in validate_order(conn, draft)] == [field]
    with pytest.raises(ValidationError) as exc:
        create_order(shop, draft, staff("alice"))
    [error] = exc.value.errors
    assert (error.field, error.line) == (field, line)
    if message:
        assert error.message == message
    assert row_counts(shop) == before
    with shop.connect() as conn:
        assert data_version(conn) == version


def test_all_problems_are_reported_at_once(shop):
    draft = OrderDraft(999, [_line(quantity=0), _line(product="NOPE", discount_pct="x")])
    with pytest.raises(ValidationError) as exc:
        create_order(shop, draft, staff("alice"))
    assert [(e.field, e.line) for e in exc.value.errors] == [
        ("customer_id", None),
        ("quantity", 0),
        ("product", 1),
        ("discount_pct", 1),
    ]


def test_html_and_sql_are_stored_verbatim(shop):
    note = "<script>alert('x')</script>'; DROP TABLE orders; --"
    name = "<b>Robert'); DROP TABLE customers;--</b>"
    cid = create_customer(shop, CustomerDraft(name=name, country="France"), "alice")
    saved = create_order(shop, OrderDraft(cid, [GOOD], note=note), staff("alice"))
    with shop.connect() as conn:
        assert conn.execute(select(Order.note).where(Order.id == saved.id)).scalar() == note
        assert conn.execute(select(Customer.name).where(Customer.id == cid)).scalar() == name
        rows, total = order_history_page(conn, Filters())
    assert (total, rows[0]["customer"]) == (1, name)


def test_a_large_stock_shortage_is_worded_with_thousands_separators(shop):
    with shop.begin() as conn:
        conn.execute(update(Product).where(Product.sku == "CAR").values(stock_on_hand=16193))
    before = row_counts(shop)
    with pytest.raises(ValidationError) as exc:
        create_order(shop, OrderDraft(1, [_line(quantity=16194)]), staff("bob"))
    assert [e.message for e in exc.value.errors] == ["Only 16,193 left of Car A"]
    assert row_counts(shop) == before
