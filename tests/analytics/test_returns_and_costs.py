"""KPIs net of returns, with gross sales, discounts, cost, profit, margin and cost coverage,
and the top-N rankings when returns make some rows negative. On the shop of
tests/store/test_finance_rollups.py (its docstring has every line); the arithmetic is below.

March 2024 (orders 1 and 2 live, order 3 cancelled):
  revenue 230.00 - 90.00 = 140.00; units 3 - 1 = 2; orders 2; customers 1 (Acme: Bolt's only
  March order is cancelled); returns 90.00 (1 unit); gross sales 140.00 + 90.00 = 230.00;
  discounts 20.00 - 10.00 = 10.00; cost 120.00 - 60.00 = 60.00 on costed revenue
  180.00 - 90.00 = 90.00: profit 30.00, margin 30 / 90 = 0.3333; costed sales 180.00 of
  230.00 gross: coverage 0.7826.
April 2024 (order 4): revenue 150.00 - 50.00 = 100.00; units 2; returns 50.00 (1 unit); gross
  150.00; cost 90.00 on 150.00: profit 60.00, margin 0.4; coverage 150 / 150 = 1.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert

from dashapp.analytics import breakdowns, topn
from dashapp.analytics.kpis import NO_COST, kpis
from dashapp.analytics.pivot import as_table, pivot
from dashapp.filters import Filters
from dashapp.store import rollups
from dashapp.store.models import Customer, Order, OrderLine, Product
from tests.store.test_finance_rollups import seeded

MARCH = Filters(start=date(2024, 3, 1), end=date(2024, 3, 31))
APRIL = Filters(start=date(2024, 4, 1), end=date(2024, 4, 30))
# A status filter is answered from the order lines, the rest from the rollups.
ON_LINES = {"rollups": {}, "lines": {"statuses": ("Shipped",)}}


@pytest.fixture
def shop(engine):
    return seeded(engine)


@pytest.mark.parametrize("path", ON_LINES)
def test_march_is_net_of_the_return(shop, path):
    with shop.connect() as conn:
        k = kpis(conn, Filters(**{**MARCH.__dict__, **ON_LINES[path]}))
    assert (k.revenue_cents, k.units, k.orders, k.customers) == (14000, 2, 2, 1)
    assert (k.gross_sales_cents, k.returns_cents, k.returned_units) == (23000, -9000, -1)
    assert (k.discounts_cents, k.cost_cents, k.profit_cents) == (1000, 6000, 3000)
    j = k.as_json()
    assert (j["net_revenue"], j["revenue"], j["gross_sales"]) == (140.0, 140.0, 230.0)
    assert (j["returns"], j["returned_units"], j["discounts"]) == (90.0, 1, 10.0)
    assert (j["cost"], j["profit"], j["margin"]) == (60.0, 30.0, 0.3333)
    assert j["cost_coverage"] == 0.7826
    assert j["profit_note"] is None


@pytest.mark.parametrize("path", ON_LINES)
def test_april_margin_and_full_coverage(shop, path):
    with shop.connect() as conn:
        j = kpis(conn, Filters(**{**APRIL.__dict__, **ON_LINES[path]})).as_json()
    assert (j["net_revenue"], j["units"], j["gross_sales"], j["returns"]) == (100.0, 2, 150.0, 50.0)
    assert (j["cost"], j["profit"], j["margin"], j["cost_coverage"]) == (90.0, 60.0, 0.4, 1.0)


def test_no_cost_known_is_na_with_the_reason(shop):
    # Motorcycles in March: order 1's bike alone, 50.00 without a cost.
    with shop.connect() as conn:
        k = kpis(conn, Filters(start=MARCH.start, end=MARCH.end, categories=("Motorcycles",)))
    j = k.as_json()
    assert (j["net_revenue"], j["gross_sales"], j["returns"]) == (50.0, 50.0, 0.0)
    assert (j["cost"], j["profit"], j["margin"], j["cost_coverage"]) == (None, None, None, 0.0)
    assert j["profit_note"] == NO_COST


def test_top_products_and_customers_are_net(shop):
    # All the data: cars 180.00 - 90.00 = 90.00, 2 - 1 = 1 unit (order 3 cancelled); bikes
    # 50.00 + 150.00 - 50.00 = 150.00, 1 + 3 - 1 = 3 units. Acme 230.00 - 90.00 = 140.00,
    # 2 units (orders 1, 2); Bolt 100.00, 2 units (order 4).
    with shop.connect() as conn:
        products = breakdowns.top_products(conn, Filters(), 5)
        customers = breakdowns.top_customers(conn, Filters(), 5)
        by_units = breakdowns.top_products(conn, Filters(), 5, by="units")
    assert list(
        zip(products["sku"], products["revenue_cents"], products["units"], strict=True)
    ) == [
        ("BIKE", 15000, 3),
        ("CAR", 9000, 1),
    ]
    assert list(by_units["sku"]) == ["BIKE", "CAR"]
    assert list(
        zip(customers["name"], customers["revenue_cents"], customers["units"], strict=True)
    ) == [
        ("Acme", 14000, 2),
        ("Bolt", 10000, 2),
    ]


def _seed_mid_month(engine, with_returns: bool) -> None:
    """March 2024, one country. X: 1,000.00 on the 5th, -990.00 back on the 20th (its March
    row: 10.00). Y: 600.00 on the 5th, -300.00 back on the 20th (row 300.00). Z: 200.00 on the
    5th. A February order keeps March from covering all the data. Without the returns the
    20th's lines are not written."""
    with engine.begin() as conn:
        conn.execute(
            insert(Customer), [dict(id=i, name=n) for i, n in ((1, "X"), (2, "Y"), (3, "Z"))]
        )
        conn.execute(
            insert(Product), [dict(id=1, sku="P", name="P", category="C", list_price_cents=100)]
        )
        orders = [
            (1, 1, date(2024, 3, 5), 100000),
            (2, 2, date(2024, 3, 5), 60000),
            (3, 3, date(2024, 3, 5), 20000),
            (4, 3, date(2024, 2, 5), 100),
        ]
        if with_returns:
            orders += [(5, 1, date(2024, 3, 20), -99000), (6, 2, date(2024, 3, 20), -30000)]
        for oid, customer, day, cents in orders:
            qty = 1 if cents > 0 else -1
            conn.execute(
                insert(Order),
                dict(id=oid, order_number=f"M{oid}", customer_id=customer, order_date=day,
                     ordered_at=datetime.combine(day, datetime.min.time()), status="Shipped",
                     country="France", total_cents=cents),
            )  # fmt: skip
            conn.execute(
                insert(OrderLine),
                dict(order_id=oid, line_number=1, product_id=1, quantity=qty,
                     unit_price_cents=abs(cents), amount_cents=cents, order_date=day,
                     status="Shipped", customer_id=customer, country="France", category="C"),
            )  # fmt: skip
        rollups.rebuild(conn)


FIRST_TEN_DAYS = Filters(start=date(2024, 3, 1), end=date(2024, 3, 10))


def test_returns_later_in_the_month_do_not_fool_the_ranking(engine):
    """1-10 March: X 1,000.00, Y 600.00, Z 200.00. March's list reads Y (300.00) first; a
    threshold of 300.00 would stop at Y's 600.00 and miss X. With returns stored the lists
    are not used: the plain aggregate ranks X first."""
    _seed_mid_month(engine, with_returns=True)
    with engine.connect() as conn:
        assert topn.has_returns(conn)
        assert topn.top_totals(conn, topn.CUSTOMERS, FIRST_TEN_DAYS, 1, "revenue", batch=1) is None
        top = breakdowns.top_customers(conn, FIRST_TEN_DAYS, 2)
    assert list(zip(top["name"], top["revenue_cents"], strict=True)) == [
        ("X", 100000),
        ("Y", 60000),
    ]


def test_without_returns_the_lists_still_answer(engine):
    """The same sales without the returns: March's list reads X (1,000.00) first, and the
    threshold algorithm answers exactly."""
    _seed_mid_month(engine, with_returns=False)
    with engine.connect() as conn:
        assert not topn.has_returns(conn)
        best = topn.top_totals(conn, topn.CUSTOMERS, FIRST_TEN_DAYS, 1, "revenue", batch=1)
    assert best == [(1, 100000, 1, 1)]


def test_discounts_are_one_definition_in_the_kpis_and_the_pivot(shop):
    """March's discounts are 10.00 (order 1's 20.00 off, 10.00 given back by the return), all
    on Classic Cars, on the KPIs and in the pivot alike. A line without a discount adds
    nothing even where quantity x price is not its amount: order 5 (April) sells 2 cars at a
    capped price of 100.00 for 250.00 (the file's SALES is authoritative), not -50.00 off."""
    with shop.begin() as conn:
        conn.execute(
            insert(Order),
            dict(id=5, order_number="F5", customer_id=1, order_date=date(2024, 4, 2),
                 ordered_at=datetime(2024, 4, 2), status="Shipped", country="France",
                 total_cents=25000),
        )  # fmt: skip
        conn.execute(
            insert(OrderLine),
            dict(order_id=5, line_number=1, product_id=1, quantity=2, unit_price_cents=10000,
                 discount_bp=0, amount_cents=25000, order_date=date(2024, 4, 2),
                 status="Shipped", customer_id=1, country="France", category="Classic Cars"),
        )  # fmt: skip
        rollups.add_orders(conn, [5])
    with shop.connect() as conn:
        march, april = kpis(conn, MARCH), kpis(conn, APRIL)
        both = Filters(start=MARCH.start, end=APRIL.end)
        table = as_table(pivot(conn, both, "category", None, "discount"))
    assert (march.discounts_cents, april.discounts_cents) == (1000, 0)
    assert table[1] == [
        ["Classic Cars", Decimal("10.00")],
        ["Motorcycles", Decimal("0.00")],
        ["Total", Decimal("10.00")],
    ]
