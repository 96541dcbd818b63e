"""The daily history from the tiny data set (tests/tiny.py); business last day 2024-02-05."""

from datetime import date

import pandas as pd
import pytest

from dashapp.analytics.forecasting import daily_series
from dashapp.filters import Filters


def test_revenue_per_day_with_missing_days_as_zero(tiny_engine):
    with tiny_engine.connect() as conn:
        y = daily_series(conn, Filters())
    # 2023-01-12 (first sale) .. 2024-02-05: 365 + 24 days apart -> 390 days.
    assert len(y) == 390
    assert (y.index[0], y.index[-1]) == (pd.Timestamp("2023-01-12"), pd.Timestamp("2024-02-05"))
    assert y["2023-01-12"] == 100.0
    assert y["2024-01-10"] == 250.0  # O1: 200.00 + 50.00
    assert y["2024-01-20"] == 0.0  # O3 is cancelled
    assert y["2024-02-05"] == 99.99
    assert round(y.sum(), 2) == 684.99


def test_units_for_a_category(tiny_engine):
    with tiny_engine.connect() as conn:
        y = daily_series(conn, Filters(categories=("Motorcycles",)), "units")
    # 2023-12-20 .. 2024-02-05: 11 + 31 + 5 days apart -> 48 days; zeros after the last sale.
    assert len(y) == 48
    assert y[y > 0].to_dict() == {
        pd.Timestamp("2023-12-20"): 2.0,
        pd.Timestamp("2024-01-10"): 1.0,
        pd.Timestamp("2024-01-15"): 3.0,
    }


def test_product_and_date_range(tiny_engine):
    with tiny_engine.connect() as conn:
        y = daily_series(conn, Filters(products=("CAR",), end=date(2024, 1, 31)))
        future_end = daily_series(conn, Filters(end=date(2024, 12, 31)))
        from_start = daily_series(conn, Filters(start=date(2024, 1, 1)))
    assert (y.index[0], y.index[-1]) == (pd.Timestamp("2023-01-12"), pd.Timestamp("2024-01-31"))
    assert y.sum() == 300.0  # 200.00 + 100.00; 99.99 is in February
    assert future_end.index[-1] == pd.Timestamp("2024-02-05")  # no invented zeros
    assert from_start.index[0] == pd.Timestamp("2024-01-01") and len(from_start) == 36


def test_no_sales_and_bad_measure(tiny_engine):
    with tiny_engine.connect() as conn:
        assert daily_series(conn, Filters(countries=("Nowhere",))).empty
        with pytest.raises(ValueError, match="measure"):
            daily_series(conn, Filters(), "profit")
