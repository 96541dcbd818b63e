"""`python -m dashapp alerts add|list|check|remove` on one SQLite database (the domain's own
tests cover both backends): the same alert as the page (tests/alerts/shop.py), a bad rule
named field by field with nothing changed."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from dashapp.store.models import AlertRule
from tests.alerts.shop import seed_all
from tests.cli_runner import run_cli
from tests.databases import migrate


def _rules(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(AlertRule.__table__))


def test_add_check_list_and_remove_a_rule(new_engine):
    engine = new_engine("alerts-cli")
    migrate(engine)
    seed_all(engine)
    bad = run_cli(engine, "alerts", "add", "x", "revnue", "below", "ten", "--filter", "colour=1")
    assert bad.exit_code == 1
    assert "Nothing was changed:" in bad.output
    assert "metric: Unknown metric 'revnue' (did you mean 'revenue'?)" in bad.output
    assert "filter: Filter: unknown name 'colour'" in bad.output
    assert _rules(engine) == 0

    added = run_cli(
        engine,
        "alerts",
        "add",
        "Planes in France",
        "revenue",
        "below",
        "1000",
        "--filter",
        "country=France&category=Planes",
    )
    assert added.exit_code == 0, added.output
    assert added.output == (
        "Added rule 1, Planes in France: Revenue of category Planes and country France, per "
        "week, below $1,000.00\n"
    )
    checked = run_cli(engine, "alerts", "check", "--today", "2024-03-20")
    assert checked.exit_code == 0, checked.output
    # Week of 4 March, Planes in France: 400.00 + 400.00 = 800.00 (tests/alerts/shop.py).
    assert checked.output.splitlines()[:2] == [
        "1 rule(s), 1 period(s) judged, 1 alert(s) fired, 0 resolved",
        "  fired: Planes in France: 2024-03-04 to 2024-03-10: $800.00, below $1,000.00",
    ]
    fired = run_cli(engine, "alerts", "list", "--fired", "--json")
    [alert] = json.loads(fired.output)
    assert (alert["value"], alert["status"], alert["period_start"]) == (800.0, "open", "2024-03-04")
    removed = run_cli(engine, "alerts", "remove", "1")
    assert removed.output == "Removed rule 1, Planes in France\n"
    assert run_cli(engine, "alerts", "list").output == "No alert rules.\n"
    gone = run_cli(engine, "alerts", "remove", "1")
    assert gone.exit_code == 1 and "No alert rule with id 1" in gone.output
