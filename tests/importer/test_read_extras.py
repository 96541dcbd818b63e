"""What a retail export is about, read per line and per order (issue 21 #12-#15), the file
without customers (#8), sub-cent amounts (#10) and cp1252 typography (#4)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from dashapp.importer import ReadOptions, import_csv, read_file
from dashapp.store.models import Customer, Order, Product
from tests.importer.conftest import asks, stored_counts
from tests.importer.fixture_files import fixture


def test_profit_ship_and_geography_per_line_and_order():
    read = read_file(fixture("retail_extras.csv"))
    orders = {o.order_number: o for o in read.result.orders}
    s1, s2, s3 = orders["S1"], orders["S2"], orders["S3"]
    # cost = amount - profit: 100.00 - 25.00; 50.50 - (-10.25); 50.00 - 12.50; 200.00 - 0.
    assert [line.cost_cents for line in s1.lines] == [7500, 6075]
    assert [line.cost_cents for line in s2.lines + s3.lines] == [3750, 20000]
    assert (s1.lines[0].ship_date, s1.lines[0].ship_mode) == (date(2024, 1, 18), "Second Class")
    assert (s3.lines[0].ship_date, s3.lines[0].ship_mode) == (date(2024, 2, 5), "First Class")
    # Each order keeps its own ship-to and segment, the same customer on both.
    assert (s1.ship_city, s1.ship_state, s1.ship_postal_code) == ("Dallas", "TX", "75001")
    assert (s2.ship_city, s2.ship_state, s2.ship_postal_code) == ("Austin", "TX", "73301-0001")
    assert (s1.segment, s2.segment, s3.segment) == ("Consumer", "Home Office", "Corporate")
    assert s1.customer.details["address_line1"] == "917 1st St"
    # Not a US address: kept whole, no city made up.
    assert s3.customer.details["address_line1"] == "Rambla de Cataluña, 23"
    assert (s3.ship_city, s3.ship_state, s3.ship_postal_code) == (None, None, None)
    assert read.result.addresses_parsed == 2
    assert read.ignored == ["Row ID"]


def test_the_report_lists_the_ignored_columns(engine):
    report = import_csv(engine, fixture("retail_extras.csv"))
    assert report.ignored_columns == ["Row ID"]
    assert "Columns ignored: Row ID" in report.summary_lines()
    assert report.mapping["profit"] == "Profit"
    assert report.mapping["ship_date"] == "Ship Date"


def test_a_file_without_customers_is_asked_then_imported(engine):
    asks(engine, "no_customers.csv", "--no-customers", "--map customer=COLUMN")
    report = import_csv(engine, fixture("no_customers.csv"), options=ReadOptions(no_customers=True))
    assert report.rejects == []
    with engine.connect() as conn:
        revenue = conn.scalar(select(func.sum(Order.total_cents)))
        customers = conn.scalars(select(Customer.name)).all()
        without = conn.scalar(
            select(func.count()).select_from(Order).where(Order.customer_id.is_(None))
        )
    assert revenue == 1750  # 2 x 5.00 + 7.50
    assert customers == []  # the orders have no customer (tests/importer/test_no_customers.py)
    assert without == stored_counts(engine)["orders"]


def test_amounts_over_two_decimals_are_rounded_per_line_and_reported(engine):
    report = import_csv(engine, fixture("sub_cent.csv"))
    # 10.005 -> 10.01 (+0.005), 20.1249 -> 20.12 (-0.0049): 2 lines, +0.0001 in all.
    assert (report.rounded_lines, report.rounding_cents) == (2, Decimal("0.01"))
    assert (
        "Amounts with more than two decimals rounded half-up to the cent, per line: 2 lines, "
        "total difference +0.0001"
    ) in report.summary_lines()
    with engine.connect() as conn:
        assert conn.scalar(select(func.sum(Order.total_cents))) == 3523  # 10.01+20.12+5.10


def test_cp1252_with_typography_survives(engine):
    report = import_csv(engine, fixture("cp1252_typography.csv"))
    assert report.encoding.startswith("cp1252")
    with engine.connect() as conn:
        customers = conn.scalars(select(Customer.name).order_by(Customer.name)).all()
        products = conn.scalars(select(Product.name).order_by(Product.name)).all()
        revenue = conn.scalar(select(func.sum(Order.total_cents)))
    assert customers == ["Bäckerei Müller, Renée", "O’Brien’s Café", "“Big” Store"]
    assert products == ["Brötchen – groß", "Café crème", "Crêpe"]
    assert revenue == 124950  # 1 234,50 (no-break space) + 3,00 + 12,00


def test_the_encoding_option_wins():
    read = read_file(fixture("cp1252_typography.csv"), options=ReadOptions(encoding="cp850"))
    assert read.encoding == "cp850"
    orders = {o.order_number: o.customer.name for o in read.result.orders}
    # Read as told, however wrong: the curly quotes become letters, and the no-break space
    # of W1's amount (0xA0) becomes "á", which is no number.
    assert orders == {"W2": "ôBigö Store", "W3": "OÆBrienÆs CafÚ"}
    assert [r.line for r in read.result.rejects] == [2]
