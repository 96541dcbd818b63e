"""Per-period series on the tiny data set (tests/tiny.py), worked out by hand:
O6 2023-01-12 100.00 · O5 2023-12-20 100.00 · O1 2024-01-10 250.00 · O2 2024-01-15 135.00 ·
O3 2024-01-20 cancelled · O4 2024-02-05 99.99. The data runs 12 Jan 2023 - 5 Feb 2024."""

from datetime import date

import pandas as pd

from dashapp.analytics.periods import coverage
from dashapp.analytics.trends import Series, category_series, revenue_trend, same_days_before
from dashapp.filters import Filters


def test_all_time_by_month_has_zero_months_and_names_the_partial_ends(tiny_engine):
    with tiny_engine.connect() as conn:
        series, previous, to_date = revenue_trend(conn, Filters(), "month")
    frame = series.frame
    assert series.granularity == "month"
    assert len(frame) == 14  # Jan 2023 .. Feb 2024, the empty Feb-Nov 2023 included
    assert list(frame["revenue_cents"]) == [10000] + [0] * 10 + [10000, 38500, 9999]
    assert series.notes() == {
        date(2023, 1, 1): "partial month (12–31 Jan, 20 of 31 days)",
        date(2024, 2, 1): "month to date (1–5 Feb, 5 of 29 days)",
    }
    # The previous range of equal length ends on 11 Jan 2023: no orders, so no overlay.
    assert previous.empty
    # 1-5 Feb 2024 (O4 99.99) against 1-5 Jan 2024 (nothing: O1 is on the 10th).
    assert (to_date.revenue_cents, to_date.before_cents) == (9999, 0)
    assert (to_date.before_first, to_date.before_last) == (date(2024, 1, 1), date(2024, 1, 5))


def test_a_short_range_is_drawn_by_week_against_the_same_days_before(tiny_engine):
    f = Filters(start=date(2024, 1, 1), end=date(2024, 2, 4))
    with tiny_engine.connect() as conn:
        series, previous, _ = revenue_trend(conn, f, "month")
    # 1 Jan - 4 Feb: months Jan, Feb = 2 points; weeks from Mon 1 Jan to Mon 29 Jan = 5.
    assert series.granularity == "week"
    assert list(series.frame["revenue_cents"]) == [0, 25000, 13500, 0, 0]  # O3 is cancelled
    # The previous 35 days are 27 Nov - 31 Dec 2023: O5 (20 Dec) falls in the days matching
    # the week of 22 Jan (22-28 Jan minus 35 days = 18-24 Dec).
    assert list(previous["revenue_cents"]) == [0, 0, 0, 10000, 0]
    assert previous["label"].iloc[3] == "18–24 Dec 2023"
    # The last week is 29 Jan - 4 Feb: whole (Monday to Sunday), so nothing is partial.
    assert series.notes() == {}


def test_category_lines_get_every_month_of_the_range(tiny_engine):
    f = Filters(start=date(2023, 12, 1), end=date(2024, 2, 29))
    with tiny_engine.connect() as conn:
        # Dec, Jan, Feb is 3 months: by week instead.
        by_week = category_series(conn, f, "month")
        by_quarter = category_series(conn, f, "quarter")
    assert by_week.granularity == "week"
    assert by_quarter.granularity == "week"
    by_month = by_week.frame.groupby("category")["revenue_cents"].sum().to_dict()
    # Cars: O1 200.00 + O4 99.99; Motorcycles: O5 100.00 + O1 50.00 + O2 135.00.
    assert by_month == {"Classic Cars": 29999, "Motorcycles": 28500}
    # Every week from Mon 27 Nov 2023 (holding 1 Dec) to the data's last day, Mon 5 Feb 2024,
    # not to 29 Feb: 70 days / 7 + 1 = 11 weeks, for both categories.
    assert (by_week.frame["category"] == "Classic Cars").sum() == 11
    assert (by_week.frame["category"] == "Motorcycles").sum() == 11
    # The week of 5 Feb holds one day of data: week to date.
    assert by_week.notes() == {
        date(2023, 11, 27): "partial week (1–3 Dec, 3 of 7 days)",
        date(2024, 2, 5): "week to date (5 Feb, 1 of 7 days)",
    }


def test_same_days_before_sums_the_shifted_days_of_each_period():
    # A 10-day range 11-20 Mar by week: weeks of 11 (Mon 10 Mar: 11-16 covered) and 17 Mar.
    covered = coverage(date(2025, 3, 11), date(2025, 3, 20), "week")
    series = Series(Filters(), "week", "week", pd.DataFrame(), covered)
    daily = pd.DataFrame(
        {
            "period": [date(2025, 3, 1), date(2025, 3, 6), date(2025, 3, 7)],
            "revenue_cents": [1, 2, 4],
        }
    )
    out = same_days_before(series, daily, 10)
    # 11-16 Mar minus 10 days = 1-6 Mar: 1 + 2; 17-20 Mar minus 10 = 7-10 Mar: 4.
    assert list(out["revenue_cents"]) == [3, 4]
    assert list(out["label"]) == ["1–6 Mar 2025", "7–10 Mar 2025"]


def test_with_status_cancelled_the_trend_is_the_cancelled_orders_value(tiny_engine):
    # Only O3 (20 Jan 2024, 100.00, 1 unit) is cancelled; the range is January, by day asked:
    # 31 days, each a zero but the 20th.
    f = Filters(start=date(2024, 1, 1), end=date(2024, 1, 31), statuses=("Cancelled",))
    with tiny_engine.connect() as conn:
        series, _, _ = revenue_trend(conn, f, "day")
    frame = series.frame
    assert len(frame) == 31
    assert frame["revenue_cents"].sum() == 10000
    assert frame.loc[frame["period"] == date(2024, 1, 20), "revenue_cents"].item() == 10000
    assert frame["units"].sum() == 1
