"""KPI alert rules judged over the hand-made shop of tests/alerts/shop.py, on both backends:
complete periods only, one alert per rule and period, resolved when later data lifts the
value, and reopened rather than duplicated."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text

from dashapp.alerts import RuleDraft, add_rule, check_rules, list_kpi_alerts
from dashapp.analytics.anomalies import run_check
from dashapp.store.models import KpiAlert
from dashapp.store.rollups import rebuild as rebuild_rollups
from dashapp.targets import TargetDraft, set_target
from tests.alerts.shop import (
    FRANCE,
    MANAGER,
    PLANES_ID,
    PLANES_IN_FRANCE,
    TODAY,
    add_orders,
    seed_all,
    seed_base,
    seed_later,
)


def _alerts(engine) -> list[dict]:
    with engine.connect() as conn:
        return list_kpi_alerts(conn, MANAGER)


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(KpiAlert.__table__))


def test_a_week_is_judged_once_complete_never_while_its_orders_may_still_arrive(engine):
    seed_base(engine)
    add_rule(engine, PLANES_IN_FRANCE, MANAGER)
    # Data to Sun 10 March: the last complete day is Sat 9, so the week of 4 March (Planes in
    # France 400.00 + 400.00 = 800.00, below 1,000.00) is not complete and not judged; the
    # latest complete week, 26 Feb - 3 Mar, holds 4 x 300.00 = 1,200.00: nothing fires.
    first = check_rules(engine, today=TODAY)
    assert (first.judged, first.fired) == (1, ())
    assert _alerts(engine) == []
    # Orders of 11 and 13 March arrive: the last complete day is Tue 12, the week of 4 March
    # is complete and fires at 800.00. The week of 11 March (100.00 so far) is not complete.
    seed_later(engine)
    second = check_rules(engine, today=TODAY)
    [alert] = _alerts(engine)
    assert second.fired == (
        (
            alert["id"],
            "Planes in France: 2024-03-04 to 2024-03-10: $800.00, below $1,000.00",
        ),
    )
    assert (alert["period_start"], alert["period_end"]) == (date(2024, 3, 4), date(2024, 3, 10))
    assert (alert["value"], alert["threshold"], alert["status"]) == (800.0, 1000.0, "open")
    assert alert["note"] == "fired on 2024-03-20: $800.00, below $1,000.00"


def test_no_duplicate_and_later_data_updates_resolves_then_reopens_the_alert(engine):
    seed_all(engine)
    add_rule(engine, PLANES_IN_FRANCE, MANAGER)
    check_rules(engine, today=TODAY)
    again = check_rules(engine, today=TODAY)
    assert (again.fired, again.resolved, again.updated, _count(engine)) == ((), (), (), 1)
    # +50.00 on Sat 9 March: 850.00, still below 1,000.00: the same alert, a new figure.
    add_orders(engine, 20, [(date(2024, 3, 9), FRANCE, "France", PLANES_ID, 5000)])
    moved = check_rules(engine, today=TODAY)
    [alert] = _alerts(engine)
    assert moved.updated == (
        (
            alert["id"],
            "updated on 2024-03-20: now $850.00 (was $800.00), still below $1,000.00",
        ),
    )
    assert (alert["status"], alert["value"], moved.fired) == ("open", 850.0, ())
    # +250.00 more on Sat 9 March: the week now holds 850.00 + 250.00 = 1,100.00, no longer
    # below 1,000.00.
    add_orders(engine, 21, [(date(2024, 3, 9), FRANCE, "France", PLANES_ID, 25000)])
    later = check_rules(engine, today=TODAY)
    [alert] = _alerts(engine)
    note = "resolved on 2024-03-20: now $1,100.00 (was $850.00), no longer below $1,000.00"
    assert later.resolved == ((alert["id"], note),)
    assert (alert["status"], alert["value"], alert["note"]) == ("resolved", 1100.0, note)
    assert later.fired == () and _count(engine) == 1
    # The 250.00 order is cancelled: 850.00 again, below 1,000.00: the same alert reopens.
    with engine.begin() as conn:
        for table in ("orders", "order_lines"):
            key = "id" if table == "orders" else "order_id"
            conn.execute(text(f"UPDATE {table} SET status = 'Cancelled' WHERE {key} = 21"))
        rebuild_rollups(conn)
    again = check_rules(engine, today=TODAY)
    [alert] = _alerts(engine)
    assert again.fired == (
        (alert["id"], "Planes in France: 2024-03-04 to 2024-03-10: $850.00, below $1,000.00"),
    )
    assert (alert["status"], alert["note"], _count(engine)) == (
        "open",
        "fired again on 2024-03-20: $850.00, below $1,000.00",
        1,
    )


def test_cancellation_rate_above_a_threshold_is_compared_exactly(engine):
    seed_all(engine)
    # Week of 4 March, every order: 4, 5, 6, 7 March and the cancelled one of 8 March (Sun 10
    # has Spain's ships order too): 6 orders, 1 cancelled = 16.67 %.
    for name, threshold in (("above 5", "5"), ("above 16.66", "16.66"), ("above 16.67", "16.67")):
        add_rule(
            engine,
            RuleDraft(name, "cancellation_rate", threshold, "above", "week"),
            MANAGER,
        )
    # Judged by the anomaly check itself (the button, after an import, the command line).
    check = run_check(engine, today=TODAY)
    result = check.rules
    assert check.as_json()["kpi_alerts"]["fired"] == [{"id": i, "text": t} for i, t in result.fired]
    texts = sorted(text for _, text in result.fired)
    # 1/6 = 16.666...%: above 5 % and above 16.66 %, not above 16.67 %.
    assert texts == [
        "above 16.66: 2024-03-04 to 2024-03-10: 16.67 %, above 16.66 %",
        "above 5: 2024-03-04 to 2024-03-10: 16.67 %, above 5.00 %",
    ]


def test_behind_target_by_more_than_uses_the_target_cards_run_rate(engine):
    seed_all(engine)
    set_target(engine, TargetDraft("2024-03", "revenue", "10,000.00"), MANAGER)
    for name, threshold in (("behind 10", "10"), ("behind 40", "40")):
        add_rule(
            engine,
            RuleDraft(name, "revenue", threshold, "behind_target", "month_to_date"),
            MANAGER,
        )
    result = check_rules(engine, today=TODAY)
    # March to Tue 12 (the last complete day): 400 + 500 + 400 + 1,000 + 200 (10th) + 100
    # (11th) = 2,600.00 in 12 of 31 days: run-rate 2,600.00 x 31 / 12 = 6,716.67; the target
    # 10,000.00: (10,000.00 - 6,716.67) / 10,000.00 = 32.83 % behind, more than 10 %, not 40 %.
    [(alert_id, text)] = result.fired
    assert text == (
        "behind 10: 2024-03-01 to 2024-03-12: run-rate $6,716.67 against the target "
        "$10,000.00 (32.83 % behind), behind target by more than 10.00 %"
    )
    [alert] = _alerts(engine)
    assert (alert["id"], alert["value"], alert["target"]) == (alert_id, 6716.67, 10000.0)


def test_a_month_before_the_data_and_a_switched_off_rule_are_not_judged(engine):
    from dashapp.alerts import set_rule_enabled

    seed_all(engine)
    add_rule(engine, RuleDraft("behind", "revenue", "10", "behind_target", "month"), MANAGER)
    # The latest complete month is February, which starts before the data (26 Feb): not a
    # month of sales, so nothing is judged.
    assert check_rules(engine, today=TODAY).judged == 0
    rule = add_rule(engine, PLANES_IN_FRANCE, MANAGER)
    set_rule_enabled(engine, rule.id, "off", MANAGER)
    assert check_rules(engine, today=TODAY).judged == 0
    assert _count(engine) == 0
