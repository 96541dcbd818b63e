"""Forecast and alert figures, the backtest card and the alert rows, without a browser."""

from datetime import date

import numpy as np
import pandas as pd

from dashapp.analytics.forecasting import Backtest, ForecastResult
from dashapp.filters import Filters
from dashapp.ui.anomalies import alert_rows, drivers_text
from dashapp.ui.forecast import backtest_card, scoped_filters
from dashapp.ui.forecast.figures import alert_chart, forecast_chart


def _result(model: str = "ets", days: int = 200, horizon: int = 3) -> ForecastResult:
    history = pd.Series(
        np.arange(days, dtype="float64"),
        index=pd.date_range("2024-01-01", periods=days, freq="D"),
        name="revenue",
    )
    index = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    actual = history.iloc[-7:]
    backtest = Backtest(
        model=model,
        holdout_days=7,
        mape=0.125,
        mase=0.5,
        naive_mape=0.25,
        naive_mase=1.0,
        predicted=actual,
        actual=actual,
    )
    return ForecastResult(
        history=history,
        mean=pd.Series([10.0, 11.0, 12.0], index=index),
        lower=pd.Series([8.0, 8.5, 9.0], index=index),
        upper=pd.Series([12.0, 13.5, 15.0], index=index),
        model=model,
        level=0.9,
        notes=("ETS: the optimiser did not fully converge; treat the band with care.",),
        backtest=backtest,
    )


def test_forecast_chart_draws_180_days_then_the_band_and_the_line():
    fig = forecast_chart(_result())
    history, upper, lower, mean = fig["data"]
    # 200 days of history, the last 180 shown: values 20..199.
    assert (len(history["x"]), history["y"][0], history["y"][-1]) == (180, 20.0, 199.0)
    assert list(upper["y"]) == [12.0, 13.5, 15.0] and upper["showlegend"] is False
    assert list(lower["y"]) == [8.0, 8.5, 9.0] and lower["fill"] == "tonexty"
    assert lower["name"] == "90 % interval"
    assert list(mean["y"]) == [10.0, 11.0, 12.0]
    assert [list(c) for c in mean["customdata"]] == [[8.0, 12.0], [8.5, 13.5], [9.0, 15.0]]
    assert "$%{y:,.2f}" in mean["hovertemplate"]
    # Issue 18: ticks say $50, never Plotly's "$~s" milli prefix. Drawn values run from 0 (no
    # lower ones) to 199: a quarter of that is 49.75, so steps of 50 up to 200.
    yaxis = fig["layout"]["yaxis"]
    assert yaxis.get("tickformat") is None
    assert list(yaxis["tickvals"]) == [0, 50, 100, 150, 200]
    assert list(yaxis["ticktext"]) == ["$0", "$50", "$100", "$150", "$200"]


def test_backtest_card_reads_as_a_person_would():
    card = backtest_card(_result(), "auto")
    text = " ".join(str(part) for part in card)
    assert "ETS (damped trend, weekly) (chosen by auto)" in text
    assert "12.5%" in text and "0.50" in text  # MAPE 0.125, MASE 0.5
    assert "'Yes'" in text  # 0.5 < 1.0: beats the seasonal naive forecast
    assert "did not fully converge" in text
    naive = " ".join(str(part) for part in backtest_card(_result("naive"), "naive"))
    assert "It is the baseline" in naive and "chosen by auto" not in naive


def test_the_section_scope_replaces_the_page_category_and_product():
    page = Filters(categories=("Ships",), products=("S1",), countries=("France",))
    assert scoped_filters(page, "total", "Cars", "C1") == Filters(countries=("France",))
    assert scoped_filters(page, "category", "Cars", None) == Filters(
        categories=("Cars",), countries=("France",)
    )
    assert scoped_filters(page, "product", None, "C1") == Filters(
        products=("C1",), countries=("France",)
    )


def test_alert_chart_marks_the_alerts_and_the_expected_value():
    series = pd.Series(
        [700.0, 700.0, 400.0, 700.0], index=pd.date_range("2024-04-18", periods=4, freq="D")
    )
    alerts = [
        dict(id=1, day=date(2024, 4, 20), baseline_cents=70000, actual_cents=40000, drop_pct=42.9,
             status="open"),
        dict(id=2, day=date(2024, 1, 1), baseline_cents=1, actual_cents=0, drop_pct=100.0,
             status="open"),
    ]  # fmt: skip
    fig = alert_chart(series, alerts, selected_id=1)
    revenue, expected, marked = fig["data"]
    assert list(expected["y"]) == [700.0]
    assert list(marked["y"]) == [400.0]  # the January alert is outside the window
    assert [list(c) for c in marked["customdata"]] == [[42.9, "open"]]
    empty = alert_chart(series.iloc[0:0], alerts, 1)
    assert empty["layout"]["annotations"][0]["text"].startswith("No")


def test_alert_rows_show_money_and_drivers_as_text():
    stored = {
        "id": 7,
        "day": date(2024, 4, 20),
        "scope": "country",
        "key": "France",
        "baseline_cents": 40000,
        "actual_cents": 10000,
        "drop_pct": 75.0,
        "score": -99.5,
        "status": "acknowledged",
        "drivers": [{"dimension": "product", "key": "P1", "lost_cents": 30000}],
    }
    (row,) = alert_rows([stored])
    assert row["row_id"] == "7" and row["day"] == "2024-04-20"
    assert (row["baseline"], row["actual"]) == (400.0, 100.0)
    assert row["status_label"] == "Acknowledged"
    assert row["drivers_text"] == "P1 (product) −$300.00"
    assert drivers_text([]) == ""
