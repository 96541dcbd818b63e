"""RFM on the public order-line export, against SPEC §3 and the issue's published figures.

The export is loaded by the shared `sample_engine` fixture (tests/conftest.py), through the
importer as a user would load it.
"""

import json

from click.testing import CliRunner

from dashapp.cli import cli
from dashapp.filters import Filters
from dashapp.segments import rfm_period_end, rfm_scores, segment_summary


def test_all_92_customers_are_scored(sample_engine):
    with sample_engine.connect() as conn:
        scores = rfm_scores(conn, Filters())
        end = rfm_period_end(conn, Filters())
    assert end.isoformat() == "2005-05-31"  # SPEC §3: the data runs 2003-01-06..2005-05-31
    assert len(scores) == 92
    assert scores["customer_id"].is_unique
    summary = segment_summary(scores)
    assert summary["customers"].sum() == 92
    # SPEC §3: revenue 9,838,141.37 over 303 orders, whichever segment they fall in.
    assert summary["revenue_cents"].sum() == 983814137
    assert summary["orders"].sum() == 303


def test_top_customer_by_monetary_value(sample_engine):
    with sample_engine.connect() as conn:
        scores = rfm_scores(conn, Filters())
    top = scores.iloc[0]
    assert (top["name"], top["monetary_cents"]) == ("Euro Shopping Channel", 86228346)
    assert (top["m"], top["f"]) == (5, 5)


def test_cli_json_gives_the_same_top_customer(sample_engine):
    url = sample_engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--database-url", url, "rfm", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["customers"]) == 92
    assert data["customers"][0]["name"] == "Euro Shopping Channel"
    assert data["customers"][0]["monetary"] == 862283.46
    assert sum(s["customers"] for s in data["segments"]) == 92
