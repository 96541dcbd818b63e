"""`python -m dashapp detect-anomalies` on the steady fixture (steady.py here)."""

import json

from tests.analytics.anomalies.steady import seed_steady
from tests.cli_runner import run_cli


def test_detect_anomalies_json_then_text(engine):
    seed_steady(engine, drop=True)
    first = run_cli(engine, "detect-anomalies", "--json")
    second = run_cli(engine, "detect-anomalies")
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert (data["found"], data["new"]) == (3, 3)
    assert {(a["scope"], a["key"]) for a in data["alerts"]} == {
        ("category", "Cars"),
        ("product", "P1"),
        ("country", "France"),
    }
    assert data["alerts"][0]["day"] == "2024-04-20"
    assert second.exit_code == 0 and "3 anomalies found, 0 new" in second.output


def test_thresholds_and_bad_options(engine):
    seed_steady(engine, drop=True)
    loose = run_cli(engine, "detect-anomalies", "--min-drop", "0.4", "--scope", "total", "--json")
    assert json.loads(loose.stdout)["new"] == 1  # the business: 700.00 -> 400.00, 42.9 %
    assert run_cli(engine, "detect-anomalies", "--min-drop", "2").exit_code == 2
    assert run_cli(engine, "detect-anomalies", "--since", "April").exit_code == 2


def test_unreachable_webhook_is_reported_not_fatal(engine):
    seed_steady(engine, drop=True)
    result = run_cli(engine, "detect-anomalies", "--webhook", "http://127.0.0.1:9/x")
    assert result.exit_code == 0
    assert "3 anomalies found, 3 new" in result.stdout
    assert "Webhook not delivered" in result.stderr
