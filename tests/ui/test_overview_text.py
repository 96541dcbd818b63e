"""What the Overview's KPI cards say beside their numbers (issue 18): the comparisons never
contradict each other, and each card says what it counts."""

from dashapp.analytics.kpis import Kpis
from dashapp.ui import overview

REVENUE = next(k for k in overview._KPIS if k[0] == "revenue")
ORDERS = next(k for k in overview._KPIS if k[0] == "orders")
RATE = next(k for k in overview._KPIS if k[0] == "cancellation")


def compare(kpi, current, previous, last_year):
    key, _label, number, _text, higher_is_good, _counts = kpi
    return overview._comparisons(key, number, higher_is_good, current, previous, last_year)


def test_without_a_previous_period_the_headline_compares_with_last_year():
    # 500.00 now, nothing in the previous period, 300.00 a year ago: +66.7 % vs last year is the
    # headline; "no earlier data to compare" would be false above it.
    now, none, year_ago = Kpis(revenue_cents=50000), Kpis(), Kpis(revenue_cents=30000)
    assert compare(REVENUE, now, none, year_ago) == (
        "▲ 66.7% vs last year",
        "good",
        "no data in the previous period",
    )
    assert compare(REVENUE, now, none, none) == (overview.NO_EARLIER, "flat", "")
    # Both: the previous period first (400 -> 500: +25 %), last year below (+66.7 %).
    assert compare(REVENUE, now, Kpis(revenue_cents=40000), year_ago) == (
        "▲ 25.0% vs previous period",
        "good",
        "+66.7% vs last year",
    )
    # Lower than last year: a minus sign on the second line (500 vs 1,000: -50.0 %).
    assert compare(REVENUE, now, Kpis(revenue_cents=40000), Kpis(revenue_cents=100000))[2] == (
        "−50.0% vs last year"
    )


def test_the_cancellation_rate_compares_in_points_and_rising_is_bad():
    # 1 of 4 orders now (25 %), 1 of 10 before (10 %): +15.0 pp, bad; no orders last year.
    now = Kpis(all_orders=4, cancelled_orders=1)
    before = Kpis(all_orders=10, cancelled_orders=1)
    assert compare(RATE, now, before, Kpis()) == (
        "▲ 15.0 pp vs previous period",
        "bad",
        "no data last year",
    )


def test_cards_say_what_they_count():
    counts = ORDERS[5]
    # 48,716 orders beside 50,001 in the history: 1,285 cancelled are left out.
    assert counts(Kpis(orders=48716, all_orders=50001, cancelled_orders=1285)) == (
        "excl. 1,285 cancelled"
    )
    assert counts(Kpis(cancelled_orders=1)) == "excl. 1 cancelled order"
    assert RATE[5](Kpis(all_orders=3, cancelled_orders=1)) == "1 of 3 orders"
