"""The API on the public order-line export gives the published figures (SPEC §3) and the same
KPIs as the `kpis` command.

The export is loaded by the shared `sample_engine` fixture (tests/conftest.py), through the
importer as a user would load it.
"""

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from dashapp.cli import cli
from tests.api.conftest import api_for


@pytest.fixture(scope="module")
def sample_api(sample_engine):
    """The API over the export, imported once per backend by the shared fixture."""
    return api_for(sample_engine)


def test_kpis_are_the_published_figures(sample_api):
    body = sample_api.get("/api/kpis").get_json()
    current = body["current"]
    assert current["revenue"] == 9838141.37
    assert current["orders"] == 303
    assert current["aov"] == 32469.11
    assert current["customers"] == 92
    assert body["range"] == {"start": "2003-01-06", "end": "2005-05-31"}


def test_api_and_kpis_command_agree(sample_api):
    url = sample_api.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--database-url", url, "kpis", "--json"])
    assert result.exit_code == 0, result.output
    assert sample_api.get("/api/kpis").get_json()["current"] == json.loads(result.output)
    filtered = ["--start", "2004-01-01", "--end", "2004-12-31", "--country", "France"]
    result = CliRunner().invoke(cli, ["--database-url", url, "kpis", "--json", *filtered])
    api = sample_api.get("/api/kpis?start=2004-01-01&end=2004-12-31&country=France")
    assert api.get_json()["current"] == json.loads(result.output)


def test_19_countries_and_7_product_lines(sample_api):
    countries = sample_api.get("/api/sales-by-country").get_json()["rows"]
    categories = sample_api.get("/api/sales-by-category").get_json()["rows"]
    assert len(countries) == 19
    assert len(categories) == 7
    # Both breakdowns add up to the published revenue, to the cent.
    for rows in (countries, categories):
        total = sum(Decimal(str(r["revenue"])) for r in rows)
        assert total == Decimal("9838141.37")


def test_yearly_sales_add_up_to_the_total(sample_api):
    rows = sample_api.get("/api/sales-over-time?period=year").get_json()["rows"]
    assert [r["period"] for r in rows] == ["2003-01-01", "2004-01-01", "2005-01-01"]
    assert sum(r["orders"] for r in rows) == 303
    assert sum(Decimal(str(r["revenue"])) for r in rows) == Decimal("9838141.37")
