"""Progress against a target: the actual to date, from the same KPI function as the Overview,
and a projection to the period's end.

The projection comes from the forecast (dashapp.analytics.forecasting) where the scope has at
least four weeks of daily sales up to the view's day: actual to date + the forecast of the days
left, with its 80 % interval. The model is the seasonal naive one (the Forecast page's
baseline: the last week repeated, the interval from the week-on-week changes, widened by the
weeks ahead), because the Overview shows it: ETS and SARIMAX took 3-12 s to fit 39 days on
these 2-core machines, and a card must not hold the page that long. The days' half-widths are
combined as if their errors were independent (the square root of the sum of squares): adding
the bounds up would assume every day misses the same way, and gave a band of 40-170 % of the
month on demo data, too wide to say anything. With less
history, and for profit (the forecast models revenue and order counts, not costs), it is the
linear run-rate: actual / days elapsed x days in the period. `Projection.method` says which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Connection

from dashapp.analytics import forecasting
from dashapp.analytics.breakdowns import sales_over_time
from dashapp.analytics.kpis import Kpis, kpis
from dashapp.filters import Filters
from dashapp.targets.records import StoredTarget

# Sixteen weeks of days: a month's end depends on the recent level and weekly pattern.
FIT_DAYS = 16 * 7
LEVEL = 0.8
MODEL = "naive"
ON_TRACK, AT_RISK, MET, MISSED, NOT_STARTED = (
    "on track",
    "at risk",
    "met",
    "missed",
    "not started",
)


def scope_filters(target: StoredTarget) -> Filters:
    """The orders a target counts: all of them, a category's, a region's (ship-to), or those
    a user entered."""
    if target.scope == "category":
        return Filters(categories=(target.key,))
    if target.scope == "region":
        return Filters(regions=(target.key,))
    if target.scope == "user":
        return Filters(created_by=target.key)
    return Filters()


def metric_value(k: Kpis, metric: str) -> int | None:
    """The target's metric of a KPI answer: revenue or profit in cents (profit None where no
    line has a cost), or orders."""
    if metric == "revenue":
        return k.revenue_cents
    if metric == "orders":
        return k.orders
    return k.profit_cents


def linear_run_rate(actual: int, elapsed: int, days: int) -> int:
    """actual / elapsed x days, rounded half away from zero, in whole units (cents, orders)."""
    q = (abs(actual) * days * 2 + elapsed) // (elapsed * 2)
    return q if actual >= 0 else -q


@dataclass(frozen=True)
class Projection:
    """The metric at the period's end: `value`, and `low`..`high` when the forecast gave an
    interval. method "forecast" (`model` names it) or "run-rate"; `note` says why."""

    value: int
    low: int | None
    high: int | None
    method: str
    model: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Progress:
    """A target against what happened from its period's first day to `as_of`."""

    target: StoredTarget
    as_of: date  # the last day counted (the period's end once it is over)
    elapsed: int  # days of the period counted
    days: int  # days in the period
    actual: int | None  # None: profit with no cost known
    run_rate: int | None
    projection: Projection | None
    status: str

    @property
    def share(self) -> float | None:
        """Actual / target (0.62 is 62 %)."""
        return None if self.actual is None else self.actual / self.target.amount

    @property
    def projected_share(self) -> float | None:
        return None if self.projection is None else self.projection.value / self.target.amount

    @property
    def complete(self) -> bool:
        return self.elapsed == self.days

    @property
    def open_projection(self) -> int | None:
        """The projection to the period's end while the period runs; None once it is over
        (the actual is final) or before it starts."""
        if self.projection is None or self.complete or self.status == NOT_STARTED:
            return None
        return self.projection.value

    def as_json(self) -> dict:
        """Progress as the API answers it (money as numbers of currency units)."""
        from dashapp.targets.records import json_amount

        def amount(v: int | None):
            return json_amount(self.target.metric, v)

        p = self.projection
        return {
            "target": self.target.as_json(),
            "as_of": self.as_of.isoformat(),
            "days_elapsed": self.elapsed,
            "days_in_period": self.days,
            "actual": amount(self.actual),
            "share": None if self.share is None else round(self.share, 4),
            "run_rate": amount(self.run_rate),
            "projection": None
            if p is None
            else {
                "value": amount(p.value),
                "low": amount(p.low),
                "high": amount(p.high),
                "method": p.method,
                "model": p.model,
                "level": LEVEL if p.low is not None else None,
                "note": p.note,
            },
            "status": self.status,
        }


def progress(conn: Connection, target: StoredTarget, as_of: date, model: str = MODEL) -> Progress:
    """The target's progress on `as_of` (the last day with data the view counts)."""
    start, end = target.start, target.end
    days = (end - start).days + 1
    if as_of < start:
        return Progress(target, as_of, 0, days, 0, None, None, NOT_STARTED)
    last = min(as_of, end)
    elapsed = (last - start).days + 1
    scope = scope_filters(target)
    actual = metric_value(kpis(conn, scope.with_range(start, last)), target.metric)
    if actual is None:
        return Progress(target, last, elapsed, days, None, None, None, "n/a")
    run_rate = linear_run_rate(actual, elapsed, days)
    if last == end:
        status = MET if actual >= target.amount else MISSED
        return Progress(target, last, elapsed, days, actual, run_rate, None, status)
    projection = _projection(conn, target, scope, last, actual, run_rate, model)
    status = ON_TRACK if projection.value >= target.amount else AT_RISK
    return Progress(target, last, elapsed, days, actual, run_rate, projection, status)


def _projection(
    conn: Connection,
    target: StoredTarget,
    scope: Filters,
    last: date,
    actual: int,
    run_rate: int,
    model: str,
) -> Projection:
    if target.metric == "profit":
        note = "linear run-rate (the forecast models revenue and orders, not costs)"
        return _linear(run_rate, note)
    series = _daily(conn, scope, last, target.metric)
    if len(series) < forecasting.MIN_HISTORY_DAYS:
        return _linear(
            run_rate,
            f"linear run-rate: {len(series)} day(s) of sales, the forecast needs "
            f"{forecasting.MIN_HISTORY_DAYS}",
        )
    left = (target.end - last).days
    try:
        result = forecasting.forecast(series, max(left, forecasting.MIN_HORIZON), model, LEVEL)
    except (ValueError, forecasting.ModelFitError) as exc:
        return _linear(run_rate, f"linear run-rate ({exc})")
    scale = 100 if target.metric == "revenue" else 1  # the series is in currency units
    mean = result.mean.iloc[:left].to_numpy() * scale
    below = (mean - result.lower.iloc[:left].to_numpy() * scale) ** 2
    above = (result.upper.iloc[:left].to_numpy() * scale - mean) ** 2
    if not all(math.isfinite(float(a.sum())) for a in (mean, below, above)):
        return _linear(run_rate)
    value = actual + round(float(mean.sum()))
    low = max(actual, value - round(math.sqrt(float(below.sum()))))
    high = value + round(math.sqrt(float(above.sum())))
    name = forecasting.MODEL_NAMES.get(result.model, result.model)
    note = f"forecast ({name}), {LEVEL:.0%} interval"
    if result.notes:
        note += "; " + " ".join(result.notes)
    return Projection(value, low, high, "forecast", name, note)


def _linear(run_rate: int, note: str = "linear run-rate") -> Projection:
    """The linear run-rate as the projection; `note` says why the forecast is not used."""
    return Projection(run_rate, None, None, "run-rate", note=note)


def _daily(conn: Connection, scope: Filters, last: date, metric: str) -> pd.Series:
    """Daily revenue (currency units) or orders of the scope over the FIT_DAYS up to `last`,
    from its first sale in that window, days without sales as 0."""
    window = scope.with_range(last - timedelta(days=FIT_DAYS - 1), last)
    per_day = sales_over_time(conn, window, "day", customers=False)
    per_day = per_day[per_day["orders"] > 0]
    if per_day.empty:
        return pd.Series([], index=pd.DatetimeIndex([], freq="D"), dtype="float64", name=metric)
    column = "revenue_cents" if metric == "revenue" else "orders"
    values = pd.Series(
        list(per_day[column]), index=pd.to_datetime(list(per_day["period"])), dtype="float64"
    )
    index = pd.date_range(values.index[0], pd.Timestamp(last), freq="D")
    series = values.reindex(index, fill_value=0.0)
    if metric == "revenue":
        series = series / 100
    series.name = metric
    return series
