"""The pivot (SPEC §4.8, issue 19 item 3): any two dimensions by one measure, with totals, on a
tiny retail export imported as a user would, on SQLite and PostgreSQL.

The shop (SHOP below), per line, amount and cost (= Sales - Profit):
  A1 2024-01-10 Ann  Consumer  West/California/Los Angeles  Chair 2 x 50.00 = 100.00 cost 80.00
                                                            Paper 5 x  2.00 =  10.00 cost  6.00
  A2 2024-02-05 Ann  Consumer  East/New York/New York City  Table 1 x 400.00 at 25 % off = 300.00
                                                            cost 300.00 - (-60.00) = 360.00
  A3 2025-03-01 Bob  Corporate West/California/San Diego    Chair 1 x 50.00 = 50.00, no profit
                                                            given: cost unknown
  A4 2025-03-02 Bob  Corporate West/California/San Diego    Paper 10 x 2.00 = 20.00, Cancelled
Revenue counts A1-A3 (A4 is cancelled): 110.00 + 300.00 + 50.00 = 460.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dashapp.analytics.pivot import PivotError, as_table, pivot
from dashapp.filters import Filters
from tests.analytics.pivot_shops import HEADER, shop_fixture

SHOP = (
    HEADER
    + """\
A1,2024-01-10,Ann,Consumer,United States,West,California,Los Angeles,Furniture,Chairs,Chair,\
2,100.00,20.00,0,Standard Class,Shipped
A1,2024-01-10,Ann,Consumer,United States,West,California,Los Angeles,Office Supplies,Paper,Paper,\
5,10.00,4.00,0,Standard Class,Shipped
A2,2024-02-05,Ann,Consumer,United States,East,New York,New York City,Furniture,Tables,Table,\
1,300.00,-60.00,0.25,First Class,Shipped
A3,2025-03-01,Bob,Corporate,United States,West,California,San Diego,Furniture,Chairs,Chair,\
1,50.00,,0,Second Class,Shipped
A4,2025-03-02,Bob,Corporate,United States,West,California,San Diego,Office Supplies,Paper,Paper,\
10,20.00,8.00,0,Second Class,Cancelled
"""
)

D = Decimal


shop = shop_fixture("pivot", SHOP, 4)


def test_state_by_year_revenue_with_totals(shop):
    p = pivot(shop, Filters(), "state", "year", "revenue")
    # New York 300.00 (A2, 2024); California 110.00 (A1, 2024) + 50.00 (A3, 2025) = 160.00:
    # largest first. Years in time order. A4 is cancelled and counts nowhere.
    assert as_table(p) == (
        ["State / province", "2024", "2025", "Total"],
        [
            ["New York", D("300.00"), None, D("300.00")],
            ["California", D("110.00"), D("50.00"), D("160.00")],
            ["Total", D("410.00"), D("50.00"), D("460.00")],
        ],
    )


def test_a_customer_in_two_states_counts_once_in_each_and_once_in_the_total(shop):
    p = pivot(shop, Filters(), "state", None, "customers")
    # California: Ann (A1) and Bob (A3) = 2; New York: Ann (A2) = 1; in all Ann and Bob = 2,
    # not 2 + 1 = 3.
    assert as_table(p) == (
        ["State / province", "Total"],
        [["California", 2], ["New York", 1], ["Total", 2]],
    )


def test_profit_and_margin_over_the_lines_with_a_cost(shop):
    profit = pivot(shop, Filters(), "region", None, "profit")
    # West: A1 (100.00 - 80.00) + (10.00 - 6.00) = 24.00; A3 has no cost, A4 is cancelled.
    # East: 300.00 - 360.00 = -60.00. In all 24.00 - 60.00 = -36.00.
    assert as_table(profit)[1] == [
        ["West", D("24.00")],
        ["East", D("-60.00")],
        ["Total", D("-36.00")],
    ]
    margin = pivot(shop, Filters(), "region", "year", "margin")
    # West 2024: 24.00 / 110.00 = 21.818..% -> 21.82; East 2024: -60.00 / 300.00 = -20.00 %;
    # 2025: only A3 (no cost) and A4 (cancelled): n/a. In all -36.00 / 410.00 = -8.780..%.
    assert as_table(margin)[1] == [
        ["West", D("21.82"), None, D("21.82")],
        ["East", D("-20.00"), None, D("-20.00")],
        ["Total", D("-8.78"), None, D("-8.78")],
    ]


def test_orders_by_segment_units_by_quarter_and_discounts(shop):
    orders = pivot(shop, Filters(), "segment", None, "orders")
    # Consumer: A1, A2; Corporate: A3 (A4 cancelled).
    assert as_table(orders)[1] == [["Consumer", 2], ["Corporate", 1], ["Total", 3]]
    units = pivot(shop, Filters(), "quarter", "sub_category", "units")
    # 2024-Q1: Chairs 2, Paper 5, Tables 1 = 8; 2025-Q1: Chairs 1 (A4's 10 are cancelled:
    # the Paper cell holds only cancelled lines, so 0). Columns by total: Paper 5, Chairs 3,
    # Tables 1.
    assert as_table(units) == (
        ["Quarter", "Paper", "Chairs", "Tables", "Total"],
        [["2024-Q1", 5, 2, 1, 8], ["2025-Q1", 0, 1, None, 1], ["Total", 5, 3, 1, 9]],
    )
    discount = pivot(shop, Filters(), "category", None, "discount")
    # The table's list value 1 x 400.00 less its amount 300.00 = 100.00; nothing else is off.
    assert as_table(discount)[1] == [
        ["Furniture", D("100.00")],
        ["Office Supplies", D("0.00")],
        ["Total", D("100.00")],
    ]


def test_customers_of_the_same_name_stay_apart_and_filters_apply(shop):
    p = pivot(shop, Filters(countries=("United States",), start=None), "customer", "ship_mode")
    assert p.row_labels == ["Ann #1", "Bob #2"]  # Ann 410.00, Bob 50.00
    assert p.cell("Ann #1", "First Class") == D("300.00")
    only_2025 = pivot(shop, Filters.from_params({"start": "2025-01-01"}), "city", None, "revenue")
    assert as_table(only_2025)[1] == [["San Diego", D("50.00")], ["Total", D("50.00")]]
    furniture = pivot(shop, Filters(categories=("Furniture",)), "month", None, "revenue")
    # Chair 100.00 (2024-01), Table 300.00 (2024-02), Chair 50.00 (2025-03), in time order.
    assert as_table(furniture)[1] == [
        ["2024-01", D("100.00")],
        ["2024-02", D("300.00")],
        ["2025-03", D("50.00")],
        ["Total", D("450.00")],
    ]


def test_the_cap_keeps_the_largest_rows_and_says_how_many_there_were(shop):
    p = pivot(shop, Filters(), "product", None, "revenue", max_rows=1)
    # Table 300.00 > Chair 150.00 > Paper 10.00: one shown of three; the total is all of them.
    assert (p.row_labels, p.rows_found, p.total) == (["Table (Table)"], 3, D("460.00"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("planet", None, "revenue"), "Unknown row dimension 'planet'"),
        (("state", "galaxy", "revenue"), "Unknown column dimension 'galaxy'"),
        (("state", "state", "revenue"), "Rows and columns are the same dimension"),
        (("state", None, "happiness"), "Unknown measure 'happiness'"),
    ],
)
def test_a_pivot_that_cannot_be_asked_is_refused(shop, args, message):
    with pytest.raises(PivotError, match=message):
        pivot(shop, Filters(), *args)


def test_orders_and_customers_from_the_rollups_count_each_order_once(shop):
    p = pivot(shop, Filters(), "category", "year", "orders")
    # 2024: Furniture A1, A2 = 2; Office Supplies A1 = 1. 2025: Furniture A3 = 1; Office
    # Supplies only the cancelled A4 = 0. A1 has lines in both categories, so 2024 holds 2
    # orders (A1, A2), not 2 + 1; in all A1, A2, A3 = 3.
    assert as_table(p) == (
        ["Category", "2024", "2025", "Total"],
        [
            ["Furniture", 2, 1, 3],
            ["Office Supplies", 1, 0, 1],
            ["Total", 2, 1, 3],
        ],
    )
    both = Filters(categories=("Furniture", "Office Supplies"))
    assert as_table(pivot(shop, both, "year", None, "orders"))[1] == [
        ["2024", 2],  # A1 once, A2
        ["2025", 1],  # A3
        ["Total", 3],
    ]
    customers = pivot(shop, Filters(), "country", "year", "customers")
    # United States: Ann in 2024, Bob in 2025 (A3; A4 is cancelled): 2 in all.
    assert as_table(customers)[1] == [["United States", 1, 1, 2], ["Total", 1, 1, 2]]


def test_the_rollups_answer_what_they_hold_and_the_lines_the_rest():
    from dashapp.analytics.pivot import DIMENSIONS, MEASURES, _rollup_rows

    def planned(measure, *dims, f=Filters()):
        return _rollup_rows(MEASURES[measure], [DIMENSIONS[d] for d in dims], f) is not None

    assert planned("revenue", "category", "year")
    assert planned("orders", "product", "country")
    assert planned("customers", "category", "month")
    assert planned("orders")  # the grand total
    # Ship-to, channel, status and segment by month (and category), profit and margin with
    # them: the monthly rollups by the order's dimensions (migration 0026); lines before.
    assert planned("revenue", "state", "year")
    assert planned("profit", "category")
    assert planned("margin", "city", "month")
    assert planned("discount", "channel", "category", f=Filters(start=date(2024, 3, 1)))
    # Still the lines: ship-to by product, ship mode, distinct customers by an order's
    # dimension, and a range that cuts a month (those grains have no daily table).
    assert not planned("revenue", "state", "product")
    assert not planned("orders", "ship_mode", "channel")
    assert not planned("customers", "state", "segment")
    assert not planned("profit", "category", f=Filters(start=date(2024, 3, 5)))
    assert not planned("revenue", "category", f=Filters(statuses=("Shipped",)))
