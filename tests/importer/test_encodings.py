"""Exports in cp850, cp1252, latin-1, UTF-8 with BOM, and with CRLF line ends import correctly."""

import pytest
from sqlalchemy import select

from dashapp.importer import import_csv
from dashapp.importer.decoding import decode_bytes
from dashapp.store.models import Customer, Order, Product

NAMES = "Order ID,Order Date,Customer,Product,Quantity,Unit Price,Country\n"
# The same columns with an address instead of a country, in Windows line ends.
WITH_ADDRESS = NAMES.replace("Country\n", "Address\r\n")
ROWS = (
    "E1,2024-02-01,José Müller,Café crème,1,2.50,España\n"
    "E2,2024-02-02,Françoise Ångström,Smørrebrød,2,3.00,Österreich\n"
)


def _customers(engine) -> list[str]:
    with engine.connect() as conn:
        return conn.scalars(select(Customer.name).order_by(Customer.name)).all()


@pytest.mark.parametrize("encoding", ["cp850", "cp1252", "latin-1", "utf-8-sig", "utf-8"])
def test_accented_names_import_in_each_encoding(engine, write_csv, encoding):
    report = import_csv(engine, write_csv(NAMES + ROWS, encoding))
    assert report.rejects == []
    assert _customers(engine) == ["Françoise Ångström", "José Müller"]
    with engine.connect() as conn:
        assert conn.scalars(select(Product.name).order_by(Product.name)).all() == [
            "Café crème",
            "Smørrebrød",
        ]
        assert conn.scalars(select(Order.country).order_by(Order.country)).all() == [
            "España",
            "Österreich",
        ]


def test_cp1252_only_characters_are_read_as_cp1252(engine, write_csv):
    # "Š", curly quotes, the dash and "€" are bytes 0x80-0x9F: letters in cp850, controls in
    # latin-1, and only cp1252 reads them as these characters.
    text = NAMES + "E1,2024-02-01,Šarunas “Big” Store,Widget – 5 €,1,1.00,Lietuva\n"
    report = import_csv(engine, write_csv(text, "cp1252"))
    assert report.encoding.startswith("cp1252")
    assert _customers(engine) == ["Šarunas “Big” Store"]


def test_crlf_and_quoted_multiline_fields(engine, write_csv):
    text = (
        WITH_ADDRESS
        + 'C1,2024-01-02,"Smith, Jones & Co","Widget ""XL""",1,9.99,"1 High St\r\nFloor 2"\r\n'
        "C2,2024-01-03,Plain Ltd,Widget,1,1.00,Main St\r\n"
    )
    report = import_csv(engine, write_csv(text))
    assert report.rejects == []
    with engine.connect() as conn:
        rows = conn.execute(
            select(Customer.name, Customer.address_line1).order_by(Customer.name)
        ).all()
        assert conn.scalar(select(Product.name).where(Product.sku == 'Widget "XL"')) == (
            'Widget "XL"'
        )
    assert rows == [("Plain Ltd", "Main St"), ("Smith, Jones & Co", "1 High St\r\nFloor 2")]


def test_rejects_after_a_multiline_field_report_the_right_line(engine, write_csv):
    text = (
        WITH_ADDRESS + 'M1,2024-01-02,A,P,1,1.00,"line one\r\nline two\r\nline three"\r\n'
        "M2,2024-01-02,B,P,0,1.00,x\r\n"
    )
    report = import_csv(engine, write_csv(text))
    # Header line 1; M1 spans lines 2-4; M2 is on line 5.
    assert [(r.line, r.reason) for r in report.rejects] == [
        (5, "quantity '0' is not a whole number other than 0")
    ]


@pytest.mark.parametrize(
    ("raw", "encoding", "text"),
    [
        ("Rambla de Catalu\xa4a".encode("latin-1"), "cp850", "Rambla de Cataluña"),
        ("Mart\xa1n".encode("latin-1"), "cp850", "Martín"),
        ("José".encode("cp1252"), "cp1252", "José"),
        ("Zoë".encode("utf-16"), "utf-16", "Zoë"),
        ("\ufeffOK".encode(), "utf-8-sig", "OK"),
    ],
)
def test_decode_bytes_picks_the_encoding(raw, encoding, text):
    decoded = decode_bytes(raw)
    assert (decoded.encoding, decoded.text) == (encoding, text)
