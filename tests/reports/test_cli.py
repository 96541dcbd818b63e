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


def test_report_writes_a_sections_own_sheets(tiny_engine, tmp_path):
    # The pivot, all time: Classic Cars O6 100.00 (2023) + O1 200.00 + O4 99.99 (2024) =
    # 399.99; the operator's reorder list holds both tiny products.
    out = tmp_path / "pivot.xlsx"
    result = run_cli(tiny_engine, "report", "--section", "pivot", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = open_book(out.read_bytes())
    assert book.sheetnames == ["Report", "Pivot"]
    assert cents(table(book["Pivot"], "Category")[0]["Total"]) == Decimal("399.99")
    out = tmp_path / "forecast.xlsx"
    result = run_cli(tiny_engine, "report", "--section", "forecast", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert [r["SKU"] for r in table(open_book(out.read_bytes())["Reorder"], "SKU")] == [
        "BIKE",
        "CAR",
    ]
    result = run_cli(tiny_engine, "report", "--section", "nope", "--out", str(out))
    assert result.exit_code == 2 and "--section" in result.output
