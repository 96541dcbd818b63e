"""Exact duplicate rows are reported and kept or dropped as the user says; repeated header
lines are skipped and counted apart from rejects (issue 21 #5, #6)."""

import pytest
from sqlalchemy import select

from dashapp.importer import ReadOptions, import_csv
from dashapp.store.models import Order, OrderLine
from tests.importer.conftest import asks
from tests.importer.fixture_files import fixture


def _orders(engine) -> dict[str, tuple[int, int]]:
    """order number -> (total cents, number of lines)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Order.order_number, Order.total_cents, OrderLine.line_number)
            .join(OrderLine, OrderLine.order_id == Order.id)
        ).all()  # fmt: skip
    out: dict[str, tuple[int, int]] = {}
    for number, total, _ in rows:
        out[number] = (total, out.get(number, (0, 0))[1] + 1)
    return out


def test_duplicates_without_an_answer_are_a_question(engine):
    asks(engine, "duplicates.csv", "--duplicates", "line 3 repeats line 2", ("keep", "drop"))


@pytest.mark.parametrize(
    ("answer", "u1"),
    [("keep", (3000, 3)), ("drop", (2000, 2))],  # 10 + 10 + 2 x 5 = 30.00; or 20.00
)
def test_keep_or_drop(engine, answer, u1):
    report = import_csv(engine, fixture("duplicates.csv"), options=ReadOptions(duplicates=answer))
    assert report.duplicates == [(3, 2)]
    assert report.rejects == []
    assert _orders(engine) == {"U1": u1, "U2": (1000, 1)}
    line = f"Exact duplicate rows {'dropped' if answer == 'drop' else 'kept'}: 1 (line 3 = 2)"
    assert line in report.summary_lines()


def test_a_kept_duplicate_of_a_numbered_line_gets_the_next_number(engine, write_csv):
    text = (
        "Order ID,Line,Order Date,Customer,SKU,Quantity,Unit Price\n"
        "K1,1,2024-01-02,Acme,P1,1,1.00\n"
        "K1,2,2024-01-02,Acme,P2,1,2.00\n"
        "K1,1,2024-01-02,Acme,P1,1,1.00\n"  # line 4 repeats line 2
    )
    import_csv(engine, write_csv(text), options=ReadOptions(duplicates="keep"))
    with engine.connect() as conn:
        lines = conn.execute(
            select(OrderLine.line_number, OrderLine.amount_cents).order_by(OrderLine.line_number)
        ).all()
    assert lines == [(1, 100), (2, 200), (3, 100)]


def test_repeated_headers_are_skipped_not_rejected(engine):
    report = import_csv(engine, fixture("repeated_headers.csv"), strict=True)
    assert report.repeated_headers == [4, 6]
    assert report.rejects == []
    assert report.committed
    assert (report.rows_read, report.orders_added) == (3, 3)
    assert "Repeated header lines skipped: 2 (line 4, 6)" in report.summary_lines()
    assert _orders(engine) == {"R1": (100, 1), "R2": (200, 1), "R3": (300, 1)}
