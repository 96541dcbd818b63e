"""The pivot and the RFM members as XLSX (the tables that had only a CSV), on tests/tiny.py,
both backends.

Revenue by category, all time, cancelled O3 left out: Classic Cars O1 200.00 + O4 99.99 +
O6 100.00 = 399.99; Motorcycles O1 50.00 + O2 135.00 + O5 100.00 = 285.00; total 684.99.
Scored customers: Acme O1 250.00 + O4 99.99 + O6 100.00 = 449.99 over 3 orders; Bolt O2
135.00 + O5 100.00 = 235.00 over 2 (Cogs has only the cancelled O3)."""

from __future__ import annotations

import io
from decimal import Decimal

from dashapp.analytics.pivot import pivot
from dashapp.analytics.reorder import reorder_recommendations
from dashapp.filters import Filters
from dashapp.reports.tables import members_workbook, pivot_workbook, reorder_workbook
from dashapp.segments.rfm import rfm_scores
from tests.analytics.reorder.test_reorder import CATALOG, ORDERS
from tests.orders_fixture import seed_orders
from tests.reports.workbooks import cents, labelled, open_book, table


def test_pivot_workbook_keeps_the_pages_table_with_exact_cents(tiny_engine):
    with tiny_engine.connect() as conn:
        by_category = pivot(conn, Filters(), "category", None, "revenue")
        orders = pivot(conn, Filters(), "category", None, "orders")
    out = io.BytesIO()
    pivot_workbook(out, by_category, [("Filters", "all time")])
    sheet = open_book(out.getvalue())["Pivot"]
    assert labelled(sheet)["Filters"] == "all time"
    rows = table(sheet, "Category")
    assert [(r["Category"], cents(r["Total"])) for r in rows] == [
        ("Classic Cars", Decimal("399.99")),
        ("Motorcycles", Decimal("285.00")),
        ("Total", Decimal("684.99")),
    ]
    total = next(row for row in sheet.iter_rows() if row[0].value == "Total")[-1]
    assert total.data_type == "n" and "$" in total.number_format
    out = io.BytesIO()
    pivot_workbook(out, orders)
    counted = table(open_book(out.getvalue())["Pivot"], "Category")
    # Classic Cars: O1, O4, O6; Motorcycles: O1, O2, O5; 5 distinct orders in all.
    assert [(r["Category"], r["Total"]) for r in counted] == [
        ("Classic Cars", 3),
        ("Motorcycles", 3),
        ("Total", 5),
    ]


def test_members_workbook_has_the_csvs_customers(tiny_engine):
    with tiny_engine.connect() as conn:
        scores = rfm_scores(conn, Filters())
    out = io.BytesIO()
    members_workbook(out, scores, (), [("Customers", "All scored customers")])
    rows = table(open_book(out.getvalue())["Customers"], "Customer")
    assert [(r["Customer"], r["Frequency"], cents(r["Monetary"])) for r in rows] == [
        ("Acme", 3, Decimal("449.99")),
        ("Bolt", 2, Decimal("235.00")),
    ]
    assert all(isinstance(r["Segment"], str) for r in rows)


def test_reorder_workbook_keeps_numbers_and_empty_cover(engine):
    # tests/analytics/reorder/test_reorder.py's catalog, worked there by hand: A has 5 in stock
    # selling 2.0 a day, so 2.5 days of cover, URGENT; E sells nothing: no days of cover.
    seed_orders(engine, CATALOG, ORDERS)
    with engine.connect() as conn:
        df = reorder_recommendations(conn, window_days=28)
    out = io.BytesIO()
    reorder_workbook(out, df)
    rows = {r["SKU"]: r for r in table(open_book(out.getvalue())["Reorder"], "SKU")}
    assert (rows["A"]["Stock"], rows["A"]["Avg units a day"]) == (5, 2.0)
    assert (rows["A"]["Days of cover"], rows["A"]["Status"]) == (2.5, "URGENT")
    assert rows["E"]["Days of cover"] is None
    assert len(rows) == 10  # the active products
