"""The filter-to-SQL translator (dashapp.store.filtering): each dimension picks the same orders
from the order lines, the orders and a rollup, on the tiny data set (tests/tiny.py) with
channels and creators added:

  channel Web: O1, O3, O5; Phone: O2; none: O4, O6.   created_by sam: O2, O4.

Expected figures, by hand (revenue leaves out the cancelled O3):
  category Motorcycles  O1 (L2 50.00), O2 135.00, O5 100.00              = 285.00
  product CAR           O1 (L1 200.00), O3 cancelled, O4 99.99, O6 100.00 = 399.99
  country USA           O2 135.00, O3 cancelled, O5 100.00               = 235.00
  customer 2 (Bolt)     O2 135.00, O5 100.00                             = 235.00
  status Cancelled      O3                                               =   0.00
  channel Web           O1 250.00, O3 cancelled, O5 100.00               = 350.00
  created_by sam        O2 135.00, O4 99.99                              = 234.99
  January 2024          O1 250.00, O2 135.00, O3 cancelled               = 385.00
  Motorcycles in Jan.   O1 (L2 50.00), O2 135.00                         = 185.00
  Classic Cars, France  O1 (L1 200.00), O4 99.99, O6 100.00              = 399.99
"""

from dataclasses import fields
from datetime import date

import pytest
from sqlalchemy import distinct, func, select, update
from sqlalchemy.dialects import sqlite

from dashapp.filters import Filters
from dashapp.store.filtering import (
    DIMENSIONS,
    line_conditions,
    needs_lines,
    order_conditions,
    rollup_conditions,
)
from dashapp.store.models import (
    CANCELLED,
    Order,
    OrderLine,
    RollupDayCategoryCountry,
    RollupDayCountry,
    RollupDayCustomer,
    RollupDayProduct,
)
from tests.conftest import BACKENDS
from tests.databases import migrated_engine
from tests.tiny import seed_tiny

orders = Order.__table__
lines = OrderLine.__table__
JANUARY = dict(start=date(2024, 1, 1), end=date(2024, 1, 31))

# (filters, the rollup that answers them or None, matching orders, revenue in cents)
CASES = {
    "category": (Filters(categories=("Motorcycles",)), RollupDayCategoryCountry, "125", 28500),
    "product": (Filters(products=("CAR",)), RollupDayProduct, "1346", 39999),
    "country": (Filters(countries=("USA",)), RollupDayCountry, "235", 23500),
    "customer": (Filters(customers=(2,)), None, "25", 23500),
    "status": (Filters(statuses=("Cancelled",)), None, "3", 0),
    "channel": (Filters(channels=("Web",)), None, "135", 35000),
    "created_by": (Filters(created_by="sam"), None, "24", 23499),
    "dates": (Filters(**JANUARY), RollupDayCountry, "123", 38500),
    "category+dates": (
        Filters(categories=("Motorcycles",), **JANUARY),
        RollupDayCategoryCountry,
        "12",
        18500,
    ),
    "category+country": (
        Filters(categories=("Classic Cars",), countries=("France",)),
        RollupDayCategoryCountry,
        "146",
        39999,
    ),
}


@pytest.fixture(scope="module", params=BACKENDS)
def tiny_channels(request, tmp_path_factory):
    """The tiny data set with channels and a creator on some orders (see the docstring)."""
    with migrated_engine(request.param, tmp_path_factory.mktemp("tiny")) as engine:
        seed_tiny(engine)
        with engine.begin() as conn:
            conn.execute(update(Order).where(orders.c.id.in_([1, 3, 5])).values(channel="Web"))
            conn.execute(update(Order).where(orders.c.id == 2).values(channel="Phone"))
            conn.execute(update(Order).where(orders.c.id.in_([2, 4])).values(created_by="sam"))
        yield engine


def _numbers(ids: str) -> set[str]:
    return {f"O{i}" for i in ids}


@pytest.mark.parametrize("case", CASES)
def test_lines_orders_and_rollup_agree(tiny_channels, case):
    f, rollup, expected, revenue = CASES[case]
    by_number = select(orders.c.order_number)
    with tiny_channels.connect() as conn:
        from_lines = set(
            conn.scalars(
                by_number.where(orders.c.id.in_(select(lines.c.order_id).where(line_conditions(f))))
            )
        )
        from_orders = set(conn.scalars(by_number.where(order_conditions(f))))
        line_revenue = conn.execute(
            select(func.coalesce(func.sum(lines.c.amount_cents), 0)).where(
                line_conditions(f), lines.c.status != CANCELLED
            )
        ).scalar_one()
        line_orders = conn.execute(
            select(func.count(distinct(lines.c.order_id))).where(line_conditions(f))
        ).scalar_one()
        assert from_lines == from_orders == _numbers(expected)
        assert line_orders == len(expected)
        assert line_revenue == revenue
        assert needs_lines(f) == (rollup is None)
        if rollup is None:
            return
        t = rollup.__table__
        all_orders, rollup_revenue = conn.execute(
            select(func.sum(t.c.all_orders), func.sum(t.c.revenue_cents)).where(
                rollup_conditions(t, f)
            )
        ).one()
        assert (all_orders, rollup_revenue) == (len(expected), revenue)


@pytest.mark.parametrize("case", ["customer", "status", "channel", "created_by"])
def test_a_rollup_refuses_a_filter_it_cannot_answer(case):
    # Answering from the rollup would drop the filter: the planner reads the lines instead.
    f = CASES[case][0]
    with pytest.raises(ValueError, match="cannot filter by"):
        rollup_conditions(RollupDayCustomer.__table__, f)


def test_a_rollup_without_the_key_refuses_it():
    with pytest.raises(ValueError, match="rollup_day_country cannot filter by categories"):
        rollup_conditions(RollupDayCountry.__table__, Filters(categories=("Motorcycles",)))


def test_every_filter_field_is_a_dimension():
    declared = {d.field for d in DIMENSIONS} | {"start", "end"}
    assert declared == {f.name for f in fields(Filters)}


def test_orders_reach_line_dimensions_in_one_subquery():
    # The order-history count was tuned with this shape at 10M orders: keep it.
    f = Filters(categories=("Motorcycles",), products=("BIKE",), countries=("USA",), **JANUARY)
    sql = str(
        order_conditions(f).compile(
            dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
        )
    )
    assert sql.count("SELECT order_lines.order_id") == 1
    assert "orders.country IN ('USA')" in sql
    assert "order_lines.category IN ('Motorcycles')" in sql
    assert "order_lines.order_date >= '2024-01-01'" in sql
