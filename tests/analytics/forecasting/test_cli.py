"""`python -m dashapp forecast` on the tiny data set (history 2023-01-12..2024-02-05)."""

import json

from tests.cli_runner import run_cli


def test_forecast_json(tiny_engine):
    result = run_cli(tiny_engine, "forecast", "--horizon", "14", "--model", "naive", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["model"], data["level"], data["horizon"]) == ("naive", 0.8, 14)
    points = data["forecast"]
    assert [p["date"] for p in points[:2]] == ["2024-02-06", "2024-02-07"]
    # Seasonal naive repeats the last week (2024-01-30..02-05): only 02-05 sold, 99.99.
    assert [p["mean"] for p in points[:7]] == [0, 0, 0, 0, 0, 0, 99.99]
    # 390 days -> holdout of min(4, 78 // 7) = 4 weeks, starting 2024-01-09.
    assert data["backtest"]["holdout_days"] == 28
    assert data["backtest"]["holdout_start"] == "2024-01-09"


def test_forecast_text_table(tiny_engine):
    result = run_cli(tiny_engine, "forecast", "--horizon", "7", "--model", "naive", "--level", "95")
    assert result.exit_code == 0, result.output
    assert "model naive" in result.output
    assert "Backtest on the last 28 days" in result.output
    assert "2024-02-12" in result.output and "99.99" in result.output


def test_too_short_history_is_a_clear_error(tiny_engine):
    # Motorcycles up to 2024-01-01: 2023-12-20..2024-01-01 is 13 days.
    result = run_cli(tiny_engine, "forecast", "--category", "Motorcycles", "--end", "2024-01-01")
    assert result.exit_code == 1
    assert "Not enough history" in result.stderr and "13 day(s)" in result.stderr


def test_bad_options(tiny_engine):
    horizon = run_cli(tiny_engine, "forecast", "--horizon", "400")
    model = run_cli(tiny_engine, "forecast", "--model", "prophet")
    level = run_cli(tiny_engine, "forecast", "--level", "85")
    assert horizon.exit_code == model.exit_code == level.exit_code == 2
    assert "between 7 and 365" in horizon.output
