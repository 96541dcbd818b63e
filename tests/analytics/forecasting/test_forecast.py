"""Forecasts on generated series whose right answers are known by construction."""

import warnings

import numpy as np
import pandas as pd
import pytest

from dashapp.analytics.forecasting import (
    InsufficientHistory,
    forecast,
    forget_fits,
    holdout_days,
)

WEEK = np.array([70.0, 90, 110, 130, 150, 170, 190])


@pytest.fixture(autouse=True)
def no_fits_from_other_tests():
    """Fitted models are cached per process: each test fits (or fakes a fit) for itself."""
    forget_fits()
    yield
    forget_fits()


def _series(values) -> pd.Series:
    values = np.asarray(values, dtype="float64")
    return pd.Series(
        values, index=pd.date_range("2024-01-01", periods=len(values), freq="D"), name="revenue"
    )


def _weekly(days: int, noise: float = 2.0, walk: float = 0.0, seed: int = 7) -> pd.Series:
    rng = np.random.default_rng(seed)
    level = np.cumsum(rng.normal(0, walk, days)) if walk else 0.0
    return _series(np.resize(WEEK, days) + level + rng.normal(0, noise, days))


@pytest.mark.parametrize("model", ["auto", "ets", "sarimax", "naive"])
def test_weekly_pattern_is_forecast_with_small_error(model):
    y = _weekly(182)  # 26 whole weeks: the forecast starts on a Monday, WEEK[0]
    result = forecast(y, 14, model, 0.9)
    assert result.backtest.mape < 0.05  # noise sd 2 on values of 70..190
    assert np.abs(result.mean.to_numpy() - np.resize(WEEK, 14)).max() < 10
    assert result.mean.index[0] == pd.Timestamp("2024-07-01")
    assert (result.lower <= result.mean).all() and (result.mean <= result.upper).all()
    assert result.model == model or model == "auto"


@pytest.mark.parametrize("model", ["ets", "sarimax", "naive"])
def test_interval_widens_with_the_horizon(model):
    # A wandering level (kept well above 0, so no clipping): the further ahead, the less known.
    result = forecast(_weekly(182, walk=2.0) + 300, 90, model, 0.8)
    width = (result.upper - result.lower).to_numpy()
    assert width[-1] > 1.5 * width[0]
    assert np.all(np.diff(width) >= -1e-6)


def test_naive_interval_grows_with_sqrt_of_weeks_ahead():
    result = forecast(_weekly(364), 21, "naive", 0.95)
    width = (result.upper - result.lower).to_numpy()
    assert width[7] == pytest.approx(width[0] * np.sqrt(2))
    assert width[14] == pytest.approx(width[0] * np.sqrt(3))


def test_higher_level_gives_a_wider_band():
    y = _weekly(364)
    narrow, wide = forecast(y, 7, "ets", 0.8), forecast(y, 7, "ets", 0.95)
    assert ((wide.upper - wide.lower) > (narrow.upper - narrow.lower)).all()


def test_backtest_scores_by_hand():
    # 35 days -> a 1-week holdout. Training weeks alternate WEEK and WEEK+10, so every
    # week-on-week change is 10 (the MASE scale) and seasonal naive predicts WEEK+10.
    # The holdout is WEEK+30: error 20 every day -> MASE 20/10 = 2.0; MAPE = mean of 20/x
    # for x = 100,120,...,220: (0.2+0.16667+0.14286+0.125+0.11111+0.1+0.09091)/7 = 0.13379.
    y = _series(np.concatenate([WEEK, WEEK + 10, WEEK, WEEK + 10, WEEK + 30]))
    bt = forecast(y, 7, "naive").backtest
    assert bt.holdout_days == 7
    assert bt.mase == pytest.approx(2.0)
    assert bt.mape == pytest.approx(0.13379, abs=1e-5)
    assert (bt.naive_mase, bt.naive_mape) == (bt.mase, bt.mape)
    assert bt.beats_naive is False
    assert bt.predicted.tolist() == (WEEK + 10).tolist()


@pytest.mark.parametrize("model", ["ets", "sarimax", "naive"])
def test_backtest_never_sees_the_holdout(model):
    y = _weekly(140)  # holdout: (140 // 5) // 7 = 4 weeks
    changed = y.copy()
    changed.iloc[-28:] = changed.iloc[-28:] * 3  # a holdout unlike anything before
    a, b = forecast(y, 7, model).backtest, forecast(changed, 7, model).backtest
    assert a.holdout_days == b.holdout_days == 28
    pd.testing.assert_series_equal(a.predicted, b.predicted)  # fitted without those days
    assert b.mape > 0.5 > a.mape


@pytest.mark.parametrize("days, holdout", [(28, 7), (69, 7), (70, 14), (140, 28), (1000, 28)])
def test_holdout_is_whole_weeks_at_most_a_fifth(days, holdout):
    # 69 // 5 = 13 -> 1 week; 70 // 5 = 14 -> 2 weeks; 140 // 5 = 28 -> 4; capped at 4.
    assert holdout_days(days) == holdout


def test_auto_picks_the_lowest_backtest_mase():
    result = forecast(_weekly(364, walk=2.0) + 300, 14, "auto")
    assert [c.model for c in result.candidates] == ["naive", "ets", "sarimax"]
    best = min(result.candidates, key=lambda c: c.mase)
    assert result.model == best.model and result.backtest is best


def test_exact_repetition_ties_go_to_seasonal_naive():
    result = forecast(_series(np.resize(WEEK, 70)), 7, "auto")
    assert result.model == "naive"
    assert result.mean.tolist() == WEEK.tolist()
    assert result.backtest.mape == 0.0


def test_too_short_history_raises_a_readable_message():
    with pytest.raises(InsufficientHistory, match="27 day.* at least 28"):
        forecast(_weekly(27), 7)
    assert len(forecast(_weekly(28), 7).mean) == 7


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"horizon": 6}, "between 7 and 365"),
        ({"horizon": 366}, "between 7 and 365"),
        ({"horizon": "soon"}, "whole number"),
        ({"model": "prophet"}, "model must be one of"),
        ({"level": 0.85}, "level must be one of"),
        ({"level": "high"}, "level must be one of"),
    ],
)
def test_bad_options_are_refused(kwargs, message):
    args = {"horizon": 7, "model": "naive", "level": 0.8, **kwargs}
    with pytest.raises(ValueError, match=message):
        forecast(_weekly(60), **args)


def test_level_as_a_percentage():
    assert forecast(_weekly(60), 7, "naive", 90).level == 0.9


def test_forecast_is_never_negative():
    y = _series(np.resize([0.0, 0, 0, 0, 0, 0, 5], 60) + np.resize([0.0, 3], 60))
    result = forecast(y, 28, "sarimax", 0.95)
    assert (result.lower >= 0).all() and (result.mean >= 0).all()


class _NanPrediction:
    def summary_frame(self, alpha):
        return pd.DataFrame({"mean": [np.nan] * 7, "pi_lower": [0.0] * 7, "pi_upper": [1.0] * 7})


class _NanResults:
    def get_prediction(self, start, end):
        return _NanPrediction()


def test_ets_nan_forecast_falls_back_to_naive_with_a_note(monkeypatch):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    monkeypatch.setattr(ETSModel, "fit", lambda self, **kw: _NanResults())
    result = forecast(_weekly(60), 7, "ets")
    assert result.model == "naive"
    assert any("ETS" in n and "seasonal naive" in n for n in result.notes)
    assert np.isfinite(result.mean).all()


def test_ets_fit_error_falls_back_and_auto_skips_it(monkeypatch):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    def broken(self, **kw):
        raise ValueError("boom")

    monkeypatch.setattr(ETSModel, "fit", broken)
    assert forecast(_weekly(60), 7, "ets").model == "naive"
    auto = forecast(_weekly(60), 7, "auto")
    assert auto.model != "ets"
    assert next(c for c in auto.candidates if c.model == "ets").mase is None


def test_convergence_warnings_become_notes(monkeypatch):
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    original = ETSModel.fit

    def noisy(self, **kw):
        warnings.warn("did not converge", ConvergenceWarning, stacklevel=1)
        return original(self, **kw)

    monkeypatch.setattr(ETSModel, "fit", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing escapes to the caller
        result = forecast(_weekly(60), 7, "ets")
    assert result.model == "ets"
    assert any("converge" in n for n in result.notes)


def test_json_rounds_to_cents_and_dates_are_iso():
    y = _series(np.resize(WEEK + 0.123456, 28))
    data = forecast(y, 7, "naive").as_json(history=True)
    assert data["forecast"][0] == {
        "date": "2024-01-29",
        "mean": 70.12,
        "lower": 70.12,
        "upper": 70.12,
    }
    assert data["history"][-1] == {"date": "2024-01-28", "value": 190.12}
    assert data["backtest"]["holdout_days"] == 7 and data["measure"] == "revenue"


def test_a_new_level_or_horizon_answers_from_the_fitted_model(monkeypatch):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    original, fits = ETSModel.fit, []

    def counted(self, **kw):
        fits.append(len(self.endog))
        return original(self, **kw)

    monkeypatch.setattr(ETSModel, "fit", counted)
    series = _weekly(84)
    first = forecast(series, 14, "ets", 0.8)
    # One backtest fit without the holdout, min(4, (84 // 5) // 7) = 2 weeks: 84 - 14 = 70
    # days; one fit on all 84 days.
    assert fits == [70, 84]
    wider = forecast(series, 30, "ets", 0.95)
    assert fits == [70, 84]  # nothing refitted
    assert np.allclose(wider.mean.to_numpy()[:14], first.mean.to_numpy())
    assert (
        wider.upper.to_numpy()[:14] - wider.lower.to_numpy()[:14]
        > (first.upper.to_numpy() - first.lower.to_numpy())
    ).all()
    forecast(series.iloc[1:], 14, "ets", 0.8)  # another series: fitted afresh
    assert fits == [70, 84, 69, 83]  # 83 days: (83 // 5) // 7 = 2 weeks held out
