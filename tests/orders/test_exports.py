"""CSV exports compared byte for byte with hand-written files (tests/tiny.py data)."""

import dashapp.csv_writer
from dashapp.catalog import CustomerDraft, create_customer
from dashapp.catalog.export import export_customers_csv, export_products_csv
from dashapp.filters import Filters
from dashapp.orders import LineDraft, OrderDraft, create_order
from dashapp.orders.history import export_history_csv
from tests.accounts import staff

HISTORY_USA = (
    "Order number,Date,Customer,Country,Status,Channel,Lines,Units,Total\r\n"
    "O3,2024-01-20 00:00:00,Cogs,USA,Cancelled,,1,1,100.00\r\n"
    "O2,2024-01-15 00:00:00,Bolt,USA,Shipped,,1,3,135.00\r\n"
    "O5,2023-12-20 00:00:00,Bolt,USA,Shipped,,1,2,100.00\r\n"
)


def test_history_export_is_exactly_the_filtered_orders(tiny_engine):
    with tiny_engine.connect() as conn:
        text = "".join(export_history_csv(conn, Filters(countries=("USA",))))
    assert text == HISTORY_USA


def test_history_export_streams_in_chunks(tiny_engine, monkeypatch):
    monkeypatch.setattr(dashapp.csv_writer, "CHUNK_ROWS", 2)
    with tiny_engine.connect() as conn:
        chunks = list(
            export_history_csv(
                conn,
                Filters(),
                [("total", "desc")],
                {"customer": {"type": "equals", "filter": "acme"}},
            )
        )
    assert chunks == [
        "Order number,Date,Customer,Country,Status,Channel,Lines,Units,Total\r\n"
        "O1,2024-01-10 00:00:00,Acme,France,Shipped,,2,3,250.00\r\n"
        "O6,2023-01-12 00:00:00,Acme,France,Shipped,,1,1,100.00\r\n",
        "O4,2024-02-05 00:00:00,Acme,France,Resolved,,1,1,99.99\r\n",
    ]


def test_products_and_customers_exports(tiny_engine):
    with tiny_engine.connect() as conn:
        products = "".join(export_products_csv(conn))
        customers = "".join(export_customers_csv(conn))
    assert products == (
        "sku,name,category,sub_category,list_price,cost,msrp,stock_on_hand,reorder_point,"
        "lead_time_days,allow_backorder,active\r\n"
        "BIKE,Bike B,Motorcycles,,50.00,,,100,0,7,no,yes\r\n"
        "CAR,Car A,Classic Cars,,100.00,,,100,0,7,no,yes\r\n"
    )
    assert customers == (
        "id,name,contact_first_name,contact_last_name,email,phone,address_line1,address_line2,"
        "city,state,postal_code,country,territory,segment,first_order_date,active\r\n"
        "1,Acme,,,,,,,,,,France,,,2023-01-12,yes\r\n"
        "2,Bolt,,,,,,,,,,USA,,,2023-12-20,yes\r\n"
        "3,Cogs,,,,,,,,,,USA,,,,yes\r\n"
    )


def test_commas_quotes_and_markup_are_quoted_not_interpreted(shop):
    cid = create_customer(shop, CustomerDraft(name='Dupont, "Le Grand" <b>', country="FR"), "c")
    saved = create_order(
        shop, OrderDraft(cid, [LineDraft("CAR", 1)], "2024-05-01 09:15"), staff("c")
    )
    with shop.connect() as conn:
        text = "".join(export_history_csv(conn, Filters()))
    assert text.splitlines()[1] == (
        f'{saved.number},2024-05-01 09:15:00,"Dupont, ""Le Grand"" <b>",France,Pending,,1,1,100.00'
    )
