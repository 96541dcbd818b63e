"""--strict imports nothing when any row is bad; --dry-run reports and writes nothing."""

from dashapp.importer import import_csv
from tests.cli_runner import run_cli
from tests.importer.conftest import EMPTY, stored_counts

TEXT = (
    "Order ID,Order Date,Customer,SKU,Quantity,Unit Price\n"
    "A1,2024-01-02,Acme,P1,1,1.00\n"
    "A2,2024-01-03,Bolt,P2,2,1.00\n"
    "A3,2024-01-04,Cogs,P3,0,1.00\n"  # line 4: bad quantity (-1 would be a return)
)


def test_default_imports_the_valid_orders(engine, write_csv):
    report = import_csv(engine, write_csv(TEXT))
    assert [r.line for r in report.rejects] == [4]
    assert report.committed
    assert stored_counts(engine) == {"customers": 2, "products": 2, "orders": 2, "lines": 2}


def test_strict_imports_nothing_when_a_row_is_rejected(engine, write_csv):
    report = import_csv(engine, write_csv(TEXT), strict=True)
    assert [r.line for r in report.rejects] == [4]
    assert not report.committed
    assert "Strict mode: rows were rejected, so nothing was imported." in report.summary_lines()
    assert stored_counts(engine) == EMPTY


def test_strict_imports_a_clean_file(engine, write_csv):
    clean = "\n".join(TEXT.splitlines()[:3]) + "\n"
    report = import_csv(engine, write_csv(clean), strict=True)
    assert report.committed
    assert stored_counts(engine)["orders"] == 2


def test_dry_run_reports_what_would_happen_and_writes_nothing(engine, write_csv):
    report = import_csv(engine, write_csv(TEXT), dry_run=True)
    assert (report.orders_added, report.lines_added, report.customers_added) == (2, 2, 2)
    assert not report.committed
    assert "Orders would be added: 2 (2 lines)" in report.summary_lines()
    assert "Dry run: nothing was written." in report.summary_lines()
    assert stored_counts(engine) == EMPTY


def test_cli_strict_exits_one_and_lists_rejects(engine, write_csv):
    result = run_cli(engine, "import", str(write_csv(TEXT)), "--strict", "--quiet")
    assert result.exit_code == 1
    assert "line 4: quantity '0' is not a whole number other than 0" in result.output
    assert stored_counts(engine) == EMPTY


def test_cli_dry_run(engine, write_csv):
    result = run_cli(engine, "import", str(write_csv(TEXT)), "--dry-run", "--quiet")
    assert result.exit_code == 0
    assert "Dry run: nothing was written." in result.output
    assert stored_counts(engine) == EMPTY
