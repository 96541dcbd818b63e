"""Daily revenue or units forecasts (ETS, SARIMAX, seasonal naive) with an honest backtest.

The history comes from one SQL aggregate; the models work on floats (currency units), which is
fine for modelling, and money goes back out rounded to the cent.
"""

from __future__ import annotations

import hashlib
import math
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from dashapp.analytics.query import as_date, data_bounds
from dashapp.filters import Filters

MODELS = ("auto", "ets", "sarimax", "naive")
LEVELS = (0.8, 0.9, 0.95)
MEASURES = ("revenue", "units")
SEASON = 7  # weekly seasonality on daily data
MIN_HISTORY_DAYS = 4 * SEASON
MIN_HORIZON, MAX_HORIZON = 7, 365
MAX_HOLDOUT_WEEKS = 4
# Models see at most the last two years: weekly-seasonal models gain nothing from older days,
# and the fit time stays bounded at any history length.
MAX_FIT_DAYS = 730
MODEL_NAMES = {"ets": "ETS (damped trend, weekly)", "sarimax": "SARIMAX", "naive": "Seasonal naive"}

Measure = Literal["revenue", "units"]
# Fitted models kept in this process, by model and series: a new horizon or interval level,
# and the refit after "auto"'s backtests, answer from the fitted model instead of refitting.
FIT_CACHE_SIZE = 32
_fits: OrderedDict[tuple, tuple[object, tuple[tuple[type[Warning], str], ...]]] = OrderedDict()
# One fit at a time per process: warnings.catch_warnings is process-wide, and jobs run in
# threads (dashapp.web.jobs), so two fits at once would mix up their convergence notes.
_fit_lock = threading.RLock()


class InsufficientHistory(ValueError):
    """Too few days of history to fit and backtest a weekly model; the message is for users."""

    def __init__(self, days: int) -> None:
        super().__init__(
            f"Not enough history to forecast: {days} day(s) of sales, at least "
            f"{MIN_HISTORY_DAYS} (4 weeks) are needed. Widen the date range or pick a broader "
            "category or product."
        )
        self.days = days


class ModelFitError(RuntimeError):
    """A model could not be fitted or gave a non-finite forecast."""


def daily_series(conn: Connection, f: Filters, measure: Measure = "revenue") -> pd.Series:
    """Daily revenue (currency units) or units of the filtered, non-cancelled lines.

    Days run from the first sale (or f.start) to the last order day of the business (or f.end,
    whichever is earlier), with days without sales as 0.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    # The Overview's daily totals: read from the daily rollups whenever the filters allow.
    from dashapp.analytics.breakdowns import sales_over_time

    per_day = sales_over_time(conn, f, "day", customers=False)
    per_day = per_day[per_day["orders"] > 0]  # days with a sale (not only cancelled orders)
    column = "revenue_cents" if measure == "revenue" else "units"
    rows = [(as_date(d), int(v)) for d, v in zip(per_day["period"], per_day[column], strict=True)]
    if not rows:
        return pd.Series([], index=pd.DatetimeIndex([], freq="D"), dtype="float64", name=measure)
    # The business's last order day, not the selection's: a product that stopped selling has
    # real zeros at the end of its history.
    last_business_day = data_bounds(conn)[1] or rows[-1][0]
    start = f.start or rows[0][0]
    end = min(f.end, last_business_day) if f.end else last_business_day
    index = pd.date_range(start, max(end, start), freq="D")
    values = pd.Series({pd.Timestamp(d): v for d, v in rows}, dtype="int64")
    series = values.reindex(index, fill_value=0).astype("float64")
    if measure == "revenue":
        series = series / 100  # cents -> currency units for the models
    series.name = measure
    return series


@dataclass(frozen=True)
class Backtest:
    """Scores of one model on the held-out last weeks, fitted without them.

    MASE divides the mean absolute error by the in-sample MAE of the seasonal naive (m=7)
    forecast on the training part; `naive_mase` is the seasonal naive forecast's own MASE on the
    same holdout, so `mase < naive_mase` means the model beats the baseline.
    """

    model: str
    holdout_days: int
    mape: float | None
    mase: float | None
    naive_mape: float | None
    naive_mase: float | None
    predicted: pd.Series = field(repr=False)
    actual: pd.Series = field(repr=False)

    @property
    def beats_naive(self) -> bool | None:
        if self.mase is None or self.naive_mase is None:
            return None
        return self.mase < self.naive_mase

    def as_json(self) -> dict:
        return {
            "model": self.model,
            "holdout_days": self.holdout_days,
            "holdout_start": self.actual.index[0].date().isoformat(),
            "mape": _round(self.mape, 4),
            "mase": _round(self.mase, 4),
            "naive_mape": _round(self.naive_mape, 4),
            "naive_mase": _round(self.naive_mase, 4),
            "beats_naive": self.beats_naive,
        }


@dataclass(frozen=True)
class ForecastResult:
    """History, forecast mean and interval, the model that produced them and its backtest."""

    history: pd.Series
    mean: pd.Series
    lower: pd.Series
    upper: pd.Series
    model: str
    level: float
    notes: tuple[str, ...]
    backtest: Backtest | None
    candidates: tuple[Backtest, ...] = ()

    def as_json(self, *, history: bool = False) -> dict:
        """Dates as ISO strings, values rounded to 2 decimals (cents for revenue)."""
        points = [
            {"date": d.date().isoformat(), "mean": _r2(m), "lower": _r2(lo), "upper": _r2(hi)}
            for d, m, lo, hi in zip(self.mean.index, self.mean, self.lower, self.upper, strict=True)
        ]
        out = {
            "measure": self.history.name,
            "model": self.model,
            "level": self.level,
            "horizon": len(self.mean),
            "history_start": self.history.index[0].date().isoformat(),
            "history_end": self.history.index[-1].date().isoformat(),
            "notes": list(self.notes),
            "backtest": self.backtest.as_json() if self.backtest else None,
            "candidates": [c.as_json() for c in self.candidates],
            "forecast": points,
        }
        if history:
            out["history"] = [
                {"date": d.date().isoformat(), "value": _r2(v)} for d, v in self.history.items()
            ]
        return out


@dataclass(frozen=True)
class _Fit:
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def forecast(
    series: pd.Series, horizon: int, model: str = "auto", level: float = 0.8
) -> ForecastResult:
    """Forecast `horizon` days after the series with a `level` prediction interval.

    "auto" backtests every model and refits the one with the lowest MASE on the whole series.
    A model that cannot be fitted falls back to seasonal naive with a note.
    """
    horizon, level = _validate(series, horizon, model, level)
    notes: list[str] = []
    y = series.astype("float64").iloc[-MAX_FIT_DAYS:]
    if model == "auto":
        candidates = tuple(_backtest(y, name, notes) for name in ("naive", "ets", "sarimax"))
        scored = [c for c in candidates if c.mase is not None and math.isfinite(c.mase)]
        # Ties go to the simpler model: candidates are listed simplest first.
        best = min(scored, key=lambda c: c.mase) if scored else candidates[0]
        chosen, backtest = best.model, best
    else:
        candidates = ()
        chosen = model
        backtest = _backtest(y, model, notes)
    fitted, used = _fit_with_fallback(y, chosen, horizon, level, notes)
    if used != chosen and backtest is not None and backtest.model != used:
        backtest = _backtest(y, used, notes)
    index = pd.date_range(y.index[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    # Sales are never negative; the models' Gaussian intervals would say otherwise.
    clip = lambda a: pd.Series(np.clip(a, 0, None), index=index, name=y.name)  # noqa: E731
    return ForecastResult(
        history=series.astype("float64"),
        mean=clip(fitted.mean),
        lower=clip(fitted.lower),
        upper=clip(fitted.upper),
        model=used,
        level=level,
        notes=tuple(dict.fromkeys(notes)),
        backtest=backtest,
        candidates=candidates,
    )


def _validate(series: pd.Series, horizon, model: str, level) -> tuple[int, float]:
    try:
        horizon = int(horizon)
    except (TypeError, ValueError):
        raise ValueError(f"horizon must be a whole number of days, got {horizon!r}") from None
    if not MIN_HORIZON <= horizon <= MAX_HORIZON:
        raise ValueError(f"horizon must be between {MIN_HORIZON} and {MAX_HORIZON} days")
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    try:
        level = float(level)
    except (TypeError, ValueError):
        raise ValueError(f"level must be one of 0.8, 0.9, 0.95, got {level!r}") from None
    if level in (80, 90, 95):
        level /= 100  # 80 % typed as a percentage
    if not any(math.isclose(level, allowed) for allowed in LEVELS):
        raise ValueError(f"level must be one of 0.8, 0.9, 0.95, got {level!r}")
    if not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError("series must be indexed by day")
    if len(series) < MIN_HISTORY_DAYS:
        raise InsufficientHistory(len(series))
    return horizon, level


def holdout_days(n: int) -> int:
    """Backtest holdout: k whole weeks, k = min(4, weeks in a fifth of the series), at least 1."""
    return SEASON * max(1, min(MAX_HOLDOUT_WEEKS, (n // 5) // SEASON))


def _backtest(y: pd.Series, model: str, notes: list[str]) -> Backtest:
    """Fit on all but the last weeks, forecast them, and score against what happened."""
    h = holdout_days(len(y))
    train, actual = y.iloc[:-h], y.iloc[-h:]
    scale = _naive_scale(train.to_numpy())
    naive = _seasonal_naive(train.to_numpy(), h, 0.8).mean
    try:
        predicted = _FITTERS[model](train, h, 0.8, []).mean
    except ModelFitError as exc:
        notes.append(f"{MODEL_NAMES[model]} could not be backtested ({exc}).")
        predicted = np.full(h, np.nan)
    a = actual.to_numpy()
    return Backtest(
        model=model,
        holdout_days=h,
        mape=_mape(a, predicted),
        mase=_mase(a, predicted, scale),
        naive_mape=_mape(a, naive),
        naive_mase=_mase(a, naive, scale),
        predicted=pd.Series(predicted, index=actual.index, name=y.name),
        actual=actual,
    )


def _fit_with_fallback(
    y: pd.Series, model: str, horizon: int, level: float, notes: list[str]
) -> tuple[_Fit, str]:
    try:
        return _FITTERS[model](y, horizon, level, notes), model
    except ModelFitError as exc:
        if model == "naive":
            raise
        notes.append(f"{MODEL_NAMES[model]} could not be fitted ({exc}); showing seasonal naive.")
        return _FITTERS["naive"](y, horizon, level, notes), "naive"


def _fit_naive(y: pd.Series, horizon: int, level: float, notes: list[str]) -> _Fit:
    return _seasonal_naive(y.to_numpy(), horizon, level)


def _seasonal_naive(y: np.ndarray, horizon: int, level: float) -> _Fit:
    """Repeat the last week; the interval comes from the in-sample week-on-week errors,
    widened by sqrt(number of weeks ahead)."""
    last_week = y[-SEASON:]
    steps = np.arange(horizon)
    mean = last_week[steps % SEASON]
    resid = y[SEASON:] - y[:-SEASON]
    tail = (1 - level) / 2
    lo_q, hi_q = np.quantile(resid, [tail, 1 - tail]) if len(resid) else (0.0, 0.0)
    weeks_ahead = np.sqrt(steps // SEASON + 1)
    return _Fit(mean, mean + lo_q * weeks_ahead, mean + hi_q * weeks_ahead)


def _fit_ets(y: pd.Series, horizon: int, level: float, notes: list[str]) -> _Fit:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    def fit():
        def build():
            model = ETSModel(
                y,
                error="add",
                trend="add",
                damped_trend=True,
                seasonal="add",
                seasonal_periods=SEASON,
            )
            return model.fit(disp=False, maxiter=200)

        result = _fitted("ets", y, build)
        frame = result.get_prediction(start=len(y), end=len(y) + horizon - 1).summary_frame(
            alpha=1 - level
        )
        return frame["mean"], frame["pi_lower"], frame["pi_upper"]

    return _guarded("ETS", fit, notes)


def _fit_sarimax(y: pd.Series, horizon: int, level: float, notes: list[str]) -> _Fit:
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    # The optimiser converges far faster on a series of unit scale; the model is linear, so
    # the forecast and its interval scale back exactly.
    scale = float(y.std()) or 1.0

    def fit():
        # ARMA(1,1) on the week-on-week differences: the weekly pattern carries forward and
        # short-term deviations fade; no drift term, so long horizons do not run away.
        def build():
            model = SARIMAX(
                y / scale,
                order=(1, 0, 1),
                seasonal_order=(0, 1, 1, SEASON),
                concentrate_scale=True,
            )
            return model.fit(disp=False, maxiter=200)

        result = _fitted("sarimax", y, build)
        prediction = result.get_forecast(horizon)
        ci = prediction.conf_int(alpha=1 - level)
        return (
            prediction.predicted_mean * scale,
            ci.iloc[:, 0] * scale,
            ci.iloc[:, 1] * scale,
        )

    return _guarded("SARIMAX", fit, notes)


def _fitted(name: str, y: pd.Series, build: Callable[[], object]) -> object:
    """`build()`'s fitted model of `y`, from the cache when this series was fitted before; the
    warnings of the fit are raised again on every use, so they still become notes."""
    key = (name, len(y), y.index[0], y.index[-1], hashlib.blake2b(y.to_numpy().tobytes()).digest())
    with _fit_lock:
        if key in _fits:
            _fits.move_to_end(key)
            result, said = _fits[key]
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = build()
            said = tuple((w.category, str(w.message)) for w in caught)
            _fits[key] = (result, said)
            while len(_fits) > FIT_CACHE_SIZE:
                _fits.popitem(last=False)
    for category, message in said:
        warnings.warn(message, category, stacklevel=2)
    return result


def load_models() -> None:
    """Import statsmodels' ETS and SARIMAX now: a second or more of CPU, which a web server
    pays once at start rather than in the first forecast a user waits for."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # noqa: F401
    from statsmodels.tsa.statespace.sarimax import SARIMAX  # noqa: F401


def forget_fits() -> None:
    """Empty the cache of fitted models (tests that replace a model's fit start clean)."""
    with _fit_lock:
        _fits.clear()


def _guarded(name: str, fit: Callable, notes: list[str]) -> _Fit:
    """Run a statsmodels fit: convergence warnings become notes, failures ModelFitError."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    with _fit_lock, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="ignore"):
            try:
                mean, lower, upper = fit()
            except (ValueError, np.linalg.LinAlgError, IndexError, ZeroDivisionError) as exc:
                raise ModelFitError(str(exc) or type(exc).__name__) from exc
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        notes.append(f"{name}: the optimiser did not fully converge; treat the band with care.")
    arrays = [np.asarray(a, dtype="float64") for a in (mean, lower, upper)]
    if not all(np.isfinite(a).all() for a in arrays):
        raise ModelFitError("the forecast contains NaN or infinite values")
    return _Fit(*arrays)


_FITTERS: dict[str, Callable[[pd.Series, int, float, list[str]], _Fit]] = {
    "naive": _fit_naive,
    "ets": _fit_ets,
    "sarimax": _fit_sarimax,
}


def _naive_scale(train: np.ndarray) -> float:
    """In-sample MAE of the seasonal naive forecast (the MASE denominator)."""
    if len(train) <= SEASON:
        return float("nan")
    return float(np.mean(np.abs(train[SEASON:] - train[:-SEASON])))


def _mape(actual: np.ndarray, predicted: np.ndarray) -> float | None:
    """Mean absolute percentage error over the days with sales (None when there are none)."""
    mask = actual != 0
    if not mask.any() or not np.isfinite(predicted).all():
        return None
    return float(np.mean(np.abs((actual[mask] - predicted[mask]) / actual[mask])))


def _mase(actual: np.ndarray, predicted: np.ndarray, scale: float) -> float | None:
    if not np.isfinite(predicted).all() or not math.isfinite(scale):
        return None
    mae = float(np.mean(np.abs(actual - predicted)))
    if scale == 0:
        # A perfectly repeating history: any error is infinitely worse than the naive one.
        return 0.0 if mae == 0 else None
    return mae / scale


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _r2(value: float) -> float:
    return round(float(value), 2)


def history_window(series: pd.Series, days: int) -> pd.Series:
    """The last `days` of history, for charts that should not draw years of it."""
    if days <= 0 or series.empty:
        return series
    cutoff = series.index[-1] - timedelta(days=days - 1)
    return series[series.index >= cutoff]
