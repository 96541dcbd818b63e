"""The pivot's faster reads (issue 19 item 3, under a second at 1M orders) give the figures of
the plain GROUP BYs, on a tiny export on SQLite and PostgreSQL: every total from one read of the
lines, customers by category and quarter from the activity chains, sub-categories from the
product rollups.

The shop (SHOP below), per line, amount:
  B1 2024-01-10 Ann  Furniture        Chairs  Chair 1 x 50.00 = 50.00
                                      Chairs  Stool 2 x 20.00 = 40.00   (B1: two Chairs)
  B2 2024-02-20 Bob  Furniture        Tables  Table 1 x 300.00 = 300.00
  B5 2024-02-25 Bob  Office Supplies  Paper   Paper 3 x 2.00 = 6.00
  B3 2024-04-05 Ann  Office Supplies  Paper   Paper 5 x 2.00 = 10.00, Cancelled
  B4 2024-05-01 Cid  Furniture        Chairs  Chair 1 x 50.00 = 50.00
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dashapp.analytics.pivot import as_table, pivot
from dashapp.filters import Filters
from tests.analytics.pivot_shops import HEADER, shop_fixture

SHOP = (
    HEADER
    + """\
B1,2024-01-10,Ann,Consumer,United States,West,California,Los Angeles,Furniture,Chairs,Chair,\
1,50.00,10.00,0,Standard Class,Shipped
B1,2024-01-10,Ann,Consumer,United States,West,California,Los Angeles,Furniture,Chairs,Stool,\
2,40.00,8.00,0,Standard Class,Shipped
B2,2024-02-20,Bob,Corporate,United States,East,New York,New York City,Furniture,Tables,Table,\
1,300.00,30.00,0,First Class,Shipped
B5,2024-02-25,Bob,Corporate,United States,East,New York,New York City,Office Supplies,Paper,\
Paper,3,6.00,1.00,0,First Class,Shipped
B3,2024-04-05,Ann,Consumer,United States,West,California,Los Angeles,Office Supplies,Paper,\
Paper,5,10.00,2.00,0,Standard Class,Cancelled
B4,2024-05-01,Cid,Consumer,United States,West,California,San Diego,Furniture,Chairs,Chair,\
1,50.00,10.00,0,Second Class,Shipped
"""
)

D = Decimal


shop = shop_fixture("pivot_paths", SHOP, 5)


def test_status_by_year_with_its_totals_from_one_read(shop):
    p = pivot(shop, Filters(), "status", "year", "revenue")
    # Shipped: 50.00 + 40.00 + 300.00 + 6.00 + 50.00 = 446.00; Cancelled: B3 only, shown as
    # 0.00 (a slice of cancelled lines), not left out.
    assert as_table(p) == (
        ["Status", "2024", "Total"],
        [
            ["Shipped", D("446.00"), D("446.00")],
            ["Cancelled", D("0.00"), D("0.00")],
            ["Total", D("446.00"), D("446.00")],
        ],
    )


def test_customers_by_category_and_quarter(shop):
    p = pivot(shop, Filters(), "category", "quarter", "customers")
    # 2024-Q1: Furniture Ann (B1), Bob (B2) = 2; Office Supplies Bob (B5) = 1; the quarter
    # Ann and Bob = 2. 2024-Q2: Furniture Cid (B4) = 1; Office Supplies only the cancelled B3
    # = 0; the quarter Cid = 1. Furniture in all Ann, Bob, Cid = 3; Office Supplies Bob = 1;
    # everyone 3.
    assert as_table(p) == (
        ["Category", "2024-Q1", "2024-Q2", "Total"],
        [
            ["Furniture", 2, 1, 3],
            ["Office Supplies", 1, 0, 1],
            ["Total", 2, 1, 3],
        ],
    )


def test_customers_from_a_day_inside_a_quarter(shop):
    p = pivot(shop, Filters(start=date(2024, 2, 1)), "category", "quarter", "customers")
    # From 1 February Ann's B1 (10 January) is out: Q1 Furniture Bob (B2) = 1, Office
    # Supplies Bob (B5) = 1, the quarter Bob = 1; Q2 as above. Furniture Bob, Cid = 2.
    assert as_table(p) == (
        ["Category", "2024-Q1", "2024-Q2", "Total"],
        [
            ["Furniture", 1, 1, 2],
            ["Office Supplies", 1, 0, 1],
            ["Total", 1, 1, 2],
        ],
    )


def test_an_order_with_two_products_of_a_sub_category_counts_once(shop):
    orders = pivot(shop, Filters(), "sub_category", None, "orders")
    # Chairs: B1 (Chair and Stool: once) and B4 = 2, not 3; Tables B2 = 1; Paper B5 = 1
    # (B3 is cancelled). In all B1, B2, B4, B5 = 4.
    assert as_table(orders)[1] == [["Chairs", 2], ["Paper", 1], ["Tables", 1], ["Total", 4]]
    units = pivot(shop, Filters(), "sub_category", "quarter", "units")
    # Q1: Chairs 1 + 2 = 3, Paper 3, Tables 1; Q2: Chairs 1 (B4), Paper 0 (only B3,
    # cancelled). Chairs 4, Paper 3, Tables 1; Q1 7, Q2 1, in all 8.
    assert as_table(units) == (
        ["Sub-category", "2024-Q1", "2024-Q2", "Total"],
        [
            ["Chairs", 3, 1, 4],
            ["Paper", 3, 0, 3],
            ["Tables", 1, None, 1],
            ["Total", 7, 1, 8],
        ],
    )
