"""A Forecast interval change reads the forecast fitted for another level (issue 17): one
answer-cache entry holds every level the page offers, on both backends."""

import pandas as pd
import pytest
from cachelib import SimpleCache

from dashapp.filters import Filters
from dashapp.ui import forecast as page
from dashapp.web.answers import AnswerCache

# Four weeks: the first at 100 a day, then each day is the same weekday a week before plus a
# step of -20, -18, ..., 20 (21 week-on-week changes), so the seasonal naive forecast repeats
# the last week, 82, 88, 94, 100, 106, 112, 118, and its interval comes from those changes.
STEPS = list(range(-20, 21, 2))
VALUES = [100.0] * 7
for step in STEPS:
    VALUES.append(VALUES[-7] + step)
SERIES = pd.Series(VALUES, index=pd.date_range("2024-01-01", periods=28, freq="D"), name="revenue")


def test_an_interval_change_reads_the_forecast_fitted_with_the_first(engine, monkeypatch):
    asked = []
    real = page.forecast

    def counted(series, horizon, model, level):
        asked.append(level)
        return real(series, horizon, model, level)

    monkeypatch.setattr(page, "forecast", counted)
    answers = AnswerCache(SimpleCache(), "test")

    def fitted(level):
        return page.fitted_forecast(
            answers, engine, Filters(), SERIES, "revenue", 7, "naive", level
        )

    first = fitted("0.8")
    assert asked == ["0.8", "0.9", "0.95"]  # one entry: every level the page offers
    assert list(first.mean) == [82.0, 88.0, 94.0, 100.0, 106.0, 112.0, 118.0]
    # 80 %: the 10th and 90th percentiles of the 21 changes, at positions 0.1 x 20 = 2 and 18
    # of -20, -18, ..., 20: -16 and +16 around the mean (one week ahead: x sqrt(1)).
    assert (first.level, first.lower.iloc[0], first.upper.iloc[0]) == (0.8, 66.0, 98.0)
    second = fitted("0.95")
    assert asked == ["0.8", "0.9", "0.95"]  # nothing fitted again
    # 95 %: positions 0.025 x 20 = 0.5 and 19.5, halfway between -20 and -18, 18 and 20: -19
    # and +19 around 82.
    assert (second.level, second.lower.iloc[0], second.upper.iloc[0]) == (0.95, 63.0, 101.0)
    assert fitted("0.9").level == 0.9 and len(asked) == 3


def test_a_forged_level_is_refused_and_cached_for_no_one(engine):
    answers = AnswerCache(SimpleCache(), "test")
    for level in ("0.5", None, ["0.8"]):
        with pytest.raises(ValueError, match="level must be one of"):
            page.fitted_forecast(answers, engine, Filters(), SERIES, "revenue", 7, "naive", level)
