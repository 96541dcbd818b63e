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


@pytest.fixture
def alerts_api(engine):
    with engine.begin() as conn:
        conn.execute(
            insert(Alert),
            [
                alert_row(
                    scope="category",
                    key="Classic Cars",
                    day=date(2024, 1, 20),
                    baseline_cents=12345,
                    actual_cents=0,
                    drop_pct=1.0,
                    score=5.5,
                    drivers=json.dumps([DRIVER]),
                ),
                alert_row(
                    scope="total",
                    key="All",
                    day=date(2024, 1, 21),
                    baseline_cents=20000,
                    actual_cents=5000,
                    drop_pct=0.75,
                    score=3.0,
                    status="resolved",
                    drivers=None,
                ),
            ],
        )
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
