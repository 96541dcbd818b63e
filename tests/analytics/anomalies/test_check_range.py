"""What a check scans and scores (issue 20, item 3), on hand-built steady series.

The series are steady.py's: every day France buys P1 300.00 + P2 100.00 and the USA P1 100.00
+ P2 200.00, so France, P1 and Cars make 400.00 a day and the business 700.00. With 28 equal
days before it, a day's MAD and mean absolute deviation are 0 and its score uses 1 % of the
median: (actual - 40000) / 400 for France, P1 and Cars.
"""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from dashapp.analytics.anomalies import list_alerts, run_check, scan, scan_range
from dashapp.store.models import AuditLog
from tests.analytics.anomalies.late_orders import add_order as late_order
from tests.analytics.anomalies.steady import CATALOG, DROP_DAY, seed_steady
from tests.orders_fixture import day_range, seed_orders

FRANCE, USA = 1, 2  # customer ids: seed_orders numbers the countries in sorted order
LATER = date(2024, 5, 1)  # "today" in the notes


def steady_orders(start: date, days: int, *, drop_day: date | None = None) -> list[tuple]:
    orders = []
    for day in day_range(start, days):
        france = [("P2", 1, 10000)]
        if day != drop_day:
            france.insert(0, ("P1", 1, 30000))
        orders.append((day, "France", "Shipped", france))
        orders.append((day, "USA", "Shipped", [("P1", 1, 10000), ("P2", 1, 20000)]))
    return orders


def add_order(engine, day: date, customer: int, items: list[tuple[str, int]]) -> None:
    """A late order of steady.py's products: (sku, amount cents), one unit each."""
    country = "France" if customer == FRANCE else "USA"
    category = {"P1": "Cars", "P2": "Bikes"}
    lines = [(CATALOG.id_of(sku), category[sku], cents) for sku, cents in items]
    late_order(engine, day, customer, country, lines)


def test_first_check_covers_all_the_data_later_ones_what_is_new(engine):
    # 150 days, 2024-03-01..2024-07-28; the drop on 2024-04-20 is 99 days before the last day,
    # out of the old 90-day reach.
    seed_orders(engine, CATALOG, steady_orders(date(2024, 3, 1), 150, drop_day=DROP_DAY))
    first = run_check(engine)
    assert (first.found, len(first.new)) == (3, 3)
    assert {(a.scope, a.key, a.day) for a in first.new} == {
        ("category", "Cars", DROP_DAY),
        ("product", "P1", DROP_DAY),
        ("country", "France", DROP_DAY),
    }
    assert (first.plan.since, first.plan.until) == (date(2024, 3, 1), date(2024, 7, 27))
    assert first.plan.why == "all the data: the first check"
    assert first.plan.unscored == (date(2024, 7, 28), date(2024, 7, 28))

    # Nothing changed: the day the first check could not score (28 Jul) and the 14 before it,
    # 14 Jul..27 Jul (28 Jul itself is still the last day).
    second = run_check(engine)
    assert (second.plan.since, second.plan.until) == (date(2024, 7, 14), date(2024, 7, 27))
    assert second.found == 0

    # A new day (29 Jul): 28 Jul, left unscored so far, is complete now and the first day to
    # judge: from 28 Jul - 14 = 14 Jul to 28 Jul.
    add_order(engine, date(2024, 7, 29), USA, [("P2", 20000)])
    third = run_check(engine)
    assert (third.plan.since, third.plan.until) == (date(2024, 7, 14), date(2024, 7, 28))

    # The scan window: all the data again finds the old drop (already stored), the last 90
    # complete days (30 Apr..28 Jul) do not reach it.
    again = run_check(engine, scan="all")
    assert (again.found, len(again.new), again.plan.since) == (3, 0, date(2024, 3, 1))
    recent = run_check(engine, scan=90)
    assert (recent.plan.since, recent.found) == (date(2024, 4, 30), 0)

    # Other thresholds judge every day again (40 % also flags the business: 700 -> 400).
    loose = run_check(engine, min_drop=0.4)
    assert loose.plan.why == "all the data: the thresholds differ from the last check's"
    assert [(a.scope, a.day) for a in loose.new] == [("total", DROP_DAY)]


def test_partial_last_day_raises_nothing_and_is_judged_once_complete(engine):
    # March in full, then 1 April with only the USA's P2 (200.00 of 700.00: a 71.4 % drop for
    # the business, 100 % for France, P1 and Cars) as a monthly export spills it.
    orders = steady_orders(date(2024, 3, 1), 31)
    orders.append((date(2024, 4, 1), "USA", "Shipped", [("P2", 1, 20000)]))
    seed_orders(engine, CATALOG, orders)
    first = run_check(engine)
    assert (first.found, first.new) == (0, ())
    assert first.plan.unscored == (date(2024, 4, 1), date(2024, 4, 1))
    assert list_alerts_of(engine) == []

    # The April file fills 1 April (France's 400.00 and the USA's P1 100.00) and brings 2 April:
    # 1 April is now complete, totals 700.00 like every day, and raises nothing either.
    add_order(engine, date(2024, 4, 1), FRANCE, [("P1", 30000), ("P2", 10000)])
    add_order(engine, date(2024, 4, 1), USA, [("P1", 10000)])
    add_order(engine, date(2024, 4, 2), USA, [("P2", 20000)])
    second = run_check(engine)
    assert second.plan.until == date(2024, 4, 1)
    assert second.found == 0 and list_alerts_of(engine) == []


def test_today_is_not_scored(engine):
    seed_steady(engine, drop=True)
    with engine.connect() as conn:
        assert scan(conn, today=DROP_DAY) == []  # the drop day is today: still arriving
        assert len(scan(conn, today=DROP_DAY + timedelta(days=1))) == 3


def test_a_day_filled_later_updates_then_resolves_its_alert(engine):
    seed_steady(engine, drop=True)  # 1 Mar..29 Apr, France buys no P1 on 20 April
    assert len(run_check(engine, today=LATER).new) == 3
    with engine.connect() as conn:
        france = list_alerts(conn, scope="country")[0]
    assert (france["actual_cents"], france["note"]) == (10000, None)

    # A late P1 of 50.00: France, P1 and Cars 150.00 against 400.00, still a 62.5 % drop,
    # score (15000 - 40000) / 400 = -62.5.
    add_order(engine, DROP_DAY, FRANCE, [("P1", 5000)])
    updated = run_check(engine, today=LATER)
    assert (len(updated.updated), updated.resolved, updated.new) == (3, (), ())
    with engine.connect() as conn:
        france = list_alerts(conn, scope="country")[0]
    assert (france["actual_cents"], france["drop_pct"], france["score"]) == (15000, 62.5, -62.5)
    assert france["status"] == "open"
    assert france["note"] == (
        "updated on 2024-05-01: the day now totals 150.00 (was 100.00) against 400.00 "
        "expected, still a drop"
    )

    # The rest arrives (250.00): 400.00 again, no drop left; each alert resolves itself.
    add_order(engine, DROP_DAY, FRANCE, [("P1", 25000)])
    resolved = run_check(engine, today=LATER)
    assert len(resolved.resolved) == 3 and resolved.updated == ()
    with engine.connect() as conn:
        stored = list_alerts(conn)
        audit = conn.execute(select(AuditLog.username, AuditLog.after)).all()
    assert {a["status"] for a in stored} == {"resolved"}
    france = next(a for a in stored if a["scope"] == "country")
    assert (france["actual_cents"], france["baseline_cents"], france["drop_pct"]) == (
        40000,
        40000,
        0.0,
    )
    assert france["drivers"] == []  # no drop left, so nothing drove one
    assert france["note"] == (
        "resolved on 2024-05-01: the day now totals 400.00 (was 150.00) against 400.00 "
        "expected, within the expected range"
    )
    # Six audit rows, none by a person: three updates, then three resolutions.
    assert len(audit) == 6 and {u for u, _ in audit} == {None}
    assert sorted(json.loads(a)["status"] for _, a in audit) == ["open"] * 3 + ["resolved"] * 3
    # Resolved alerts are not judged again.
    assert run_check(engine, today=LATER).resolved == ()


def test_a_person_resolved_alert_is_left_alone(engine):
    from dashapp.analytics.anomalies import set_alert_status

    seed_steady(engine, drop=True)
    run_check(engine, today=LATER)
    with engine.connect() as conn:
        france = list_alerts(conn, scope="country")[0]
    set_alert_status(engine, france["id"], "resolved", "manager1")
    add_order(engine, DROP_DAY, FRANCE, [("P1", 30000)])
    result = run_check(engine, today=LATER)
    # P1 and Cars resolve themselves; France, resolved by a person, keeps its figures.
    assert {i for i, _ in result.resolved} == {
        a["id"] for a in list_alerts_of(engine) if a["scope"] in ("product", "category")
    }
    with engine.connect() as conn:
        france = list_alerts(conn, scope="country")[0]
    assert (france["actual_cents"], france["note"]) == (10000, None)


@pytest.mark.parametrize("value", ["0", "-3", "1.5", "some", "36501"])
def test_bad_scan_ranges_are_refused(value):
    with pytest.raises(ValueError, match="scan must be"):
        scan_range(value)
    assert scan_range(" ALL ") == "all" and scan_range("30") == 30


def list_alerts_of(engine) -> list[dict]:
    with engine.connect() as conn:
        return list_alerts(conn)
