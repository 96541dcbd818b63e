"""The one-row-per-order export: one order of one line per row."""

from datetime import datetime

from sqlalchemy import select

from dashapp.importer import import_csv
from dashapp.store.models import Customer, Order, OrderLine, Product

PER_ORDER = (
    "order_id,user_id,ts,amount,category,used_promo,payment_type\n"
    "A1,u7,2024-03-01 09:15:00,19.99,Books,1,card\n"
    "A2,u7,2024-03-02 10:00:00,5.00,Books,0,cash\n"
    "A3,u9,2024-03-02 11:30:00,120.50,Home & Garden,false,card\n"
)


def test_each_row_becomes_an_order_of_one_line(engine, write_csv):
    report = import_csv(engine, write_csv(PER_ORDER))
    assert report.format_label == "one-row-per-order export"
    assert (report.orders_added, report.lines_added, report.rejects) == (3, 3, [])
    assert (report.customers_added, report.products_added) == (2, 2)  # u7, u9; 2 categories
    with engine.connect() as conn:
        orders = conn.execute(
            select(
                Order.order_number, Order.ordered_at, Order.status, Order.country,
                Order.promo, Order.payment_type, Order.total_cents, Customer.name,
            ).join(Customer).order_by(Order.order_number)
        ).all()  # fmt: skip
        lines = conn.execute(
            select(
                OrderLine.quantity, OrderLine.unit_price_cents, OrderLine.amount_cents,
                OrderLine.category, Product.sku, Product.name,
            ).join(Product).order_by(OrderLine.id)
        ).all()  # fmt: skip
    a1 = ("A1", datetime(2024, 3, 1, 9, 15), "Shipped", None, True, "card", 1999, "u7")
    assert orders[0] == a1
    assert [o.promo for o in orders] == [True, False, False]
    assert [o.name for o in orders] == ["u7", "u7", "u9"]
    # Quantity 1 at the order amount; the product stands for the category.
    assert lines[0] == (1, 1999, 1999, "Books", "CAT-BOOKS", "Books")
    assert lines[2] == (1, 12050, 12050, "Home & Garden", "CAT-HOME-GARDEN", "Home & Garden")


def test_a_status_column_is_used_when_present(engine, write_csv):
    text = "order_id,user_id,ts,amount,category,status\nB1,u1,2024-01-05,10,Toys,cancelled\n"
    import_csv(engine, write_csv(text))
    with engine.connect() as conn:
        assert conn.scalar(select(Order.status)) == "Cancelled"
        assert conn.scalar(select(OrderLine.status)) == "Cancelled"
