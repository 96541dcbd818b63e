"""The top customers and products read from the per-month lists (analytics.topn) are exact.

The hand case is built so that a bound of one row per customer would stop too early; the demo
cross-check compares with the order-lines path under several ranges, limits and batch sizes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select, update

from dashapp.analytics import breakdowns, topn
from dashapp.demo import generate_demo
from dashapp.filters import Filters
from dashapp.orders import LineDraft, OrderDraft, create_order
from dashapp.store import rollups
from dashapp.store.models import ORDER_STATUSES, Order, OrderLine, Product
from tests.accounts import staff
from tests.conftest import BACKENDS
from tests.databases import migrated_engine
from tests.shop import seed_shop

MARCH = Filters(start=date(2024, 3, 1), end=date(2024, 3, 31))


def _order(engine, customer, sku, day, country=None):
    order = create_order(engine, OrderDraft(customer, [LineDraft(sku, 1)], day), staff("alice"))
    if country:
        with engine.begin() as conn:
            conn.execute(update(Order).where(Order.id == order.id).values(country=country))
            conn.execute(
                update(OrderLine).where(OrderLine.order_id == order.id).values(country=country)
            )
            rollups.rebuild(conn)
    return order


@pytest.fixture
def two_countries(engine):
    """March 2024. Bolt (2): a car shipped to the USA (100.00) and a bike to Canada (50.00),
    150.00 in all. Acme (1): a car to France and one to Spain, 200.00 in all, each row no bigger
    than Bolt's biggest. A car in February keeps March from covering all the data."""
    seed_shop(engine)
    _order(engine, 1, "CAR", "2024-02-10")
    _order(engine, 2, "CAR", "2024-03-05", "USA")
    _order(engine, 2, "BIKE", "2024-03-06", "Canada")
    _order(engine, 1, "CAR", "2024-03-07", "France")
    _order(engine, 1, "CAR", "2024-03-08", "Spain")
    return engine


def test_a_customer_split_over_two_countries_is_not_missed(two_countries):
    with two_countries.connect() as conn:
        assert topn.applies(conn, MARCH)
        # March's list, best first: Bolt/USA 100, Acme/Spain 100, Acme/France 100, Bolt/Canada
        # 50. After Bolt's row alone, Bolt's 150.00 beats one row's 100.00, but not two rows'.
        assert topn.top_totals(conn, topn.CUSTOMERS, MARCH, 1, "revenue", batch=1) == [
            (1, 20000, 2, 2)
        ]
        assert topn.top_totals(conn, topn.CUSTOMERS, MARCH, 2, "units", batch=1) == [
            (1, 20000, 2, 2),
            (2, 15000, 2, 2),
        ]
        top = breakdowns.top_customers(conn, MARCH, 5)
        # Products: three cars (300.00) and a bike (50.00) in March.
        products = breakdowns.top_products(conn, MARCH, 5)
        assert topn.top_totals(conn, topn.PRODUCTS, MARCH, 1, "units", batch=1) == [
            (1, 30000, 3, 3)
        ]
    assert list(top["name"]) == ["Acme", "Bolt"]
    assert list(top["revenue_cents"]) == [20000, 15000]
    assert list(products["sku"]) == ["CAR", "BIKE"]
    assert list(products["revenue_cents"]) == [30000, 5000]


def test_past_the_depth_limit_the_ranking_adds_up_every_customer(two_countries, monkeypatch):
    monkeypatch.setattr(topn, "MAX_DEPTH", 1)
    with two_countries.connect() as conn:
        assert topn.top_totals(conn, topn.CUSTOMERS, MARCH, 1, "revenue", batch=1) is None
        top = breakdowns.top_customers(conn, MARCH, 1)
        products = breakdowns.top_products(conn, MARCH, 1)
    assert list(top["name"]) == ["Acme"]
    assert list(products["sku"]) == ["CAR"]


def test_only_closed_ranges_or_all_data_over_everything_use_the_lists(two_countries):
    with two_countries.connect() as conn:
        assert topn.applies(conn, Filters())  # all the data: the all-time totals' list
        assert topn.applies(conn, Filters(start=date(2024, 2, 1), end=date(2024, 3, 31)))
        assert not topn.applies(conn, Filters(start=date(2024, 3, 1)))
        assert not topn.applies(conn, replace(MARCH, countries=("USA",)))
        assert not topn.applies(conn, replace(MARCH, categories=("Classic Cars",)))
        assert not topn.applies(conn, replace(MARCH, statuses=("Shipped",)))


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request, tmp_path_factory):
    with migrated_engine(request.param, tmp_path_factory.mktemp("topn")) as eng:
        generate_demo(eng, orders=3000, seed=11, end=date(2025, 6, 30))
        yield eng


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 4, 2), date(2025, 6, 30)),
        (date(2024, 2, 10), date(2024, 11, 20)),
        (date(2024, 6, 3), date(2024, 6, 20)),
        (date(2025, 6, 30), date(2025, 6, 30)),
        (None, None),  # all the data: the all-time totals
        (date(2020, 1, 1), None),
    ],
)
@pytest.mark.parametrize("by", ["revenue", "units"])
@pytest.mark.parametrize("limit", [1, 25])
@pytest.mark.parametrize("what", ["customers", "products"])
def test_the_lists_agree_with_the_order_lines(demo, start, end, by, limit, what):
    f = Filters(start=start, end=end)
    rank = breakdowns.top_customers if what == "customers" else breakdowns.top_products
    ranking = topn.CUSTOMERS if what == "customers" else topn.PRODUCTS
    with demo.connect() as conn:
        assert topn.applies(conn, f)
        slow = rank(conn, replace(f, statuses=ORDER_STATUSES), limit, by)
        ids = list(slow["customer_id"]) if what == "customers" else _product_ids(conn, slow)
        measures = slow[["revenue_cents", "units", "orders"]].itertuples(index=False)
        expected = [(int(i), *(int(v) for v in m)) for i, m in zip(ids, measures, strict=True)]
        for batch in (1, 7, 64):
            # The same rows (the page orders ties by sku, the lists by id).
            found = topn.top_totals(conn, ranking, f, limit, by, batch=batch)
            assert sorted(found) == sorted(expected)
        pd.testing.assert_frame_equal(rank(conn, f, limit, by), slow, check_dtype=False)


def _product_ids(conn, df) -> list[int]:
    stmt = select(Product.sku, Product.id).where(Product.sku.in_(list(df["sku"])))
    found = {sku: id_ for sku, id_ in conn.execute(stmt)}
    return [found[sku] for sku in df["sku"]]


def test_the_rows_per_id_bound_is_worked_out_again_after_a_write(engine):
    seed_shop(engine)
    _order(engine, 1, "CAR", "2024-02-10")
    _order(engine, 2, "CAR", "2024-03-05", "USA")
    _order(engine, 1, "CAR", "2024-03-07", "France")
    with engine.connect() as conn:  # one country per customer so far: a bound of one row
        assert topn.top_totals(conn, topn.CUSTOMERS, MARCH, 1, "revenue", batch=1) == [
            (1, 10000, 1, 1)
        ]
    # Acme's second car goes to Spain and Bolt's bike to Canada: the two_countries case.
    _order(engine, 1, "CAR", "2024-03-08", "Spain")
    _order(engine, 2, "BIKE", "2024-03-06", "Canada")
    with engine.connect() as conn:
        assert topn.top_totals(conn, topn.CUSTOMERS, MARCH, 1, "revenue", batch=1) == [
            (1, 20000, 2, 2)
        ]
