"""A file imported without customers (--no-customers, issue 21 item 8): its orders are stored
without one (customer_id NULL) and count in revenue, orders and units, never in customers,
RFM, cohorts or reach; every surface that shows customers copes.

The file (no customer column):
  N1 2024-03-05 France  CAR  x2 200.00, BIKE x1 50.00
  N2 2024-03-07 USA     CAR  x1 100.00
  N3 2024-03-08 USA     BIKE x-1 -50.00 (a credit note)
Revenue 200 + 50 + 100 - 50 = 300.00; orders 3; units 2 + 1 + 1 - 1 = 3; customers 0.
Then a second file with a customer: Acme, A1 2024-03-09 France CAR x1 100.00: revenue
400.00, orders 4, units 4, customers 1 (Acme, new: no order before).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from dashapp.analytics import breakdowns
from dashapp.analytics.kpis import kpis
from dashapp.analytics.pivot import pivot
from dashapp.filters import Filters
from dashapp.importer import ReadOptions, import_csv
from dashapp.orders.history import as_grid_row, export_history_csv, order_history_page
from dashapp.segments.cohorts import cohort_retention, new_vs_returning
from dashapp.segments.rfm import rfm_scores
from dashapp.store import rollups
from dashapp.store.models import Customer, Order, OrderLine
from tests.api.conftest import api_for

NO_CUSTOMERS = (
    "Order ID,Order Date,Product Code,Category,Quantity,Sales,Country\n"
    "N1,2024-03-05,CAR,Classic Cars,2,200.00,France\n"
    "N1,2024-03-05,BIKE,Motorcycles,1,50.00,France\n"
    "N2,2024-03-07,CAR,Classic Cars,1,100.00,USA\n"
    "N3,2024-03-08,BIKE,Motorcycles,-1,-50.00,USA\n"
)
WITH_A_CUSTOMER = (
    "Order ID,Order Date,Customer,Product Code,Category,Quantity,Sales,Country\n"
    "A1,2024-03-09,Acme,CAR,Classic Cars,1,100.00,France\n"
)
MARCH = Filters(start=date(2024, 3, 1), end=date(2024, 3, 31))


def _import(engine, write_csv) -> None:
    report = import_csv(engine, write_csv(NO_CUSTOMERS), options=ReadOptions(no_customers=True))
    assert report.rejects == []
    assert (report.orders_added, report.customers_added) == (3, 0)


def test_orders_without_customers_count_but_customers_do_not(engine, write_csv):
    _import(engine, write_csv)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Customer)) == 0
        assert conn.scalars(select(Order.customer_id).distinct()).all() == [None]
        assert conn.scalars(select(OrderLine.customer_id).distinct()).all() == [None]
        assert rollups.check(conn) == []
        for f in (MARCH, Filters(), Filters(statuses=("Shipped",))):  # rollups and lines
            k = kpis(conn, f)
            assert (k.revenue_cents, k.orders, k.units) == (30000, 3, 3), f
            assert (k.customers, k.new_customers) == (0, 0), f
        assert breakdowns.top_customers(conn, MARCH, 5).empty
        products = breakdowns.top_products(conn, MARCH, 5)
        # CAR 200.00 + 100.00, 3 units; BIKE 50.00 - 50.00, 1 - 1 units.
        assert list(
            zip(products["sku"], products["revenue_cents"], products["units"], strict=True)
        ) == [
            ("CAR", 30000, 3),
            ("BIKE", 0, 0),
        ]
        for f in (MARCH, Filters(statuses=("Shipped",))):  # rollups and lines
            assert rfm_scores(conn, f).empty, f
            assert cohort_retention(conn, f).empty, f
            assert new_vs_returning(conn, f).empty, f


def test_a_customer_imported_later_is_the_only_one_counted(engine, write_csv):
    _import(engine, write_csv)
    import_csv(engine, write_csv(WITH_A_CUSTOMER, name="acme.csv"))
    with engine.connect() as conn:
        assert rollups.check(conn) == []
        k = kpis(conn, MARCH)
        top = breakdowns.top_customers(conn, MARCH, 5)
    assert (k.revenue_cents, k.orders, k.units, k.customers, k.new_customers) == (40000, 4, 4, 1, 1)
    assert list(zip(top["name"], top["revenue_cents"], strict=True)) == [("Acme", 10000)]


def test_the_history_grid_and_the_api_show_no_customer(engine, write_csv):
    _import(engine, write_csv)
    with engine.connect() as conn:
        rows, total = order_history_page(conn, Filters(), 1, 10, [("number", "asc")])
    assert total == 3
    assert [(r["number"], r["customer_id"], r["customer"]) for r in rows] == [
        ("N1", None, None),
        ("N2", None, None),
        ("N3", None, None),
    ]
    assert as_grid_row(rows[0])["customer"] == "— (no customer)"
    api = api_for(engine)
    body = api.get("/api/orders?sort=number").get_json()
    assert body["total"] == 3
    assert [(r["number"], r["customer"], r["customer_id"]) for r in body["rows"]] == [
        ("N1", None, None),
        ("N2", None, None),
        ("N3", None, None),
    ]
    current = api.get("/api/kpis?start=2024-03-01&end=2024-03-31").get_json()["current"]
    assert (current["revenue"], current["orders"], current["customers"]) == (300.0, 3, 0)
    assert api.get("/api/top-customers?start=2024-03-01&end=2024-03-31").status_code == 200
    assert api.get("/api/rfm?start=2024-03-01&end=2024-03-31").status_code == 200


def test_the_write_path_keeps_the_rollups_exact_without_customers(engine, write_csv):
    """The per-order path (an edit, a re-import of a few orders): take N1 out and put it back,
    one order at a time; then a corrected N2 (2 cars, 200.00): revenue 400.00, 4 units."""
    _import(engine, write_csv)
    with engine.begin() as conn:
        n1 = conn.scalar(select(Order.id).where(Order.order_number == "N1"))
        rollups.remove_orders(conn, [n1])
        assert kpis(conn, MARCH).revenue_cents == 5000  # N2 100.00 + N3 -50.00
        rollups.add_orders(conn, [n1])
        assert rollups.check(conn) == []
    corrected = NO_CUSTOMERS.replace(
        "N2,2024-03-07,CAR,Classic Cars,1,100.00", "N2,2024-03-07,CAR,Classic Cars,2,200.00"
    )
    report = import_csv(
        engine, write_csv(corrected, name="v2.csv"), options=ReadOptions(no_customers=True)
    )
    assert (report.orders_updated, report.orders_unchanged) == (1, 2)
    with engine.connect() as conn:
        k = kpis(conn, MARCH)
        assert rollups.check(conn) == []
    assert (k.revenue_cents, k.units, k.orders, k.customers) == (40000, 4, 3, 0)


def test_sorted_by_customer_and_pivoted_by_customer_they_are_still_there(engine, write_csv):
    """With Acme's A1 beside the three orders without a customer: sorted by customer the grid
    lists all 4 (Acme first, the customerless last on both backends); the pivot by customer
    has Acme 100.00 and "(none)" 300.00 (200 + 50 + 100 - 50), summing to the 400.00 total."""
    _import(engine, write_csv)
    import_csv(engine, write_csv(WITH_A_CUSTOMER, name="acme.csv"))
    with engine.connect() as conn:
        rows, total = order_history_page(conn, Filters(), 1, 10, [("customer", "asc")])
        lines = list(export_history_csv(conn, Filters(), [("customer", "asc")]))
        p = pivot(conn, MARCH, "customer", "year", "revenue")
    assert total == 4
    assert [(r["number"], r["customer"]) for r in rows] == [
        ("A1", "Acme"),
        ("N3", None),  # then newest id first, the tiebreaker
        ("N2", None),
        ("N1", None),
    ]
    assert sum(chunk.count("\n") for chunk in lines) == 5  # the header and 4 orders
    acme = next(label for label in p.row_labels if label.startswith("Acme #"))
    assert p.row_labels == ["(none)", acme]  # largest first
    assert (p.row_totals[acme], p.row_totals["(none)"], p.total) == (100.0, 300.0, 400.0)
    assert (p.cell("(none)", "2024"), p.column_totals["2024"]) == (300.0, 400.0)
