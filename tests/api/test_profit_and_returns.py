"""/api/kpis, its OpenAPI document and `python -m dashapp kpis --json` give the money behind
revenue with one definition (dashapp.analytics.kpis), on the shop of
tests/store/test_finance_rollups.py. March 2024, worked out by hand there and in
tests/analytics/test_returns_and_costs.py: net revenue 140.00 (230.00 of sales, 90.00
returned), discounts 10.00, cost 60.00 on 90.00 of costed revenue: profit 30.00, margin
0.3333, cost known for 180.00 of 230.00 gross sales = 0.7826.
"""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import api_for
from tests.cli_runner import run_cli
from tests.store.test_finance_rollups import seeded

MARCH = {
    "revenue": 140.0,
    "net_revenue": 140.0,
    "gross_sales": 230.0,
    "returns": 90.0,
    "returned_units": 1,
    "discounts": 10.0,
    "cost": 60.0,
    "profit": 30.0,
    "margin": 0.3333,
    "cost_coverage": 0.7826,
    "profit_note": None,
    "units": 2,  # 3 sold - 1 returned
    "orders": 2,
}
NEW_FIELDS = (
    "net_revenue",
    "gross_sales",
    "returns",
    "returned_units",
    "discounts",
    "cost",
    "profit",
    "margin",
    "cost_coverage",
    "profit_note",
)


@pytest.fixture
def shop(engine):
    return seeded(engine)


def test_the_api_gives_the_money_behind_revenue(shop):
    api = api_for(shop)
    body = api.get("/api/kpis?start=2024-03-01&end=2024-03-31").get_json()
    assert {k: body["current"][k] for k in MARCH} == MARCH
    # The 31 days before (30 Jan - 29 Feb) hold nothing: profit n/a, and why.
    previous = body["previous"]
    assert (previous["profit"], previous["margin"], previous["cost"]) == (None, None, None)
    assert previous["profit_note"] == "n/a: no cost is known for these orders"


def test_the_openapi_document_lists_them(shop):
    document = api_for(shop).get("/api/openapi.json").get_json()
    schema = document["paths"]["/api/kpis"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    while "$ref" in schema:
        *_, section, name = schema["$ref"].split("/")
        schema = document["components"][section][name]
    current = schema["properties"]["current"]
    while "$ref" in current:
        *_, section, name = current["$ref"].split("/")
        current = document["components"][section][name]
    assert set(NEW_FIELDS) <= set(current["properties"])
    assert current["properties"]["margin"]["nullable"] is True


def test_the_cli_prints_the_same_numbers(shop):
    result = run_cli(shop, "kpis", "--json", "--start", "2024-03-01", "--end", "2024-03-31")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: data[k] for k in MARCH} == MARCH
    text = run_cli(shop, "kpis", "--start", "2024-03-01", "--end", "2024-03-31").output
    assert "Profit                        30.00" in text
    assert "Margin                       33.33%" in text
