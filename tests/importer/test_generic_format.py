"""Other order-line exports map by their common header names, without a hand-made mapping."""

from datetime import datetime

import pytest
from sqlalchemy import select

from dashapp.importer import NeedsAnswer, ReadOptions, import_csv
from dashapp.store.models import Customer, Order, OrderLine, Product
from tests.importer.conftest import EMPTY, stored_counts

# Online-retail style: invoice numbers, day-first dates (13/01 gives it away), no amount column.
RETAIL = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "536365,85123A,WHITE HANGING HEART,6,13/01/2011 08:26,2.55,17850,United Kingdom\n"
    "536365,71053,WHITE METAL LANTERN,6,13/01/2011 08:26,3.39,17850,United Kingdom\n"
    "536366,22633,HAND WARMER UNION JACK,3,02/02/2011 09:01,1.855,13047,France\n"
)


def test_invoice_style_headers_map_by_themselves(engine, write_csv):
    report = import_csv(engine, write_csv(RETAIL))
    assert report.rejects == []
    assert report.mapping["order_id"] == "InvoiceNo"
    assert report.mapping["sku"] == "StockCode"
    assert report.mapping["customer"] == "CustomerID"
    assert report.date_format == "D/M/YYYY"
    assert (report.orders_added, report.lines_added, report.products_added) == (2, 3, 3)
    with engine.connect() as conn:
        orders = conn.execute(
            select(Order.order_number, Order.ordered_at, Order.status, Order.total_cents)
            .order_by(Order.order_number)
        ).all()  # fmt: skip
        lines = conn.execute(
            select(OrderLine.line_number, OrderLine.amount_cents, Product.name)
            .join(Product)
            .order_by(OrderLine.order_id, OrderLine.line_number)
        ).all()  # fmt: skip
    # 6 x 2.55 = 15.30; 6 x 3.39 = 20.34; total 35.64. 3 x 1.855 = 5.565 -> 5.57 (half-up).
    assert orders == [
        ("536365", datetime(2011, 1, 13, 8, 26), "Shipped", 3564),
        ("536366", datetime(2011, 2, 2, 9, 1), "Shipped", 557),
    ]
    # Lines numbered in file order when the file has no line numbers.
    assert lines == [(1, 1530, "WHITE HANGING HEART"), (2, 2034, "WHITE METAL LANTERN"),
                     (1, 557, "HAND WARMER UNION JACK")]  # fmt: skip


# Superstore style: spaced names, a customer name and id, a Sales amount and a discount.
STORE = (
    "Row ID,Order ID,Order Date,Customer ID,Customer Name,Segment,Country,City,State,"
    "Region,Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount\n"
    "1,CA-1,11/8/2016,CG-1,Claire Gute,Consumer,United States,Henderson,Kentucky,South,"
    "FUR-BO-1,Furniture,Bookcases,Bush Somerset,261.96,2,0\n"
    "2,CA-1,11/8/2016,CG-1,Claire Gute,Consumer,United States,Henderson,Kentucky,South,"
    "FUR-CH-1,Furniture,Chairs,Hon Deluxe,731.94,3,0.2\n"
)


def test_spaced_headers_sales_amount_and_discount(engine, write_csv):
    # 11/8/2016 alone could be 11 August or 8 November: the import asks (issue 21) ...
    with pytest.raises(NeedsAnswer, match="--date-format mm/dd/yyyy"):
        import_csv(engine, write_csv(STORE))
    assert stored_counts(engine) == EMPTY
    # ... and reads month-first when told so.
    report = import_csv(engine, write_csv(STORE), options=ReadOptions(date_format="mm/dd/yyyy"))
    assert report.rejects == []
    assert report.mapping["customer"] == "Customer Name"  # the name wins over the id
    assert report.mapping["amount"] == "Sales"
    assert report.date_format == "M/D/YYYY"
    with engine.connect() as conn:
        lines = conn.execute(
            select(OrderLine.amount_cents, OrderLine.discount_bp, OrderLine.unit_price_cents)
            .order_by(OrderLine.line_number)
        ).all()  # fmt: skip
        customer = conn.execute(
            select(Customer.name, Customer.city, Customer.state, Customer.territory)
        ).one()
        sub = conn.scalars(select(Product.sub_category).order_by(Product.sku)).all()
    # The Sales column is the line amount; the price is what gives it before discount:
    # 261.96 / 2 = 130.98; 731.94 / (3 x 0.8) = 304.975 -> 304.98.
    assert lines == [(26196, 0, 13098), (73194, 2000, 30498)]
    assert customer == ("Claire Gute", "Henderson", "Kentucky", "South")
    assert sub == ["Bookcases", "Chairs"]


def test_semicolon_separated_with_decimal_commas(engine, write_csv):
    text = (
        "Bestellnummer;Order Date;Customer;Product;Quantity;Unit Price\n"
        "R-1;31.01.2024;Müller GmbH;Schraube;4;1,25\n"
    )
    report = import_csv(engine, write_csv(text, "cp1252"), mapping={"order_id": "Bestellnummer"})
    assert report.rejects == []
    assert report.date_format == "D.M.YYYY"
    with engine.connect() as conn:
        row = conn.execute(
            select(Order.order_date, Order.total_cents, Customer.name).join(Customer)
        ).one()
    assert (str(row.order_date), row.total_cents, row.name) == ("2024-01-31", 500, "Müller GmbH")
