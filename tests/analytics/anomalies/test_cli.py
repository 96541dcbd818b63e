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


def test_scan_window_option_and_what_was_not_scored(engine):
    # steady.py: 1 Mar..29 Apr; the last day (29 Apr) is not scored, the drop is on 20 Apr.
    seed_steady(engine, drop=True)
    first = run_cli(engine, "detect-anomalies")
    assert first.exit_code == 0, first.output
    assert "Scanned 2024-03-01 to 2024-04-28 (all the data: the first check)." in first.stdout
    assert "Not scored: 2024-04-29. A day is scored once orders dated on a later day" in (
        first.stdout
    )
    # The last 5 complete days, 24..28 Apr, miss the drop of the 20th.
    recent = run_cli(engine, "detect-anomalies", "--scan", "5", "--json")
    data = json.loads(recent.stdout)
    assert data["scanned"]["from"] == "2024-04-24" and data["found"] == 0
    assert data["not_scored"] == {"from": "2024-04-29", "to": "2024-04-29"}
    everything = run_cli(engine, "detect-anomalies", "--scan", "all", "--json")
    assert json.loads(everything.stdout)["found"] == 3
    bad = run_cli(engine, "detect-anomalies", "--scan", "lately")
    assert bad.exit_code == 2 and "scan must be 'new', 'all' or a number of days" in bad.output
