"""Credit notes import as returns (issue 21 item 9): a line with a negative quantity or amount is
stored with negative units, amount and cost (the price stays the item's), and every figure
is net of it. Quantity 0 is still refused.

The file (a profit column gives cost = amount - profit):
  line 2  S1 2024-03-05 Acme France  CAR  x2  @100.00  200.00  profit  40.00 -> cost 160.00
  line 3  S1 2024-03-05 Acme France  BIKE x1  @50.00    50.00  no profit   -> cost unknown
  line 4  C1 2024-03-09 Acme France  CAR  x-1 @100.00 -100.00  profit -20.00 -> cost -80.00
  line 5  S2 2024-03-10 Bolt USA     BIKE x3  @50.00   150.00  profit  30.00 -> cost 120.00
  line 6  C2 2024-03-12 Bolt USA     BIKE x1  @50.00   -50.00  no profit (a credit note written
          with a positive quantity: stored as -1 unit, -50.00)

Revenue 200 + 50 - 100 + 150 - 50 = 250.00; units 2 + 1 - 1 + 3 - 1 = 4; orders 4 (a credit
note is an order of its own); customers 2. Returns 100 + 50 = 150.00, 2 units; gross sales
250 + 150 = 400.00. Cost 160 - 80 + 120 = 200.00 on costed revenue 200 - 100 + 150 = 250.00:
profit 50.00 (40 - 20 + 30), margin 50 / 250 = 0.2; costed sales 200 + 150 = 350.00 of 400.00
gross: coverage 0.875.
Top products: BIKE 50 + 150 - 50 = 150.00 (3 units), CAR 200 - 100 = 100.00 (1 unit).
Top customers: Acme 250 - 100 = 150.00 (2 units), Bolt 150 - 50 = 100.00 (2 units).
"""

from __future__ import annotations

from sqlalchemy import select

from dashapp.analytics import breakdowns
from dashapp.analytics.kpis import kpis
from dashapp.filters import Filters
from dashapp.importer import import_csv
from dashapp.store import rollups
from dashapp.store.models import Order, OrderLine

TEXT = (
    "Order ID,Order Date,Customer,Product Code,Category,Quantity,Unit Price,Sales,Profit,"
    "Country,Status\n"
    "S1,2024-03-05,Acme,CAR,Classic Cars,2,100.00,200.00,40.00,France,Shipped\n"
    "S1,2024-03-05,Acme,BIKE,Motorcycles,1,50.00,50.00,,France,Shipped\n"
    "C1,2024-03-09,Acme,CAR,Classic Cars,-1,100.00,-100.00,-20.00,France,Shipped\n"
    "S2,2024-03-10,Bolt,BIKE,Motorcycles,3,50.00,150.00,30.00,USA,Shipped\n"
    "C2,2024-03-12,Bolt,BIKE,Motorcycles,1,50.00,-50.00,,USA,Shipped\n"
)


def test_a_credit_note_imports_as_a_return(engine, write_csv):
    report = import_csv(engine, write_csv(TEXT))
    assert report.rejects == []
    assert (report.orders_added, report.lines_added, report.return_lines) == (4, 5, 2)
    assert "Returns (negative quantity or amount): 2 lines, netted from revenue and units" in (
        report.summary_lines()
    )
    with engine.connect() as conn:
        stored = conn.execute(
            select(
                Order.order_number,
                OrderLine.quantity,
                OrderLine.unit_price_cents,
                OrderLine.amount_cents,
                OrderLine.cost_cents,
                Order.total_cents,
            )
            .join(Order, Order.id == OrderLine.order_id)
            .order_by(Order.order_number, OrderLine.line_number)
        ).all()
        assert rollups.check(conn) == []
    assert stored == [
        ("C1", -1, 10000, -10000, -8000, -10000),
        ("C2", -1, 5000, -5000, None, -5000),
        ("S1", 2, 10000, 20000, 16000, 25000),
        ("S1", 1, 5000, 5000, None, 25000),
        ("S2", 3, 5000, 15000, 12000, 15000),
    ]


def test_every_figure_is_net_of_the_returns(engine, write_csv):
    import_csv(engine, write_csv(TEXT))
    with engine.connect() as conn:
        j = kpis(conn, Filters()).as_json()
        products = breakdowns.top_products(conn, Filters(), 5)
        customers = breakdowns.top_customers(conn, Filters(), 5)
    assert (j["net_revenue"], j["units"], j["orders"], j["customers"]) == (250.0, 4, 4, 2)
    assert (j["gross_sales"], j["returns"], j["returned_units"]) == (400.0, 150.0, 2)
    assert (j["cost"], j["profit"], j["margin"], j["cost_coverage"]) == (200.0, 50.0, 0.2, 0.875)
    assert list(
        zip(products["sku"], products["revenue_cents"], products["units"], strict=True)
    ) == [
        ("BIKE", 15000, 3),
        ("CAR", 10000, 1),
    ]
    assert list(zip(customers["name"], customers["revenue_cents"], strict=True)) == [
        ("Acme", 15000),
        ("Bolt", 10000),
    ]


def test_a_negative_cost_on_a_sale_is_refused(engine, write_csv):
    text = (
        "Order ID,Order Date,Customer,Product Code,Quantity,Sales,Cost\n"
        "N1,2024-03-05,Acme,CAR,1,100.00,-5.00\n"
    )
    report = import_csv(engine, write_csv(text))
    assert [(r.line, r.reason) for r in report.rejects] == [(2, "cost -5.00 is negative on a sale")]
    assert report.orders_added == 0
