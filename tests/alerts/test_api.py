"""/api/alert-rules and the KPI alerts of /api/anomalies on SQLite and PostgreSQL: a manager
adds and removes rules, a sales user is refused whatever it sends, a bad rule is named field
by field, and the fired alert is the domain's (tests/alerts/shop.py's week of 4 March)."""

from __future__ import annotations

from sqlalchemy import func, select

import dashapp.api.schemas as schemas
from dashapp.alerts import METRICS, check_rules
from dashapp.alerts.metrics import COUNT, MONEY, PERCENT
from dashapp.alerts.periods import PERIODS
from dashapp.alerts.rules import COMPARISONS
from dashapp.store.models import AlertRule
from tests.alerts.shop import TODAY, seed_all
from tests.api.conftest import api_for, error_of

RULE = {
    "name": "<b>Planes</b> in France",
    "metric": "revenue",
    "threshold": 1000,
    "filter": "category=Planes&country=France",
}


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(AlertRule.__table__))


def test_the_documents_choices_are_the_domains():
    assert tuple(METRICS) == schemas.ALERT_RULE_METRICS
    assert schemas.ALERT_RULE_PERIODS == PERIODS
    assert schemas.ALERT_RULE_COMPARISONS == COMPARISONS
    assert schemas.ALERT_RULE_UNITS == (MONEY, COUNT, PERCENT)


def test_rules_through_the_api(engine):
    seed_all(engine)
    api = api_for(engine)
    refused = api.post("/api/alert-rules", RULE, role="sales")
    assert refused.status_code == 403 and _count(engine) == 0
    assert api.get("/api/alert-rules", role="sales").status_code == 403

    bad = api.post("/api/alert-rules", {**RULE, "metric": "revnue", "filter": "x"}, "manager")
    assert bad.status_code == 400
    assert [d["field"] for d in error_of(bad)["errors"]] == ["metric", "filter"]
    assert _count(engine) == 0

    added = api.post("/api/alert-rules", RULE, role="manager")
    assert added.status_code == 201, added.get_json()
    rule = added.get_json()
    assert (rule["name"], rule["threshold"], rule["unit"], rule["period"]) == (
        "<b>Planes</b> in France",  # as typed: data, never markup
        1000.0,
        "money",
        "week",
    )
    assert [r["id"] for r in api.get("/api/alert-rules").get_json()["rows"]] == [rule["id"]]

    check_rules(engine, today=TODAY)
    answer = api.get("/api/anomalies?status=open").get_json()
    [alert] = answer["kpi_alerts"]
    # Week of 4 March, Planes in France: 400.00 + 400.00 = 800.00, below 1,000.00.
    assert (alert["value"], alert["threshold"], alert["period_start"]) == (
        800.0,
        1000.0,
        "2024-03-04",
    )
    assert alert["text"] == (
        "<b>Planes</b> in France: 2024-03-04 to 2024-03-10: $800.00, below $1,000.00"
    )

    delete = f"/api/alert-rules/{rule['id']}"
    assert api.get(delete).get_json() == {**rule, "checked_through": "2024-03-04"}
    assert api.get(delete, role="sales").status_code == 403
    assert api.client.delete(delete, headers=api.headers("sales")).status_code == 403
    gone = api.client.delete(delete, headers=api.headers("manager"))
    assert (gone.status_code, gone.get_json()) == (200, {"deleted": rule["id"]})
    assert api.client.delete(delete, headers=api.headers("manager")).status_code == 404
    assert api.get(delete).status_code == 404
    assert _count(engine) == 0
    assert api.get("/api/anomalies").get_json()["kpi_alerts"] == []
