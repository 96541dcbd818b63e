"""CLI inputs that used to end in a raw traceback: each now ends in one clear line and a
non-zero exit (the database unreachable or empty, a bad URL, an output folder that is not
there, a database URL naming a folder)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dashapp.cli import cli
from dashapp.store.db import get_engine
from tests.cli_runner import run_cli


def run_with_url(url: str, *args: str):
    try:
        return CliRunner().invoke(cli, ["--database-url", url, *args])
    finally:
        get_engine.cache_clear()


def assert_one_line_failure(result, *words: str) -> None:
    assert result.exit_code != 0
    # Click's own exit, not an exception escaping the command (CliRunner catches those).
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize(
    "args",
    [["export", "--out"], ["export", "--what", "products", "--out"], ["reorder", "--csv"]],
    ids=["orders", "products", "reorder"],
)
def test_writing_into_a_missing_folder(tiny_engine, tmp_path, args):
    target = tmp_path / "no-such-folder" / "out.csv"
    result = run_cli(tiny_engine, *args, str(target))
    assert_one_line_failure(result, str(target), "No such file or directory")


@pytest.mark.parametrize("command", [["kpis"], ["init-db"], ["backup"], ["reorder"]])
def test_unreachable_database(command):
    result = run_with_url("postgresql+psycopg://127.0.0.1:1/sales", *command)
    assert_one_line_failure(result, "The database cannot be reached", "Connection refused")


@pytest.mark.parametrize("url", ["nonsense://x", "not a url"])
def test_malformed_database_url(url):
    result = run_with_url(url, "kpis")
    assert_one_line_failure(result, "--database-url is not a database URL")


def test_database_without_the_schema(new_database_url):
    result = run_with_url(new_database_url("empty"), "kpis")
    assert_one_line_failure(result, "no Sales Pulse tables yet", "init-db")


def test_backup_of_a_sqlite_url_naming_a_folder(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = run_with_url(f"sqlite:///{folder}", "backup", "--out", str(tmp_path / "b.sqlite"))
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "unable to open database file" in result.output
    assert "Traceback" not in result.output


def test_import_question_is_one_line_and_names_the_option(engine, tmp_path):
    # Issue 21: an ambiguous file is a question naming the option that answers it.
    path = tmp_path / "orders.csv"
    path.write_text(
        "Order ID,Order Date,Customer,SKU,Quantity,Unit Price\nD1,05/07/2024,Acme,P1,1,1.00\n"
    )
    result = run_cli(engine, "import", str(path), "--quiet")
    assert_one_line_failure(result, "day-first or month-first", "--date-format dd/mm/yyyy")


def test_import_of_a_folder_without_csv_files(engine, tmp_path):
    result = run_cli(engine, "import", str(tmp_path), "--quiet")
    assert_one_line_failure(result, "has no .csv file")


def test_import_of_a_missing_file(engine, tmp_path):
    result = run_cli(engine, "import", str(tmp_path / "nope.csv"), "--quiet")
    assert_one_line_failure(result, "No such file")
