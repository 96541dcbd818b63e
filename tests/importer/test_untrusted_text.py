"""HTML and SQL in a CSV are only data: stored verbatim, never interpreted."""

from sqlalchemy import select

from dashapp.importer import import_csv
from dashapp.store.models import Customer, Order, Product
from tests.importer.conftest import stored_counts

SCRIPT = "<script>alert('x')</script>"
INJECTION = "Robert'); DROP TABLE orders;--"


def test_html_and_sql_are_stored_verbatim(engine, write_csv):
    text = (
        "Order ID,Order Date,Customer,SKU,Product Name,Quantity,Unit Price\n"
        f'H1,2024-01-02,"{INJECTION}",P1,{SCRIPT},1,1.00\n'
        f'H2,2024-01-02,Acme,"\'; DROP TABLE orders;--",Plain,1,1.00\n'
    )
    report = import_csv(engine, write_csv(text))
    assert report.rejects == []
    assert stored_counts(engine) == {"customers": 2, "products": 2, "orders": 2, "lines": 2}
    with engine.connect() as conn:
        assert conn.scalar(select(Customer.name).join(Order).where(Order.order_number == "H1")) == (
            INJECTION
        )
        assert conn.scalar(select(Product.name).where(Product.sku == "P1")) == SCRIPT
        assert "'; DROP TABLE orders;--" in conn.scalars(select(Product.sku)).all()
