"""Number formats are decided per column from all its values, not per value (issue 21 #2)."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from dashapp.importer import NeedsAnswer, ReadOptions, import_csv
from dashapp.importer.errors import RowError
from dashapp.importer.numbers import NumberFormat, decide_number_formats, evidence
from dashapp.store.models import Order, OrderLine
from tests.importer.conftest import EMPTY, stored_counts
from tests.importer.fixture_files import fixture


def _totals(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(Order.order_number, Order.total_cents)).all()
    return dict(rows)


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("1.234,50", ","),
        ("1,234.50", "."),
        ("12,5", ","),
        ("0.125", "."),  # a thousands group never starts with 0
        ("1234.567", "."),  # nor has four digits before the separator
        ("1,234,567", "."),  # the same separator twice separates thousands
        ("1.706", "?"),
        ("1,234", "?"),
        ("1\u202f234", None),  # a narrow no-break space only ever separates thousands
        ("42", None),
    ],
)
def test_what_one_value_proves(text, mark):
    assert evidence(text) == mark


def test_a_column_that_settles_itself_and_one_the_file_settles():
    formats = decide_number_formats({"Amount": ["1.706", "12,50"], "Qty": ["1.000", "2"]})
    assert formats == {"Amount": NumberFormat(",", "."), "Qty": NumberFormat(",", ".")}


def test_a_column_nothing_settles_is_a_question():
    with pytest.raises(NeedsAnswer) as asked:
        decide_number_formats({"Amount": ["1.706", "2.500"]})
    assert asked.value.option == "--decimal"
    assert asked.value.answers == (",", ".")
    assert "--decimal , --thousands ." in str(asked.value)
    # Told, it reads as told.
    assert decide_number_formats({"A": ["1.706"]}, ReadOptions(decimal=",")) == {
        "A": NumberFormat(",", ".")
    }


@pytest.mark.parametrize(
    ("fmt", "text", "value"),
    [
        (NumberFormat(",", "."), "1.706", "1706"),
        (NumberFormat(",", "."), "1.234,50", "1234.50"),
        (NumberFormat(",", "."), "2\u202f500,00", "2500.00"),
        (NumberFormat(",", "."), "10\u00a0000,00", "10000.00"),
        (NumberFormat(",", "."), "-€3,10", "-3.10"),
        (NumberFormat(".", ","), "1,706", "1706"),
        (NumberFormat(".", ","), "$ 12", "12"),
        (NumberFormat(".", ","), "1 234.5", "1234.5"),
    ],
)
def test_parsing_with_a_decided_format(fmt, text, value):
    assert fmt.parser("amount")(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.2.3", "12.5", "1,2,3"])
def test_values_against_the_columns_format_are_refused(text):
    # Under decimal "," and thousands ".": "12.5" is not three digits after a thousands dot,
    # and "1,2,3" has two decimal marks.
    with pytest.raises(RowError, match="is not a number"):
        NumberFormat(",", ".").parser("amount")(text)


def test_european_file_reads_thousands_dots(engine):
    report = import_csv(engine, fixture("european.csv"))
    assert report.rejects == []
    assert report.date_format == "D.M.YYYY"
    assert "Amount: decimal ',', thousands '.'" in report.number_format
    # See fixtures/README.md: 2 x 853,00 = 1706.00 (not 1.71) + 1000 x 0,25 = 250.00.
    assert _totals(engine) == {"EU-1": 195600, "EU-2": 370350, "EU-3": 1000000}
    with engine.connect() as conn:
        quantities = conn.scalars(select(OrderLine.quantity).order_by(OrderLine.id)).all()
    assert quantities == [2, 1000, 3, 4]


def test_a_column_the_file_cannot_settle_is_asked_and_nothing_changes(engine):
    with pytest.raises(NeedsAnswer, match="--decimal , --thousands ."):
        import_csv(engine, fixture("thousands_only.csv"))
    assert stored_counts(engine) == EMPTY


@pytest.mark.parametrize(
    ("decimal", "totals"),
    [(",", {"A1": 170600, "A2": 250000}), (".", {"A1": 171, "A2": 250})],
)
def test_the_answer_decides(engine, decimal, totals):
    import_csv(engine, fixture("thousands_only.csv"), options=ReadOptions(decimal=decimal))
    assert _totals(engine) == totals


def test_an_answer_settles_only_what_the_column_leaves_open():
    # "12.50" proves its decimal point; the answer "," is for the column that cannot tell.
    formats = decide_number_formats(
        {"Price": ["12.50"], "Amount": ["1.706"]}, ReadOptions(decimal=",")
    )
    assert formats == {"Price": NumberFormat(".", ","), "Amount": NumberFormat(",", ".")}
