"""Imported lines carry their order's day, status, customer and country and their product's
category; order totals and first-order dates are kept in step; stock does not move."""

from datetime import date

from sqlalchemy import select

from dashapp.importer import import_csv
from dashapp.store.models import Customer, Order, OrderLine, Product

TEXT = (
    "Order ID,Order Date,Customer,SKU,Category,Quantity,Unit Price,Country,Status\n"
    "F1,2024-03-05,Acme,CAR,Classic Cars,2,10.00,France,Cancelled\n"
    "F2,2024-03-09,Acme,CAR,Classic Cars,1,10.00,France,Shipped\n"
    "F2,2024-03-09,Acme,BIKE,Motorcycles,3,5.00,France,Shipped\n"
    "F3,2024-02-01,Bolt,BIKE,Vintage,1,5.00,USA,Shipped\n"
)


def test_lines_copy_order_and_product_columns(engine, write_csv):
    import_csv(engine, write_csv(TEXT))
    with engine.connect() as conn:
        lines = conn.execute(
            select(
                Order.order_number, OrderLine.order_date, OrderLine.status, OrderLine.country,
                OrderLine.category, Customer.name,
            )
            .join_from(OrderLine, Order, OrderLine.order_id == Order.id)
            .join(Customer, OrderLine.customer_id == Customer.id)
            .order_by(Order.order_number, OrderLine.line_number)
        ).all()  # fmt: skip
        totals = dict(conn.execute(select(Order.order_number, Order.total_cents)).all())
        first = dict(conn.execute(select(Customer.name, Customer.first_order_date)).all())
        stock = conn.scalars(select(Product.stock_on_hand)).all()
    assert lines == [
        ("F1", date(2024, 3, 5), "Cancelled", "France", "Classic Cars", "Acme"),
        ("F2", date(2024, 3, 9), "Shipped", "France", "Classic Cars", "Acme"),
        ("F2", date(2024, 3, 9), "Shipped", "France", "Motorcycles", "Acme"),
        # The catalog's category: BIKE was created as Motorcycles by line 3.
        ("F3", date(2024, 2, 1), "Shipped", "USA", "Motorcycles", "Bolt"),
    ]
    assert totals == {"F1": 2000, "F2": 2500, "F3": 500}  # 2x10; 1x10 + 3x5; 1x5
    # Acme's cancelled F1 does not count: its first order is F2.
    assert first == {"Acme": date(2024, 3, 9), "Bolt": date(2024, 2, 1)}
    assert stock == [0, 0]  # historic orders do not move stock


def test_existing_customers_and_products_are_reused(engine, write_csv):
    import_csv(engine, write_csv(TEXT))
    more = "Order ID,Order Date,Customer,SKU,Quantity,Unit Price\nF9,2024-01-01,Acme,CAR,1,1\n"
    report = import_csv(engine, write_csv(more, name="more.csv"))
    assert (report.orders_added, report.customers_added, report.products_added) == (1, 0, 0)
    with engine.connect() as conn:
        first = conn.scalar(select(Customer.first_order_date).where(Customer.name == "Acme"))
        category = conn.scalar(
            select(OrderLine.category).join(Order).where(Order.order_number == "F9")
        )
    assert first == date(2024, 1, 1)  # moved back by the new, earlier order
    assert category == "Classic Cars"  # from the catalog; the file has no category column
