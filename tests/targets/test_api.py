"""/api/targets on SQLite and PostgreSQL: managers set targets all or none, a sales user is
refused (and sees only their own), bad rows are named, and the progress is the domain's, with
the March figures worked out in tests/targets/shop.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashapp.store.models import Target
from tests.api.conftest import api_for, error_of
from tests.targets.shop import SHIPS, seed_march


@pytest.fixture
def api(engine):
    seed_march(engine)
    return api_for(engine)


def _put(api, targets, role="manager"):
    return api.client.put("/api/targets", json={"targets": targets}, headers=api.headers(role))


def _count(api) -> int:
    with api.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Target.__table__))


def test_a_manager_sets_targets_and_everyone_reads_their_progress(api):
    response = _put(
        api,
        [
            {"period": "2024-03", "metric": "revenue", "amount": "10,000.00"},
            {"period": "2024-03", "metric": "orders", "amount": 40},
            {"period": "2024-03", "metric": "revenue", "scope": "category", "key": SHIPS,
             "amount": 1000.5},
        ],
    )  # fmt: skip
    assert response.status_code == 200, response.get_json()
    saved = response.get_json()["rows"]
    assert [(t["metric"], t["scope"], t["key"], t["amount"]) for t in saved] == [
        ("revenue", "business", None, 10000.0),
        ("orders", "business", None, 40),
        ("revenue", "category", SHIPS, 1000.5),  # markup is a name, returned as sent
    ]
    body = api.get("/api/targets?as_of=2024-03-10&metric=revenue", "viewer").get_json()
    assert body["as_of"] == "2024-03-10"
    business = next(r for r in body["rows"] if r["target"]["scope"] == "business")
    # 4,000.00 by 10 March of 31 days: 4,000.00 / 10 x 31 = 12,400.00 (too little history
    # for the forecast, so the linear run-rate), over 10,000.00: on track.
    assert business["actual"] == 4000.0 and business["run_rate"] == 12400.0
    assert business["projection"]["value"] == 12400.0
    assert business["projection"]["method"] == "run-rate"
    assert (business["share"], business["status"]) == (0.4, "on track")
    ships = next(r for r in body["rows"] if r["target"]["scope"] == "category")
    # <b>Ships</b>: 4 x 400.00 = 1,600.00 by 10 March, already above 1,000.50.
    assert (ships["actual"], ships["status"]) == (1600.0, "on track")


def test_a_sales_user_cannot_set_a_business_target_and_sees_only_their_own(api):
    response = _put(api, [{"period": "2024-03", "metric": "revenue", "amount": "5"}], "sales")
    assert response.status_code == 403
    assert "targets:write" in error_of(response)["reason"]
    assert _count(api) == 0
    own = {"period": "2024-03", "metric": "revenue", "scope": "user", "amount": 3000}
    assert _put(api, [{**own, "key": "sam"}]).status_code == 200
    assert _put(api, [{"period": "2024-03", "metric": "orders", "amount": 9}]).status_code == 200
    # sam (tests/targets/shop.py) entered 800.00 by 10 March: 800.00 / 10 x 31 = 2,480.00,
    # under 3,000.00: at risk. The sales-user of api_for sees no target: none is theirs.
    rows = api.get("/api/targets?as_of=2024-03-10", "sales").get_json()["rows"]
    assert rows == []
    every = api.get("/api/targets?as_of=2024-03-10", "admin").get_json()["rows"]
    sam = next(r for r in every if r["target"]["scope"] == "user")
    assert (sam["actual"], sam["run_rate"], sam["status"]) == (800.0, 2480.0, "at risk")


def test_bad_rows_are_named_and_nothing_is_set(api):
    response = _put(
        api,
        [
            {"period": "2024-03", "metric": "revenue", "amount": "100"},
            {"period": "2024-03", "metric": "orders", "amount": "0"},
            {"period": "2024-03", "metric": "revenue", "scope": "region", "key": "EMAE",
             "amount": 5},
        ],
    )  # fmt: skip
    assert response.status_code == 400
    error = error_of(response)
    assert error["field"] == "targets[1].amount"
    assert [(e["field"], e["message"]) for e in error["errors"]] == [
        ("targets[1].amount", "Amount must be greater than 0"),
        ("targets[2].key", "Unknown region 'EMAE'; did you mean 'EMEA'?"),
    ]
    assert _count(api) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"targets": []}, "targets"),
        ({"rows": []}, "body"),
        ({"targets": [{"period": "2024-03", "metric": "revenue", "amount": 1, "colour": 1}]},
         "targets[0].colour"),
        ({"targets": [{"period": ["2024-03"], "metric": "revenue", "amount": 1}]},
         "targets[0].period"),
        ({"targets": ["2024-03"]}, "targets[0]"),
    ],
)  # fmt: skip
def test_a_body_of_the_wrong_shape_is_a_400_naming_the_field(api, body, field):
    response = api.client.put("/api/targets", json=body, headers=api.headers("manager"))
    assert response.status_code == 400
    assert error_of(response)["field"] == field
    assert _count(api) == 0


def test_the_documents_choices_are_the_stores():
    from dashapp.api import schemas
    from dashapp.store import models

    assert schemas.TARGET_PERIODS == models.TARGET_PERIODS
    assert schemas.TARGET_METRICS == models.TARGET_METRICS
    assert schemas.TARGET_SCOPES == models.TARGET_SCOPES
