"""The Overview's gross profit and margin cards (issue 19 item 1) on the loss shop
(tests/loss_shop.py): March against February (the previous 31 days, 29 Jan - 29 Feb).

March: profit 810.00 - 670.00 = 140.00, margin 140 / 810 = 17.3 %, cost known for
810 / 860 = 94 % of sales (the lamp has no cost). February: profit 40.00, margin 40 %.
Profit 40 -> 140: +250.0 %; margin 40 % -> 17.28 %: -22.7 pp. March 2023 has no orders.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from dashapp.analytics import profit
from dashapp.analytics.kpis import Kpis, kpi_summary
from dashapp.filters import Filters
from dashapp.ui import overview
from tests.conftest import BACKENDS
from tests.databases import seeded_engine
from tests.loss_shop import MARCH, seed_loss_shop


@pytest.fixture(scope="module", params=BACKENDS)
def shop(request, tmp_path_factory):
    with seeded_engine(request.param, tmp_path_factory.mktemp("cards"), seed_loss_shop) as eng:
        yield eng


def card_text(card) -> dict:
    """{id: text} of a KPI card's parts."""
    body = card.children.children
    return {part.id: part.children for part in body if getattr(part, "id", None)}


def cards(shop, f: Filters):
    with shop.connect() as conn:
        s = kpi_summary(conn, f)
        series = profit.profit_series(conn, f.with_range(s.start, s.end), "day")
    spark = (series.frame, series.partial(series.frame["period"]))
    return [card_text(c) for c in overview._profit_cards(s.current, s.previous, s.last_year, spark)]


def test_profit_and_margin_with_their_change_and_coverage(shop):
    profit_card, margin_card = cards(shop, Filters(start=MARCH[0], end=MARCH[1]))
    assert profit_card == {
        "kpi-profit-hint": "cost known for 94% of sales",
        "kpi-profit": "$140.00",
        "kpi-profit-delta": "▲ 250.0% vs previous period",
        "kpi-profit-secondary": "no data last year",
    }
    assert margin_card == {
        "kpi-margin-hint": "cost known for 94% of sales",
        "kpi-margin": "17.3%",
        "kpi-margin-delta": "▼ 22.7 pp vs previous period",
        "kpi-margin-secondary": "no data last year",
    }


def test_no_cost_known_says_na_and_why(shop):
    # The lamp alone: 50.00 of sales, no cost.
    lamp = Filters(start=MARCH[0], end=MARCH[1], products=("LAMP",))
    profit_card, margin_card = cards(shop, lamp)
    assert (profit_card["kpi-profit"], margin_card["kpi-margin"]) == ("n/a", "n/a")
    assert profit_card["kpi-profit-delta"] == "No cost is known for these orders"
    assert margin_card["kpi-margin-delta"] == "No cost is known for these orders"


def test_a_loss_reads_with_a_minus_and_a_loss_turning_into_profit_is_a_rise():
    # Profit -30.00 (costed revenue 140.00 at 170.00) against -10.00 before: 20.00 more lost,
    # -200 %, bad; 60.00 against -30.00 before: +90 / |-30| = +300 %, good.
    now = Kpis(
        revenue_cents=14000,
        costed_revenue_cents=14000,
        costed_sales_cents=14000,
        cost_cents=17000,
        all_orders=1,
    )
    before = Kpis(revenue_cents=16000, costed_revenue_cents=16000, cost_cents=17000, all_orders=1)
    assert overview._signed_money(now.profit_cents) == "−$30.00"
    assert overview._money_change(-3000, -1000, "previous period") == (
        "▼ 200.0% vs previous period",
        "bad",
    )
    assert overview._money_change(6000, -3000, "previous period") == (
        "▲ 300.0% vs previous period",
        "good",
    )
    empty = (None, None)
    profit_card, _ = [card_text(c) for c in overview._profit_cards(now, before, Kpis(), empty)]
    assert profit_card["kpi-profit"] == "−$30.00"
    assert profit_card["kpi-profit-hint"] == "revenue − cost"  # every line has a cost


def test_the_margin_sparkline_skips_days_without_costed_sales(shop):
    # March by day, up to the last order (the 25th): 25 days, costed sales on the 4th, 11th,
    # 18th and 25th only. The profit line has a point a day (0 on the others); the margin line
    # has those 4 points, not 21 zeros between them.
    f = Filters(start=MARCH[0], end=MARCH[1])
    with shop.connect() as conn:
        s = kpi_summary(conn, f)
        series = profit.profit_series(conn, f, "day")
    spark = (series.frame, series.partial(series.frame["period"]))
    cards = overview._profit_cards(s.current, s.previous, s.last_year, spark)

    def points(card) -> int:
        svg = unquote(card.children.children[-1].src)
        line = re.search(r'<polyline points="([^"]*)"', svg).group(1)
        return len(line.split())

    assert [points(c) for c in cards] == [25, 4]
