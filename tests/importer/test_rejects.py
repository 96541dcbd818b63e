"""Bad rows are reported with their CSV line number and reason; the valid orders import, and a
rejected line takes its whole order with it."""

from sqlalchemy import select

from dashapp.importer import import_csv
from dashapp.store.models import Order, OrderLine
from tests.importer.conftest import stored_counts

HEADER = "Order ID,Line,Order Date,Customer,SKU,Quantity,Unit Price,Status\n"


def _reasons(report) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in report.rejects]


def _import(engine, write_csv, *rows: str):
    return import_csv(engine, write_csv(HEADER + "".join(rows)))


def test_each_bad_value_has_its_reason(engine, write_csv):
    report = _import(
        engine,
        write_csv,
        "G1,1,2024-01-02,Acme,P1,2,1.00,Shipped\n",  # line 2: good
        "B1,1,2024-01-02,Acme,P1,0,1.00,Shipped\n",  # line 3 (-3 would be a return)
        "B2,1,2024-13-45,Acme,P1,1,1.00,Shipped\n",  # line 4
        "B3,1,2024-01-02,Acme,P1,1,1.00,Lost in space\n",  # line 5
        "B4,1,2024-01-02,Acme,P1,1.5,-x,Shipped\n",  # line 6
        "B5,1,2024-01-02,,,1,abc,Shipped\n",  # line 7
        ",1,2024-01-02,Acme,P1,1,1.00,Shipped\n",  # line 8
    )
    assert _reasons(report) == [
        (3, "quantity '0' is not a whole number other than 0"),
        (4, "order date '2024-13-45' is not a date (this file's dates are YYYY-MM-DD)"),
        (5, "unknown status 'Lost in space' (expected one of Pending, In Process, Shipped, "
            "Resolved, On Hold, Disputed, Cancelled)"),
        (6, "quantity '1.5' is not a whole number other than 0; unit price '-x' is not a "
            "number"),
        (7, "missing customer; missing product; unit price 'abc' is not a number"),
        (8, "missing order id"),
    ]  # fmt: skip
    assert (report.orders_added, report.lines_added) == (1, 1)
    with engine.connect() as conn:
        assert conn.scalars(select(Order.order_number)).all() == ["G1"]


def test_statuses_match_ignoring_case_and_spacing(engine, write_csv):
    report = _import(
        engine,
        write_csv,
        "S1,1,2024-01-02,Acme,P1,1,1.00,in process\n",
        "S2,1,2024-01-02,Acme,P1,1,1.00,ON_HOLD\n",
        "S3,1,2024-01-02,Acme,P1,1,1.00,\n",  # missing status -> Shipped
    )
    assert report.rejects == []
    with engine.connect() as conn:
        statuses = conn.scalars(select(Order.status).order_by(Order.order_number)).all()
    assert statuses == ["In Process", "On Hold", "Shipped"]


def test_one_bad_line_rejects_the_whole_order(engine, write_csv):
    report = _import(
        engine,
        write_csv,
        "W1,1,2024-01-02,Acme,P1,1,1.00,Shipped\n",  # line 2
        "W1,2,2024-01-02,Acme,P2,0,1.00,Shipped\n",  # line 3: quantity 0
        "W1,3,2024-01-02,Acme,P3,1,1.00,Shipped\n",  # line 4
    )
    assert _reasons(report) == [
        (2, "order W1 is not imported because line 3 was rejected"),
        (3, "quantity '0' is not a whole number other than 0 (so order W1 is not imported)"),
        (4, "order W1 is not imported because line 3 was rejected"),
    ]
    assert stored_counts(engine)["lines"] == 0


def test_lines_that_disagree_with_their_order(engine, write_csv):
    report = _import(
        engine,
        write_csv,
        "D1,1,2024-01-02,Acme,P1,1,1.00,Shipped\n",  # line 2
        "D1,2,2024-01-03,Bolt,P2,1,1.00,Cancelled\n",  # line 3: date, customer, status differ
        "D2,1,2024-01-02,Acme,P1,1,1.00,Shipped\n",  # line 4
        "D2,1,2024-01-02,Acme,P2,1,1.00,Shipped\n",  # line 5: line 1 again
    )
    assert _reasons(report) == [
        (2, "order D1 is not imported because line 3 was rejected"),
        (3, "order date 2024-01-03 differs from line 2 of the same order (2024-01-02); "
            "customer 'Bolt' differs from line 2 of the same order ('Acme'); "
            "status 'Cancelled' differs from line 2 of the same order ('Shipped') "
            "(so order D1 is not imported)"),
        (4, "order D2 is not imported because line 5 was rejected"),
        (5, "line number 1 of order D2 already on line 4 (so order D2 is not imported)"),
    ]  # fmt: skip
    assert stored_counts(engine)["orders"] == 0


def test_over_long_text_is_rejected(engine, write_csv):
    report = _import(engine, write_csv, f"L1,1,2024-01-02,{'A' * 201},P1,1,1.00,Shipped\n")
    assert _reasons(report) == [(2, "customer is 201 characters long; at most 200 are allowed")]
    assert stored_counts(engine)["customers"] == 0


def test_row_with_too_many_values(engine, write_csv):
    report = _import(engine, write_csv, "T1,1,2024-01-02,Acme,Inc,P1,1,1.00,Shipped\n")
    assert _reasons(report) == [(2, "the row has 9 values but the header has 8 columns")]


def test_line_numbers_order_the_lines(engine, write_csv):
    _import(
        engine,
        write_csv,
        "N1,2,2024-01-02,Acme,P2,1,2.00,Shipped\n",
        "N1,1,2024-01-02,Acme,P1,1,1.00,Shipped\n",
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(OrderLine.line_number, OrderLine.amount_cents).order_by(OrderLine.line_number)
        ).all()
        total = conn.scalar(select(Order.total_cents))
    assert rows == [(1, 100), (2, 200)]
    assert total == 300  # 1.00 + 2.00
