"""The import's warning when a file lies years away from the stored orders (issue 18)."""

from datetime import date

from dashapp.importer.span import gap_warnings, long_gaps, order_months


def months(first: tuple[int, int], last: tuple[int, int]) -> list[date]:
    """Every month from first to last (year, month), inclusive."""
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


DEMO = months((2023, 1), (2026, 12))
SAMPLE = months((2003, 1), (2005, 5))


def test_a_file_years_before_the_data_is_named_with_the_empty_months():
    # Jun 2005 .. Dec 2022 are empty: 7 months of 2005 + 17 years = 17 years 7 months.
    assert long_gaps(SAMPLE + DEMO) == [(date(2005, 6, 1), date(2022, 12, 1))]
    assert gap_warnings(DEMO, SAMPLE + DEMO) == [
        "The imported orders are 17 years 7 months away from the other orders: none from "
        "Jun 2005 to Dec 2022. Charts over all time show those months as zero; pick a date "
        "range to look at one part."
    ]


def test_no_warning_for_a_short_pause_a_first_import_or_a_gap_already_there():
    # 11 empty months (Feb - Dec 2023) is under a year.
    assert long_gaps([date(2023, 1, 1), date(2024, 1, 1)]) == []
    assert long_gaps([date(2023, 1, 1), date(2024, 2, 1)]) == [(date(2023, 2, 1), date(2024, 1, 1))]
    assert gap_warnings([], SAMPLE) == []  # the first import into an empty store
    assert gap_warnings(SAMPLE + DEMO, SAMPLE + DEMO + months((2027, 1), (2027, 2))) == []


def test_order_months_are_read_from_the_store(tiny_engine):
    # tests/tiny.py: orders in Jan 2023, Dec 2023, Jan 2024 (one cancelled), Feb 2024.
    assert order_months(tiny_engine) == [
        date(2023, 1, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]


def test_the_cli_import_warns_when_the_file_is_years_from_the_stored_orders(engine, tmp_path):
    from tests.cli_runner import run_cli
    from tests.tiny import seed_tiny

    seed_tiny(engine)  # orders from 12 Jan 2023 to 5 Feb 2024
    old = tmp_path / "old.csv"
    old.write_text(
        "Order ID,Order Date,Customer,SKU,Quantity,Amount\nX1,2005-05-31,Acme,P1,1,10.00\n"
    )
    result = run_cli(engine, "import", str(old), "--quiet")
    assert result.exit_code == 0, result.output
    # Jun 2005 .. Dec 2022 have no orders: 7 months + 17 years.
    assert (
        "Warning: The imported orders are 17 years 7 months away from the other orders: none "
        "from Jun 2005 to Dec 2022." in result.output
    )
    # The same file again adds nothing and the gap is already there: no second warning.
    again = run_cli(engine, "import", str(old), "--quiet")
    assert again.exit_code == 0, again.output
    assert "Warning: The imported orders" not in again.output
