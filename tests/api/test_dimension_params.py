"""The region, state, city, segment, sub-category and ship-mode filters through the API and the
CLI (issue 19 items 2 and 6): the same hand-worked numbers from both, on the geo shop
(tests/geo_shop.py), and bad values refused with the field named."""

import json

import pytest

from tests.api.conftest import api_for, error_of
from tests.cli_runner import run_cli
from tests.conftest import BACKENDS
from tests.databases import seeded_engine
from tests.geo_shop import seed_geo_shop

# query -> CLI options, (revenue, orders, customers, units), worked out in tests/geo_shop.py
CASES = [
    # NY: G1 120.00 + G5 30.00 (G4 cancelled); Acme and Cole; 1 + 2 + 3 units.
    ("state=NY", ["--state", "NY"], (150.0, 2, 2, 6)),
    # Both states: 450.00, Acme (in both) counted once: 3 customers.
    ("state=NY&state=CA", ["--state", "NY", "--state", "CA"], (450.0, 4, 3, 8)),
    ("region=West", ["--region", "West"], (300.0, 2, 2, 2)),
    ("city=New+York", ["--city", "New York"], (120.0, 1, 1, 3)),
    # The order's segment: G2 (Acme, a Consumer on record) + G3 = 300.00.
    ("segment=Corporate", ["--segment", "Corporate"], (300.0, 2, 2, 2)),
    ("subcategory=Chairs", ["--subcategory", "Chairs"], (200.0, 2, 2, 2)),
    # G1's PEN 20.00 + G5's PEN 30.00: only the lines shipped First.
    ("ship_mode=First", ["--ship-mode", "First"], (50.0, 2, 2, 5)),
]


@pytest.fixture(scope="module", params=BACKENDS)
def geo(request, tmp_path_factory):
    with seeded_engine(request.param, tmp_path_factory.mktemp("geo"), seed_geo_shop) as engine:
        yield engine


@pytest.fixture(scope="module")
def geo_api(geo):
    return api_for(geo)


def _figures(k: dict) -> tuple:
    return k["revenue"], k["orders"], k["customers"], k["units"]


@pytest.mark.parametrize("query, options, expected", CASES, ids=[c[0] for c in CASES])
def test_api_and_cli_give_the_same_hand_worked_kpis(geo, geo_api, query, options, expected):
    r = geo_api.get(f"/api/kpis?{query}")
    assert r.status_code == 200, r.get_json()
    assert _figures(r.get_json()["current"]) == expected
    result = run_cli(geo, "kpis", "--json", *options)
    assert result.exit_code == 0, result.output
    assert _figures(json.loads(result.output)) == expected


def test_pivot_by_state_under_a_ship_mode_from_api_and_cli(geo, geo_api):
    # Standard lines not cancelled: G1's CHAIR 100.00 (NY) and G2's DESK 200.00 (CA).
    r = geo_api.get("/api/pivot?rows=state&measure=revenue&ship_mode=Standard")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    result = run_cli(
        geo, "pivot", "--rows", "state", "--measure", "revenue", "--ship-mode", "Standard", "--json"
    )
    assert result.exit_code == 0, result.output
    assert body["totals"]["total"] == 300.0
    assert {row["label"]: row["total"] for row in body["rows"]} == {"CA": 200.0, "NY": 100.0}
    # The CLI's table: the same rows and total, money as text to the cent.
    assert json.loads(result.output)["rows"] == [
        ["CA", "200.00"],
        ["NY", "100.00"],
        ["Total", "300.00"],
    ]


@pytest.mark.parametrize(
    "query, option, field, reason",
    [
        ("state=%3Cb%3ENY%3C/b%3E", ["--state", "<b>NY</b>"], "state", "must be a name"),
        ("city=" + "x" * 10_000, ["--city", "x" * 10_000], "city", "a value is at most 200"),
        (
            "&".join(f"ship_mode=m{i}" for i in range(60)),
            [a for i in range(60) for a in ("--ship-mode", f"m{i}")],
            "ship_mode",
            "at most 50 values, got 60",
        ),
    ],
    ids=["markup", "10k characters", "too many values"],
)
def test_hostile_values_are_refused_by_both_naming_the_field(
    geo, geo_api, query, option, field, reason
):
    r = geo_api.get(f"/api/kpis?{query}")
    assert r.status_code == 400
    error = error_of(r)
    assert error["field"] == field and reason in error["reason"]
    result = run_cli(geo, "kpis", "--json", *option)
    assert result.exit_code == 2
    assert f"--{field.replace('_', '-')}" in result.output and reason in result.output


def test_rfm_takes_the_order_segment_as_order_segment(geo):
    # --segment stays the RFM segment; Corporate orders are Acme's G2 and Bolt's G3.
    result = run_cli(geo, "rfm", "--json", "--order-segment", "Corporate")
    assert result.exit_code == 0, result.output
    customers = {c["name"] for c in json.loads(result.output)["customers"]}
    assert customers == {"Acme", "Bolt"}
