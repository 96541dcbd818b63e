"""A user mapping (field -> column) completes or corrects the detected one."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from dashapp.cli import cli
from dashapp.importer import ImportFileError, import_csv
from dashapp.store.models import Customer, Order, OrderLine
from tests.importer.conftest import EMPTY, stored_counts

ODD = "Ref,Day,Buyer Org,Thing,N,Each\nX1,2024-05-06,Acme,BOLT,2,1.50\n"


def test_mapping_completes_unknown_headers(engine, write_csv):
    mapping = {"order_id": "Ref", "date": "Day", "customer": "Buyer Org", "sku": "Thing",
               "quantity": "N", "price": "Each"}  # fmt: skip
    report = import_csv(engine, write_csv(ODD), mapping=mapping)
    assert report.rejects == []
    assert report.mapping["order_date"] == "Day"  # "date" is an alias of order_date
    with engine.connect() as conn:
        assert conn.execute(select(Order.order_number, Order.total_cents)).one() == ("X1", 300)


def test_mapping_overrides_a_detected_column(engine, write_csv):
    # "Customer" would be detected; the user says the company column is the customer.
    text = "Order ID,Date,Customer,Company,SKU,Amount\nO1,2024-01-02,Jane Roe,Roe Ltd,P1,10\n"
    import_csv(engine, write_csv(text), mapping={"customer": "company"})  # case-insensitive
    with engine.connect() as conn:
        assert conn.scalar(select(Customer.name)) == "Roe Ltd"
        assert conn.scalar(select(OrderLine.amount_cents)) == 1000


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"colour": "Ref"}, "unknown field 'colour'"),
        ({"order_id": "Nope"}, "the file has no column 'Nope'"),
    ],
)
def test_bad_mapping_is_a_clear_error(engine, write_csv, mapping, message):
    with pytest.raises(ImportFileError, match=message):
        import_csv(engine, write_csv(ODD), mapping=mapping)
    assert stored_counts(engine) == EMPTY


def test_cli_map_option(engine, write_csv):
    url = engine.url.render_as_string(hide_password=False)
    args = ["--map", "order_id=Ref", "--map", "order_date=Day", "--map", "customer=Buyer Org",
            "--map", "sku=Thing", "--map", "quantity=N", "--map", "unit_price=Each"]  # fmt: skip
    result = CliRunner().invoke(
        cli, ["--database-url", url, "import", str(write_csv(ODD)), "--quiet", *args]
    )
    assert result.exit_code == 0, result.output
    assert "customer=Buyer Org" in result.output
    assert stored_counts(engine)["orders"] == 1
