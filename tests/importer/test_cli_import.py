"""`import a.csv b.csv` and `import DIR/`: one transaction per file, one report for all
(issue 21 #7); a question stops everything before the first file is written."""

import shutil

from sqlalchemy import func, select

from dashapp.store.models import Order
from tests.cli_runner import run_cli
from tests.importer.conftest import EMPTY, stored_counts
from tests.importer.fixture_files import fixture


def _revenue(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.sum(Order.total_cents)))


def test_several_files_one_report(engine):
    result = run_cli(
        engine, "import", str(fixture("repeated_headers.csv")),
        str(fixture("sub_cent.csv")), "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    assert "== repeated_headers.csv ==" in out and "== sub_cent.csv ==" in out
    # 3 orders + 3 orders; 1.00 + 2.00 + 3.00 + 10.01 + 20.12 + 5.10 = 41.23
    assert "== Total: 2 files ==" in out
    assert "  Orders added: 6 (6 lines)" in out
    assert _revenue(engine) == 4123


def test_a_folder_imports_every_csv_in_name_order(engine, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(fixture("sub_cent.csv"), folder / "b.csv")
    shutil.copy(fixture("repeated_headers.csv"), folder / "a.CSV")
    (folder / "notes.txt").write_text("not an export")
    result = run_cli(engine, "import", str(folder), "--quiet")
    assert result.exit_code == 0, result.output
    assert result.output.index("== a.CSV ==") < result.output.index("== b.csv ==")
    assert "notes.txt" not in result.output
    assert _revenue(engine) == 4123


def test_a_question_in_any_file_writes_nothing(engine):
    result = run_cli(
        engine, "import", str(fixture("sub_cent.csv")), str(fixture("dates_ambiguous.csv")),
        "--quiet",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--date-format dd/mm/yyyy" in result.output
    assert stored_counts(engine) == EMPTY


def test_the_options_answer_the_questions(engine):
    result = run_cli(
        engine, "import", str(fixture("dates_ambiguous.csv")), str(fixture("duplicates.csv")),
        str(fixture("thousands_only.csv")), str(fixture("no_customers.csv")),
        "--date-format", "dd/mm/yyyy", "--duplicates", "drop", "--decimal", ",",
        "--no-customers", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # D1 1.00 + D2 2.00; U1 20.00 + U2 10.00; A1 1706.00 + A2 2500.00; N1 10.00 + N2 7.50
    assert _revenue(engine) == 100 + 200 + 2000 + 1000 + 170600 + 250000 + 1000 + 750


def test_every_question_of_a_file_is_asked_at_once(engine, write_csv):
    path = write_csv(
        "Order ID,Order Date,SKU,Quantity,Amount\n"
        "Q1,05/07/2024,P1,1,1.706\n"
        "Q1,05/07/2024,P1,1,1.706\n"
    )
    result = run_cli(engine, "import", str(path), "--quiet")
    assert result.exit_code == 2
    for option in ("--no-customers", "--decimal", "--date-format", "--duplicates"):
        assert option in result.output
    assert stored_counts(engine) == EMPTY


HEADER = "Order ID,Order Date,Customer,SKU,Quantity,Unit Price,Status\n"
V1 = HEADER + "V1,2024-01-02,Acme,P1,1,10.00,Shipped\n"
V2 = HEADER + "V1,2024-01-02,Acme,P1,3,10.00,Shipped\n"  # 3 units now


def test_a_reexport_updates_and_the_report_says_what_changed(engine, tmp_path):
    (tmp_path / "v1.csv").write_text(V1)
    (tmp_path / "v2.csv").write_text(V2)
    assert run_cli(engine, "import", str(tmp_path / "v1.csv"), "--quiet").exit_code == 0
    skipped = run_cli(
        engine, "import", str(tmp_path / "v2.csv"), "--on-existing", "skip", "--quiet"
    )
    assert "Orders already present, skipped: 1" in skipped.output
    assert _revenue(engine) == 1000  # still 1 x 10.00
    result = run_cli(engine, "import", str(tmp_path / "v2.csv"), "--quiet")
    assert result.exit_code == 0, result.output
    assert "Orders updated: 1; unchanged: 0" in result.output
    assert "  V1: " in result.output  # the change, as the loader words it
    assert _revenue(engine) == 3000  # 3 x 10.00
