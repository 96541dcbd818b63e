"""Drill-through (issue 19 item 4) on the loss shop (tests/loss_shop.py): the order history under
a slice lists exactly the orders the figure counted.

March's orders: L1 Acme France (chair, pens), L2 Bolt USA (desk), L3 Bolt USA (desk, lamp),
L4 Acme France cancelled (desk), L5 Acme France (pens, chair, stool); February: L6 (chair).
Furniture in March: L1, L2, L3, L5 = 4 orders (L4 cancelled), revenue 200 + 140 + 160 + 90 +
80 = 670.00. USA in March: L2, L3 = 2 orders, none cancelled. 11 March: L2 alone, 140.00.
"""

from __future__ import annotations

from datetime import date

import pytest

from dashapp.analytics import breakdowns
from dashapp.analytics.drill import (
    LIVE_STATUSES,
    DrillError,
    period_range,
    pivot_picks,
    slice_figures,
    slice_filters,
)
from dashapp.analytics.pivot import pivot
from dashapp.filters import Filters
from dashapp.orders.history import order_history_page
from tests.loss_shop import IN_MARCH, MARCH


def history_count(conn, g: Filters) -> int:
    return order_history_page(conn, g, 1, 50)[1]


def test_a_category_bar_opens_the_orders_it_counts(loss_shop):
    with loss_shop.connect() as conn:
        bars = breakdowns.sales_by_category(conn, IN_MARCH)
        g = slice_filters(conn, IN_MARCH, {"category": "Furniture"})
        furniture = bars[bars["category"] == "Furniture"].iloc[0]
        assert int(furniture["orders"]) == 4  # L1, L2, L3, L5
        # L4 (cancelled) holds a desk: the history would list it, so the drill leaves it out.
        assert g.statuses == LIVE_STATUSES
        assert history_count(conn, g) == 4
        assert history_count(conn, Filters(**{**g.__dict__, "statuses": ()})) == 5
        figures = slice_figures(conn, g)
    assert (figures.orders, figures.revenue_cents) == (4, 67000)


def test_a_country_bar_and_a_calendar_day(loss_shop):
    with loss_shop.connect() as conn:
        usa = slice_filters(conn, IN_MARCH, {"country": "USA"})
        assert usa.statuses == ()  # no cancelled order there: no status filter shown
        assert history_count(conn, usa) == 2  # L2, L3
        day = slice_filters(conn, IN_MARCH, {}, period_range("day", "2024-03-11"))
        assert (day.start, day.end) == (date(2024, 3, 11), date(2024, 3, 11))
        assert history_count(conn, day) == 1
        assert slice_figures(conn, day).revenue_cents == 14000


def test_a_pivot_cell_matches_its_order_count(loss_shop):
    with loss_shop.connect() as conn:
        p = pivot(conn, IN_MARCH, "product", "month", "orders")
        label = "<b>Desk</b> (DESK)"  # markup in a name is just text, down to the filter
        assert p.cell(label, "2024-03") == 2  # L2, L3 (L4 cancelled)
        row, _ = pivot_picks("product", label)
        picks, period = pivot_picks("month", "2024-03")
        g = slice_filters(conn, IN_MARCH, {**row, **picks}, period)
        assert (g.products, g.start, g.end) == (("DESK",), MARCH[0], MARCH[1])
        assert history_count(conn, g) == 2
        customer, _ = pivot_picks("customer", "Bolt #2")
        assert customer == {"customer": "2"}
        assert history_count(conn, slice_filters(conn, IN_MARCH, customer)) == 2


def test_periods_narrow_the_dates_within_the_page(loss_shop):
    assert period_range("quarter", "2024-Q1") == (date(2024, 1, 1), date(2024, 3, 31))
    assert period_range("quarter", "2024-04-01") == (date(2024, 4, 1), date(2024, 6, 30))
    assert period_range("month", "2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_range("year", "2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert period_range("week", "2024-03-04") == (date(2024, 3, 4), date(2024, 3, 10))
    with loss_shop.connect() as conn:
        # The year 2024 under a March page: March only.
        g = slice_filters(conn, IN_MARCH, {}, period_range("year", "2024"))
        assert (g.start, g.end) == MARCH
        with pytest.raises(DrillError, match="outside the dates"):
            slice_filters(conn, IN_MARCH, {}, period_range("month", "2024-02"))


def test_statuses_of_the_page_are_kept_without_cancelled(loss_shop):
    with loss_shop.connect() as conn:
        mixed = Filters(start=MARCH[0], end=MARCH[1], statuses=("Shipped", "Cancelled"))
        assert slice_filters(conn, mixed, {"country": "France"}).statuses == ("Shipped",)
        cancelled = Filters(start=MARCH[0], end=MARCH[1], statuses=("Cancelled",))
        g = slice_filters(conn, cancelled, {"category": "Furniture"})
        assert g.statuses == ("Cancelled",)
        assert slice_figures(conn, g).orders == history_count(conn, g) == 1  # L4


@pytest.mark.parametrize(
    "picks",
    [{"sku": "DESK"}, {"customer": "abc"}, {"customer": "99999999999"}, {"category": ""}],
)
def test_forged_picks_are_refused(loss_shop, picks):
    with loss_shop.connect() as conn, pytest.raises(DrillError):
        slice_filters(conn, IN_MARCH, picks)


@pytest.mark.parametrize(
    "dimension, label",
    [
        ("category", "(none)"),
        ("product", "no sku here"),
        ("year", "20x4"),
        ("quarter", "2024-Q5"),
        ("month", "2024-13"),
        ("margin", "x"),
    ],
)
def test_pivot_labels_that_name_no_filter_are_refused(dimension, label):
    with pytest.raises(DrillError):
        pivot_picks(dimension, label)
