"""python -m dashapp report: the same workbook as the Download menu (tests/tiny.py, both
backends). Motorcycles in January 2024: O1's BIKE 50.00 + O2 135.00 = 185.00, 2 orders."""

from __future__ import annotations

from decimal import Decimal

from tests.cli_runner import run_cli
from tests.reports.workbooks import cents, labelled, open_book, table


def test_report_writes_the_views_workbook(tiny_engine, tmp_path):
    out = tmp_path / "january.xlsx"
    result = run_cli(
        tiny_engine,
        "report", "--format", "xlsx", "--out", str(out), "--category", "Motorcycles",
        "--start", "2024-01-01", "--end", "2024-01-31", "--prepared-for", "board",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote {out}: Dates: 1 Jan 2024 – 31 Jan 2024 · Category: Motorcycles\n"
    )
    book = open_book(out.read_bytes())
    assert labelled(book["Report"])["Prepared for"] == "board"
    kpis = {r["KPI"]: r for r in table(book["Report"], "KPI")}
    assert cents(kpis["Revenue"]["Value"]) == Decimal("185.00")
    assert kpis["Orders"]["Value"] == 2


def test_bad_options_write_nothing(tiny_engine, tmp_path):
    out = tmp_path / "x.xlsx"
    result = run_cli(tiny_engine, "report", "--format", "docx", "--out", str(out))
    assert result.exit_code == 2 and "'docx' is not one of" in result.output
    result = run_cli(tiny_engine, "report", "--out", str(out), "--start", "2024-02-30")
    assert result.exit_code != 0 and "start" in result.output
    assert not out.exists()
