"""Periods of a range: granularity that fits, empty periods as zeros, partial periods named."""

from datetime import date

import pandas as pd

from dashapp.analytics.periods import (
    count_periods,
    coverage,
    fill_periods,
    fitting_granularity,
    observed_range,
)


def test_last_90_days_by_month_falls_back_to_weeks():
    # 8 Sep - 6 Dec 2026: Sep, Oct, Nov, Dec = 4 months (< 5 points), so weeks.
    start, end = date(2026, 9, 8), date(2026, 12, 6)
    assert count_periods(start, end, "month") == 4
    # Monday of 8 Sep is 7 Sep; of 6 Dec (Sunday) is 30 Nov: (30 Nov - 7 Sep) / 7 + 1 = 13.
    assert count_periods(start, end, "week") == 13
    assert fitting_granularity("month", start, end) == "week"
    # A year by quarter is 4 points: months instead; by month it is kept.
    assert fitting_granularity("quarter", date(2025, 1, 1), date(2025, 12, 31)) == "month"
    assert fitting_granularity("month", date(2025, 1, 1), date(2025, 12, 31)) == "month"
    # A week of days stays by day (there is nothing finer); an open range is left alone.
    assert fitting_granularity("week", date(2026, 11, 30), date(2026, 12, 6)) == "day"
    assert fitting_granularity("month", None, None) == "month"


def test_empty_periods_become_zero_rows_not_ramps():
    # Orders in 2003 and 2005 only: 2004 is a zero between them, not a line from 500 to 700.
    yearly = pd.DataFrame(
        {"period": [date(2003, 1, 1), date(2005, 1, 1)], "revenue_cents": [500, 700]}
    )
    filled = fill_periods(yearly, date(2003, 1, 6), date(2005, 5, 31), "year")
    assert list(filled["period"]) == [date(2003, 1, 1), date(2004, 1, 1), date(2005, 1, 1)]
    assert list(filled["revenue_cents"]) == [500, 0, 700]
    df = pd.DataFrame({"period": [date(2003, 1, 1)], "revenue_cents": [500]})
    monthly = fill_periods(df, date(2003, 1, 6), date(2003, 4, 2), "month")
    assert list(monthly["revenue_cents"]) == [500, 0, 0, 0]  # Jan 500, Feb-Apr empty
    assert str(monthly["revenue_cents"].dtype) == "int64"


def test_fill_per_category_gives_each_category_every_period():
    df = pd.DataFrame(
        {
            "period": [date(2024, 1, 1), date(2024, 3, 1)],
            "category": ["Cars", "Ships"],
            "revenue_cents": [100, 300],
        }
    )
    out = fill_periods(df, date(2024, 1, 1), date(2024, 3, 31), "month", by="category")
    assert list(zip(out["category"], out["revenue_cents"], strict=True)) == [
        ("Cars", 100),
        ("Cars", 0),
        ("Cars", 0),
        ("Ships", 0),
        ("Ships", 0),
        ("Ships", 300),
    ]


def test_the_first_and_the_current_period_are_named_partial():
    # Data from 12 Jan 2023 to 5 Feb 2024 (tests/tiny.py), by month.
    covered = coverage(date(2023, 1, 12), date(2024, 2, 5), "month")
    assert len(covered) == 14  # Jan 2023 .. Feb 2024
    first, last = covered[0], covered[-1]
    assert (first.partial, last.partial) == (True, True)
    assert not any(c.partial for c in covered[1:-1])
    # January 2023 from the 12th: 31 - 12 + 1 = 20 of 31 days; February 2024: 1-5, 5 of 29.
    assert first.note("month") == "partial month (12–31 Jan, 20 of 31 days)"
    assert last.note("month") == "month to date (1–5 Feb, 5 of 29 days)"
    assert covered[1].note("month") == ""
    # Days are never partial.
    assert coverage(date(2024, 2, 5), date(2024, 2, 5), "day")[0].note("day") == ""


def test_the_observed_range_stops_at_the_data():
    bounds = (date(2023, 1, 12), date(2024, 2, 5))
    assert observed_range(None, None, bounds) == bounds
    assert observed_range(date(2024, 1, 1), date(2024, 12, 31), bounds) == (
        date(2024, 1, 1),
        date(2024, 2, 5),
    )
    # A range outside the data is left as asked (the charts are empty there anyway).
    assert observed_range(date(2025, 1, 1), date(2025, 2, 1), bounds) == (
        date(2025, 1, 1),
        date(2025, 2, 1),
    )
