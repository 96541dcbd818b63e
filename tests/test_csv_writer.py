"""The one CSV writer (dashapp.csv_writer): which cells a spreadsheet would run as a formula."""

import pytest
from sqlalchemy import insert

from dashapp.catalog.export import export_products_csv
from dashapp.csv_writer import csv_document, csv_text
from dashapp.store.models import Product


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        # A spreadsheet skips leading spaces before it looks for "=".
        ("  =1+2", "'  =1+2"),
        (" @cmd", "' @cmd"),
        # Numbers stay numbers: as numbers and as number-only text (money() of a refund).
        (-12.5, -12.5),
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        (None, None),
        ("Smith & Sons", "Smith & Sons"),
        ("a=b", "a=b"),
    ],
)
def test_csv_text(cell, written):
    assert csv_text(cell) == written


def test_csv_document_is_rfc4180_with_every_cell_neutralised():
    text = csv_document(["name", "amount"], [["=1+2", "-12.50"], ['Say "hi", @x', float("nan")]])
    assert text == 'name,amount\r\n\'=1+2,-12.50\r\n"Say ""hi"", @x",\r\n'


def test_products_export_neutralises_a_formula_behind_spaces(engine):
    # Before issue 15 only a formula in the very first character was caught.
    with engine.begin() as conn:
        conn.execute(
            insert(Product),
            [dict(id=1, sku="S1", name=" =HYPERLINK(1)", category="\t@x", list_price_cents=0)],
        )
    with engine.connect() as conn:
        text = "".join(export_products_csv(conn))
    assert text.splitlines()[1] == "S1,' =HYPERLINK(1),'\t@x,,0.00,,,0,0,7,no,yes"
