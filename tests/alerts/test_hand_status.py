"""A fired KPI alert acknowledged, resolved or reopened by hand (issue 20), on both backends,
over the hand-made shop of tests/alerts/shop.py: Planes in France, week of 4 March 2024,
400.00 + 400.00 = 800.00 below the rule's 1,000.00. The check respects the choice; only admins
and managers make it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dashapp.alerts import (
    RuleAccessError,
    add_rule,
    check_rules,
    list_kpi_alerts,
    set_kpi_alert_status,
)
from dashapp.alerts.periods import Window
from dashapp.store.models import AuditLog
from tests.alerts.shop import (
    ADMIN,
    FRANCE,
    MANAGER,
    PLANES_ID,
    PLANES_IN_FRANCE,
    SALES,
    TODAY,
    VIEWER,
    add_orders,
    seed_all,
)

FIRED = "fired on 2024-03-20: $800.00, below $1,000.00"


def _fired(engine) -> dict:
    seed_all(engine)
    add_rule(engine, PLANES_IN_FRANCE, MANAGER)
    check_rules(engine, today=TODAY)
    [alert] = _alerts(engine)
    assert (alert["status"], alert["note"]) == ("open", FIRED)
    return alert


def _alerts(engine) -> list[dict]:
    with engine.connect() as conn:
        return list_kpi_alerts(conn, MANAGER)


def test_acknowledged_stays_acknowledged_while_it_holds_and_resolves_itself(engine):
    alert = _fired(engine)
    done = set_kpi_alert_status(engine, alert["id"], "acknowledged", MANAGER, today=TODAY)
    note = f"acknowledged by max on 2024-03-20; {FIRED}"
    assert done == {
        "id": alert["id"],
        "rule": "Planes in France",
        "window": Window(date(2024, 3, 4), date(2024, 3, 10)),
        "status": "acknowledged",
        "note": note,
        "changed": True,
    }
    [alert] = _alerts(engine)
    assert (alert["status"], alert["note"]) == ("acknowledged", note)
    # The same figures again: nothing to say, the acknowledgement stands.
    again = check_rules(engine, today=TODAY)
    assert (again.fired, again.updated, again.resolved) == ((), (), ())
    assert _alerts(engine)[0]["status"] == "acknowledged"
    # +50.00 on Sat 9 March: 850.00, still below: the figure moves, still acknowledged.
    add_orders(engine, 20, [(date(2024, 3, 9), FRANCE, "France", PLANES_ID, 5000)])
    moved = check_rules(engine, today=TODAY)
    [alert] = _alerts(engine)
    assert moved.fired == () and len(moved.updated) == 1
    assert (alert["status"], alert["value"]) == ("acknowledged", 850.0)
    # +250.00 more: 1,100.00, no longer below 1,000.00: it resolves itself.
    add_orders(engine, 21, [(date(2024, 3, 9), FRANCE, "France", PLANES_ID, 25000)])
    check_rules(engine, today=TODAY)
    assert _alerts(engine)[0]["status"] == "resolved"


def test_resolved_by_hand_reopens_only_when_its_figures_change(engine):
    alert = _fired(engine)
    set_kpi_alert_status(engine, alert["id"], "resolved", ADMIN, today=TODAY)
    # Still 800.00 below 1,000.00, but nothing moved since the admin resolved it: it stays.
    again = check_rules(engine, today=TODAY)
    assert again.fired == ()
    [alert] = _alerts(engine)
    assert (alert["status"], alert["note"]) == (
        "resolved",
        f"resolved by ada on 2024-03-20; {FIRED}",
    )
    # +50.00 on Sat 9 March: 850.00, a new figure still below 1,000.00: it fires again.
    add_orders(engine, 20, [(date(2024, 3, 9), FRANCE, "France", PLANES_ID, 5000)])
    moved = check_rules(engine, today=TODAY)
    [alert] = _alerts(engine)
    assert moved.fired == (
        (alert["id"], "Planes in France: 2024-03-04 to 2024-03-10: $850.00, below $1,000.00"),
    )
    assert (alert["status"], alert["note"]) == (
        "open",
        "fired again on 2024-03-20: $850.00, below $1,000.00",
    )
    # And by hand: reopened, then the same status again changes nothing.
    set_kpi_alert_status(engine, alert["id"], "resolved", MANAGER, today=TODAY)
    reopened = set_kpi_alert_status(engine, alert["id"], "open", MANAGER, today=TODAY)
    assert reopened["note"].startswith("reopened by max on 2024-03-20; resolved by max")
    same = set_kpi_alert_status(engine, alert["id"], "open", MANAGER, today=TODAY)
    assert same["changed"] is False


def test_only_admins_and_managers_and_bad_requests_change_nothing(engine):
    alert = _fired(engine)
    with engine.connect() as conn:
        audit_before = conn.execute(select(AuditLog.id)).all()
    for account in (SALES, VIEWER, None):
        with pytest.raises(RuleAccessError):
            set_kpi_alert_status(engine, alert["id"], "resolved", account, today=TODAY)
    with pytest.raises(ValueError, match="status must be one of"):
        set_kpi_alert_status(engine, alert["id"], "deleted", MANAGER, today=TODAY)
    with pytest.raises(LookupError, match="No KPI alert with id 999"):
        set_kpi_alert_status(engine, 999, "resolved", MANAGER, today=TODAY)
    [after] = _alerts(engine)
    assert (after["status"], after["note"]) == ("open", FIRED)
    with engine.connect() as conn:
        assert conn.execute(select(AuditLog.id)).all() == audit_before
    # A real change leaves one audit row naming who and what.
    set_kpi_alert_status(engine, alert["id"], "acknowledged", MANAGER, today=TODAY)
    with engine.connect() as conn:
        table = AuditLog.__table__
        row = conn.execute(select(table).order_by(table.c.id.desc()).limit(1)).mappings().one()
    assert (row["username"], row["entity"], row["entity_id"]) == (
        "max",
        "kpi_alert",
        str(alert["id"]),
    )
