"""GET /api/anomalies (needs dashapp.analytics.anomalies), on alerts written straight into
the table."""

import json
from datetime import date

import pytest
from sqlalchemy import insert

import dashapp.analytics.anomalies  # noqa: F401
from dashapp.store.models import Alert
from tests.api.conftest import api_for
from tests.tiny import alert_row

DRIVER = {"dimension": "country", "key": "USA", "baseline_cents": 10000}
DRIVER |= {"actual_cents": 0, "lost_cents": 10000}


# Two stored alerts: (scope, key, day, baseline, actual, drop, score, status, drivers).
ALERT_FIELDS = ("scope", "key", "day", "baseline_cents", "actual_cents", "drop_pct", "score")
ALERT_FIELDS += ("status", "drivers")
ALERTS = [
    ("category", "Classic Cars", date(2024, 1, 20), 12345, 0, 1.0, 5.5, "open", [DRIVER]),
    ("total", "All", date(2024, 1, 21), 20000, 5000, 0.75, 3.0, "resolved", None),
]


@pytest.fixture
def alerts_api(engine):
    rows = [dict(zip(ALERT_FIELDS, alert, strict=True)) for alert in ALERTS]
    for row in rows:
        row["drivers"] = None if row["drivers"] is None else json.dumps(row["drivers"])
    with engine.begin() as conn:
        conn.execute(insert(Alert), [alert_row(**row) for row in rows])
    return api_for(engine)


def test_alerts_newest_first_with_money_in_currency_units(alerts_api):
    rows = alerts_api.get("/api/anomalies").get_json()["rows"]
    assert [(r["scope"], r["day"], r["baseline"], r["actual"]) for r in rows] == [
        ("total", "2024-01-21", 200.0, 50.0),
        ("category", "2024-01-20", 123.45, 0.0),
    ]
    assert rows[1]["drivers"] == [
        {"dimension": "country", "key": "USA", "baseline": 100.0, "actual": 0.0, "lost": 100.0}
    ]


@pytest.mark.parametrize(
    "query, keys",
    [("status=open", ["Classic Cars"]), ("scope=total", ["All"]), ("limit=1", ["All"])]
    + [("key=Classic%20Cars", ["Classic Cars"]), ("status=acknowledged", [])],
)
def test_alert_filters(alerts_api, query, keys):
    rows = alerts_api.get(f"/api/anomalies?{query}").get_json()["rows"]
    assert [r["key"] for r in rows] == keys


def test_order_filters_do_not_apply_to_alerts(alerts_api):
    r = alerts_api.get("/api/anomalies?country=France")
    assert r.status_code == 400
    assert r.get_json()["error"]["field"] == "country"
