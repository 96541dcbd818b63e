"""Progress against targets, on SQLite and PostgreSQL, with the figures of tests/targets/shop.py
worked out by hand there: the actual to date, the linear run-rate, the forecast's projection
and the status."""

from __future__ import annotations

from datetime import date

import pytest

from dashapp.targets import TargetDraft, linear_run_rate, progress, set_target
from tests.accounts import staff
from tests.targets.shop import LAST_DAY, PLANES, seed_march, seed_weekdays

MANAGER = staff("max", "manager")


@pytest.fixture
def march(engine):
    seed_march(engine)
    return engine


def _progress(engine, as_of=LAST_DAY, **draft):
    target = set_target(engine, TargetDraft(**draft), MANAGER)
    with engine.connect() as conn:
        return progress(conn, target, as_of)


def test_linear_run_rate_by_hand():
    # 4,000.00 sold by 10 March, a month of 31 days: 400,000 cents / 10 x 31 = 1,240,000.
    assert linear_run_rate(400_000, 10, 31) == 1_240_000
    # 1.00 over 3 days of 31: 100 / 3 x 31 = 1,033.33.. -> 1,033; 2.00: 2,066.66.. -> 2,067.
    assert linear_run_rate(100, 3, 31) == 1_033
    assert linear_run_rate(200, 3, 31) == 2_067
    assert linear_run_rate(-200, 3, 31) == -2_067


def test_a_business_revenue_target_with_too_little_history_runs_at_the_linear_rate(march):
    # 10,000.00 for March; 4,000.00 sold by 10 March (10 days of sales, under the forecast's
    # 28): 4,000.00 / 10 x 31 = 12,400.00, above the target: on track.
    p = _progress(march, period="2024-03", metric="revenue", amount="10,000.00")
    assert (p.actual, p.elapsed, p.days) == (400_000, 10, 31)
    assert p.run_rate == 1_240_000
    assert p.projection.method == "run-rate"
    assert (p.projection.value, p.projection.low, p.projection.high) == (1_240_000, None, None)
    assert "10 day(s) of sales" in p.projection.note
    assert p.status == "on track"
    assert p.share == pytest.approx(0.4)


def test_orders_category_region_user_and_profit_targets(march):
    # Orders: 10 (the cancelled one left out) -> 10 / 10 x 31 = 31, under 40: at risk.
    p = _progress(march, period="2024-03", metric="orders", amount="40")
    assert (p.actual, p.run_rate, p.status) == (10, 31, "at risk")
    # Planes: 2,400.00 -> 7,440.00, above 3,000.00 (already reached): on track.
    p = _progress(
        march, period="2024-03", metric="revenue", scope="category", key=PLANES, amount="3000"
    )
    assert (p.actual, p.run_rate, p.status) == (240_000, 744_000, "on track")
    # Region NA (ship-to): 1,600.00 -> 4,960.00, under 6,000.00: at risk.
    p = _progress(march, period="2024-03", metric="revenue", scope="region", key="NA", amount=6000)
    assert (p.actual, p.run_rate, p.status) == (160_000, 496_000, "at risk")
    # sam entered 800.00 -> 2,480.00, under 3,000.00: at risk.
    p = _progress(march, period="2024-03", metric="revenue", scope="user", key="sam", amount=3000)
    assert (p.actual, p.run_rate, p.status) == (80_000, 248_000, "at risk")
    # Profit over the costed lines: 6 x 100.00 = 600.00 -> 1,860.00, above 1,500.00; profit is
    # always projected at the linear rate.
    p = _progress(march, period="2024-03", metric="profit", amount="1500.00")
    assert (p.actual, p.run_rate, p.status) == (60_000, 186_000, "on track")
    assert p.projection.method == "run-rate" and "not costs" in p.projection.note


def test_a_quarter_and_a_finished_and_a_future_period(march):
    # Q1 2024 has 31 + 29 + 31 = 91 days; 10 March is day 31 + 29 + 10 = 70:
    # 4,000.00 / 70 x 91 = 5,200.00, under 6,000.00: at risk.
    p = _progress(march, period="2024-Q1", metric="revenue", amount="6000")
    assert (p.elapsed, p.days, p.run_rate, p.status) == (70, 91, 520_000, "at risk")
    # February is over by 10 March and had no sales: missed, no projection.
    p = _progress(march, period="2024-02", metric="revenue", amount="100")
    assert (p.actual, p.elapsed, p.projection, p.status) == (0, 29, None, "missed")
    # Looked at on 31 March, March is complete: 4,000.00 >= 4,000.00 is met.
    p = _progress(march, as_of=date(2024, 3, 31), period="2024-03", metric="revenue", amount=4000)
    assert (p.actual, p.elapsed, p.projection, p.status) == (400_000, 31, None, "met")
    p = _progress(march, period="2024-04", metric="orders", amount=5)
    assert (p.elapsed, p.status) == (0, "not started")


def test_the_forecast_projects_the_weekly_pattern_where_a_run_rate_cannot(engine):
    # The Overview's model: seasonal naive (dashapp.targets.progress says why).
    # 100.00 on weekdays since Thu 1 Feb (39 days to Sun 10 March, over the 28 needed).
    # March to date: Fri 1, Mon 4 .. Fri 8 = 6 weekdays = 600.00. The seasonal naive model
    # repeats the last week: 11-31 March are 3 whole weeks, 15 weekdays = 1,500.00, and a
    # perfectly weekly history has no week-on-week error, so the interval is the point:
    # 600.00 + 1,500.00 = 2,100.00, above 2,000.00: on track. The linear run-rate,
    # 600.00 / 10 x 31 = 1,860.00, would have said at risk.
    seed_weekdays(engine)
    p = _progress(engine, as_of=date(2024, 3, 10), period="2024-03", metric="revenue", amount=2000)
    assert p.actual == 60_000 and p.run_rate == 186_000
    assert p.projection.method == "forecast" and p.projection.model == "Seasonal naive"
    assert (p.projection.value, p.projection.low, p.projection.high) == (210_000, 210_000, 210_000)
    assert p.status == "on track"
    # Orders the same way: 6 + 15 = 21.
    p = _progress(engine, as_of=date(2024, 3, 10), period="2024-03", metric="orders", amount=20)
    assert (p.actual, p.projection.value, p.status) == (6, 21, "on track")
