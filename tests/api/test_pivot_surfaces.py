"""/api/pivot and `python -m dashapp pivot` give the pivot of tests/analytics/test_pivot.py's
shop (its docstring has the arithmetic), with the filters, and refuse what cannot be asked."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dashapp.cli import cli
from dashapp.importer import import_csv
from tests.analytics.test_pivot import SHOP
from tests.api.conftest import api_for, error_of
from tests.databases import migrated_engine


@pytest.fixture(scope="module")
def shop_api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pivot-api")
    path = folder / "shop.csv"
    path.write_text(SHOP, encoding="utf-8")
    with migrated_engine("sqlite", folder) as engine:
        assert import_csv(engine, path).rejects == []
        yield api_for(engine)


def test_api_state_by_year_with_totals(shop_api):
    body = shop_api.get("/api/pivot?rows=state&columns=year&measure=revenue").get_json()
    assert body == {
        "rows_dimension": "state",
        "columns_dimension": "year",
        "measure": "revenue",
        "kind": "money",
        "columns": ["2024", "2025"],
        "rows": [
            {"label": "New York", "values": [300.0, None], "total": 300.0},
            {"label": "California", "values": [110.0, 50.0], "total": 160.0},
        ],
        "totals": {"values": [410.0, 50.0], "total": 460.0},
        "rows_found": 2,
        "columns_found": 2,
    }


def test_api_margin_is_null_where_no_cost_is_known_and_filters_apply(shop_api):
    body = shop_api.get("/api/pivot?rows=region&columns=year&measure=margin").get_json()
    # West 24.00 / 110.00 = 21.82 %, East -60.00 / 300.00 = -20.00 %; 2025 has no cost: null.
    assert [(r["label"], r["values"]) for r in body["rows"]] == [
        ("West", [21.82, None]),
        ("East", [-20.0, None]),
    ]
    assert body["kind"] == "percent"
    only_2025 = shop_api.get("/api/pivot?rows=city&start=2025-01-01").get_json()
    # Only A3 (San Diego, 50.00) is left; A4 is cancelled. No columns: one Total per row.
    assert only_2025["rows"] == [{"label": "San Diego", "values": [], "total": 50.0}]
    assert only_2025["totals"] == {"values": [], "total": 50.0}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("rows=planet", "rows"),
        ("rows=state&columns=state", "columns"),
        ("measure=happiness", "measure"),
        ("max_rows=0", "max_rows"),
        ("max_columns=61", "max_columns"),
    ],
)
def test_api_refuses_what_cannot_be_asked(shop_api, query, field):
    response = shop_api.get(f"/api/pivot?{query}")
    assert response.status_code == 400
    assert error_of(response)["field"] == field


def test_api_mirrors_the_pivot_modules_choices():
    from dashapp.analytics import pivot
    from dashapp.api import routes

    assert tuple(pivot.DIMENSIONS) == routes.PIVOT_DIMENSIONS
    assert tuple(pivot.MEASURES) == routes.PIVOT_MEASURES


def _cli(shop_api, *args):
    url = shop_api.engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(cli, ["--database-url", url, "pivot", *args])


def test_cli_prints_the_same_table_as_the_api(shop_api):
    result = _cli(shop_api, "--rows", "state", "--columns", "year")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines() if not line.startswith("-")]
    assert lines == [
        ["State", "/", "province", "2024", "2025", "Total"],
        ["New", "York", "300.00", "-", "300.00"],
        ["California", "110.00", "50.00", "160.00"],
        ["Total", "410.00", "50.00", "460.00"],
    ]
    as_json = json.loads(_cli(shop_api, "--rows", "region", "--measure", "profit", "--json").output)
    # West 24.00, East -60.00, in all -36.00 (exact strings, not floats).
    assert as_json["rows"] == [["West", "24.00"], ["East", "-60.00"], ["Total", "-36.00"]]


def test_cli_csv_says_when_rows_were_left_out(shop_api):
    result = _cli(shop_api, "--rows", "product", "--max-rows", "1", "--csv", "-")
    assert result.exit_code == 0, result.output
    # Table 300.00 shown; Chair 150.00 and Paper 10.00 left out but in the total 460.00.
    assert result.stdout.splitlines() == ["Product,Total", "Table (Table),300.00", "Total,460.00"]
    assert "Showing 1 of 3 rows (largest first); totals count them all." in result.stderr


def test_cli_refuses_rows_equal_to_columns(shop_api):
    result = _cli(shop_api, "--rows", "city", "--columns", "city")
    assert result.exit_code == 2
    assert "rows and columns are the same dimension" in result.output
    assert _cli(shop_api, "--rows", "planet").exit_code == 2
