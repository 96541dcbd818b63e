"""GET /api/forecast on the tiny data set (needs dashapp.analytics.forecasting)."""

import pytest

import dashapp.analytics.forecasting  # noqa: F401


def test_seasonal_naive_repeats_the_last_week(api):
    body = api.get("/api/forecast?model=naive&horizon=7&level=80").get_json()
    # History runs to the last order day, 2024-02-05 (O4, 99.99); the 6 days before it have
    # no sales, so the naive forecast for the next week is 0 x 6 and then 99.99.
    assert (body["model"], body["horizon"], body["level"]) == ("naive", 7, 0.8)
    assert body["history_end"] == "2024-02-05"
    points = body["forecast"]
    assert [p["date"] for p in points] == [f"2024-02-{d:02d}" for d in range(6, 13)]
    assert [p["mean"] for p in points] == [0, 0, 0, 0, 0, 0, 99.99]


def test_units_measure(api):
    body = api.get("/api/forecast?model=naive&horizon=7&measure=units").get_json()
    assert body["measure"] == "units"
    assert body["forecast"][-1]["mean"] == 1  # O4's one unit


def test_too_short_history_is_a_clear_400(api):
    # 2024-01-20 .. 2024-02-05 is 17 days; a weekly model needs 28.
    r = api.get("/api/forecast?start=2024-01-20&end=2024-02-05")
    assert r.status_code == 400
    assert "Not enough history" in r.get_json()["error"]["reason"]


@pytest.mark.parametrize(
    "query, field",
    [("horizon=6", "horizon"), ("horizon=366", "horizon"), ("model=prophet", "model")]
    + [("level=85", "level"), ("measure=profit", "measure")],
)
def test_bad_forecast_parameters(api, query, field):
    r = api.get(f"/api/forecast?{query}")
    assert r.status_code == 400
    assert r.get_json()["error"]["field"] == field
