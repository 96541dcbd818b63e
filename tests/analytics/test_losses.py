"""The loss finder and profit per period (issue 19 items 1 and 5) on the loss shop
(tests/loss_shop.py, whose docstring lists every line); the arithmetic is beside each figure.

Per product in March (order 4 cancelled, the lamp has no cost):
  DESK  orders 2, 3: 140 + 160 = 300.00 at cost 170 + 170 = 340.00: profit -40.00;
        discounts (200 - 140) + (200 - 160) = 100.00
  STOOL order 5: 80.00 at cost 90.00: profit -10.00
  CHAIR orders 1, 5: 200 + 90 = 290.00 at 120 + 60 = 180.00: profit 110.00, margin 37.9 %
  PEN   orders 1, 5: 100 + 40 = 140.00 at 40 + 20 = 60.00: profit 80.00, margin 57.1 %
Per customer: Bolt 300.00 at 340.00 (the lamp left out): -40.00; Acme 510.00 at 330.00: +180.
Per order: L2 140 - 170 = -30.00, L3 160 - 170 = -10.00, L5 210 - 170 = 40.00 (19.0 %),
  L1 300 - 160 = 140.00 (46.7 %).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from dashapp.analytics.losses import (
    LossQueryError,
    cost_known,
    discount_and_margin,
    loss_makers,
)
from dashapp.analytics.profit import margins, profit_over_time
from dashapp.filters import Filters
from tests.loss_shop import DESK_NAME, FEBRUARY, IN_MARCH, MARCH


def rows(losses):
    return [
        (r.key, r.label, r.orders, r.revenue_cents, r.cost_cents, r.profit_cents)
        for r in losses.rows
    ]


def test_products_losing_money_come_most_money_lost_first(loss_shop):
    with loss_shop.connect() as conn:
        found = loss_makers(conn, IN_MARCH, "product")
    assert rows(found) == [
        ("DESK", DESK_NAME, 2, 30000, 34000, -4000),  # the name kept as stored, markup and all
        ("STOOL", "Stool", 1, 8000, 9000, -1000),
    ]
    assert (found.found, found.cost_known) == (2, True)
    desk = found.rows[0]
    assert (desk.lost_cents, desk.discounts_cents) == (4000, 10000)
    assert desk.margin == Fraction(-4000, 30000)


def test_a_margin_threshold_adds_the_rows_that_earn_too_little(loss_shop):
    with loss_shop.connect() as conn:
        under_40 = loss_makers(conn, IN_MARCH, "product", threshold=40)
        under_60 = loss_makers(conn, IN_MARCH, "product", threshold=60)
        orders_under_20 = loss_makers(conn, IN_MARCH, "order", threshold=20)
        top_one = loss_makers(conn, IN_MARCH, "product", threshold=40, limit=1)
    # CHAIR earns 110 / 290 = 37.9 % < 40 %; PEN's 57.1 % does not qualify.
    assert [r.key for r in under_40.rows] == ["DESK", "STOOL", "CHAIR"]
    # Under 60 %: the losses first, then the earners by margin, not by profit: CHAIR's
    # 37.9 % (110.00) before PEN's 57.1 % (80.00).
    assert [r.key for r in under_60.rows] == ["DESK", "STOOL", "CHAIR", "PEN"]
    assert under_40.rows[2].lost_cents == 0
    # L5 earns 40 / 210 = 19.0 % < 20 %; L1's 46.7 % does not.
    assert [r.key for r in orders_under_20.rows] == ["L2", "L3", "L5"]
    assert ([r.key for r in top_one.rows], top_one.found) == (["DESK"], 3)


def test_customers_and_orders_leave_the_lines_without_cost_and_the_cancelled_out(loss_shop):
    with loss_shop.connect() as conn:
        by_customer = loss_makers(conn, IN_MARCH, "customer")
        by_order = loss_makers(conn, IN_MARCH, "order")
    assert rows(by_customer) == [("2", "Bolt", 2, 30000, 34000, -4000)]
    # Order 4 (cancelled) would lose 70.00; it is not counted.
    assert rows(by_order) == [
        ("L2", "Bolt", 1, 14000, 17000, -3000),
        ("L3", "Bolt", 1, 16000, 17000, -1000),
    ]


def test_page_filters_apply_and_no_cost_is_told_apart_from_no_loss(loss_shop):
    with loss_shop.connect() as conn:
        february = loss_makers(conn, Filters(start=FEBRUARY[0], end=FEBRUARY[1]), "product")
        lamp = Filters(start=MARCH[0], end=MARCH[1], products=("LAMP",))
        lamp_only = loss_makers(conn, lamp, "product")
        office = loss_makers(conn, Filters(categories=("Office",)), "product")
        assert cost_known(conn, IN_MARCH) and not cost_known(conn, lamp)
    assert (february.rows, february.found, february.cost_known) == ([], 0, True)
    assert (lamp_only.rows, lamp_only.cost_known) == ([], False)
    assert office.rows == []  # pens earn, the lamp has no cost


@pytest.mark.parametrize(
    "level, threshold, limit",
    [("sku", 0, 10), ("product", 101, 10), ("product", "5", 10), ("order", 0, 0)],
)
def test_bad_questions_are_refused_with_a_message(loss_shop, level, threshold, limit):
    with loss_shop.connect() as conn, pytest.raises(LossQueryError):
        loss_makers(conn, IN_MARCH, level, threshold, limit)


def test_discount_against_margin_by_sub_category(loss_shop):
    with loss_shop.connect() as conn:
        found = discount_and_margin(conn, IN_MARCH)
    got = [
        (s.name, s.revenue_cents, s.discounts_cents, s.costed_revenue_cents, s.cost_cents)
        for s in found
    ]
    assert got == [
        ("Chairs", 37000, 1000, 37000, 27000),  # 200 + 90 + 80; CHAIR's 10 % off 100.00
        ("Tables", 30000, 10000, 30000, 34000),  # the two desks, 60.00 + 40.00 off
        ("Art", 14000, 1000, 14000, 6000),  # 100 + 40; 50.00 - 40.00 off
        ("Lighting", 5000, 0, 0, 0),  # the lamp, no cost
    ]
    chairs, tables, _art, lighting = found
    assert (chairs.discount_rate, chairs.margin) == (Fraction(10, 380), Fraction(100, 370))
    assert (tables.discount_rate, tables.margin) == (Fraction(1, 4), Fraction(-40, 300))
    assert (lighting.discount_rate, lighting.margin) == (0, None)


@pytest.mark.parametrize("on_lines", [False, True])
def test_profit_per_month(loss_shop, on_lines):
    # The status filter makes the lines answer; without it the monthly rollups do.
    f = Filters(start=FEBRUARY[0], end=MARCH[1], statuses=("Shipped",) if on_lines else ())
    with loss_shop.connect() as conn:
        frame = profit_over_time(conn, f, "month")
    got = [(p.isoformat(), c, r, pr) for p, c, r, pr in frame.itertuples(index=False)]
    assert got == [
        ("2024-02-01", 6000, 10000, 4000),  # the chair: 100.00 at 60.00
        ("2024-03-01", 67000, 81000, 14000),  # 810.00 at 670.00 (the docstring of the shop)
    ]
    assert margins(frame) == [0.4, 14000 / 81000]
