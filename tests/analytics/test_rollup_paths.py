"""The rollup-backed answers equal the answers read from the order lines.

The hand-worked figures of test_kpis.py / test_breakdowns.py pin both paths on the tiny data
set; this cross-checks them on a few thousand demo orders (cancelled orders, many categories,
countries, products and customers), where a wrong key or a double-counted order would show.
Forcing the lines path: a status filter listing every status changes no figure but rules the
rollups out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from dashapp.analytics import anomalies, breakdowns
from dashapp.analytics.kpis import kpis
from dashapp.analytics.query import (
    category_source,
    customer_source,
    full_months,
    full_weeks,
    order_source,
    period_days,
    product_source,
    reach_key,
    segments,
)
from dashapp.demo import generate_demo
from dashapp.filters import Filters
from dashapp.segments import rfm
from dashapp.store import rollups
from dashapp.store.models import ORDER_STATUSES, OrderLine, Product
from tests.conftest import BACKENDS
from tests.databases import migrated_engine

END = date(2025, 6, 30)


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request, tmp_path_factory):
    with migrated_engine(request.param, tmp_path_factory.mktemp("paths")) as eng:
        generate_demo(eng, orders=3000, seed=7, end=END)
        yield eng


def _lines_path(conn, f: Filters) -> Filters:
    forced = replace(f, statuses=ORDER_STATUSES)
    assert order_source(forced) is None and category_source(forced) is None
    assert customer_source(conn, forced) is None and product_source(conn, forced) is None
    return forced


def _countries_and_category(engine) -> tuple[tuple[str, ...], str]:
    with engine.connect() as conn:
        df = breakdowns.sales_by_country(conn, Filters())
        cats = breakdowns.sales_by_category(conn, Filters())
    return tuple(df["country"][:2]), cats["category"][1]


FILTERS = [
    Filters(),
    Filters(start=date(2025, 4, 2), end=date(2025, 6, 30)),
    Filters(start=date(2024, 1, 1), end=date(2024, 12, 31)),
    Filters(start=date(2024, 2, 10), end=date(2024, 11, 20)),
    Filters(start=date(2024, 3, 15)),
    Filters(end=date(2024, 5, 31)),
    Filters(start=date(2024, 6, 3), end=date(2024, 6, 20)),
    "one category",
    "two countries",
    "category and countries, 90 days",
    "one country, ragged months",
    "category in one country, 90 days",
    "two categories",
]


def _resolve(engine, spec) -> Filters:
    if isinstance(spec, Filters):
        return spec
    countries, category = _countries_and_category(engine)
    return {
        "one category": Filters(categories=(category,)),
        "two countries": Filters(countries=countries),
        "category and countries, 90 days": Filters(
            start=date(2025, 4, 2),
            end=date(2025, 6, 30),
            categories=(category,),
            countries=countries,
        ),
        "one country, ragged months": Filters(
            start=date(2024, 2, 10), end=date(2024, 11, 20), countries=countries[:1]
        ),
        "category in one country, 90 days": Filters(
            start=date(2025, 4, 2),
            end=date(2025, 6, 30),
            categories=(category,),
            countries=countries[:1],
        ),
        "two categories": Filters(categories=(category, "Motorcycles")),
    }[spec]


def test_the_demo_load_leaves_exact_rollups(demo):
    with demo.connect() as conn:
        assert rollups.check(conn) == []


def test_distinct_customers_come_from_the_activity_chains_where_they_can():
    assert reach_key(Filters(start=END)) == ("", "")
    assert reach_key(Filters(categories=("Trains",))) == ("Trains", "")
    assert reach_key(Filters(countries=("France",), categories=("Trains",))) == ("Trains", "France")
    assert reach_key(Filters(countries=("France", "Spain"))) is None
    assert reach_key(Filters(categories=("Trains", "Ships"))) is None
    assert reach_key(Filters(statuses=("Shipped",))) is None


@pytest.mark.parametrize("spec", FILTERS, ids=str)
def test_kpis_agree(demo, spec):
    f = _resolve(demo, spec)
    with demo.connect() as conn:
        fast, slow = kpis(conn, f), kpis(conn, _lines_path(conn, f))
    assert fast.orders > 0
    assert fast == slow


@pytest.mark.parametrize("spec", FILTERS, ids=str)
@pytest.mark.parametrize(
    "query",
    [
        lambda c, f: breakdowns.sales_over_time(c, f, "day"),
        lambda c, f: breakdowns.sales_over_time(c, f, "week"),
        lambda c, f: breakdowns.sales_over_time(c, f, "month"),
        lambda c, f: breakdowns.sales_over_time(c, f, "quarter"),
        lambda c, f: breakdowns.sales_over_time(c, f, "year"),
        lambda c, f: breakdowns.sales_by_category(c, f),
        lambda c, f: breakdowns.category_over_time(c, f, "week"),
        lambda c, f: breakdowns.sales_by_country(c, f),
        lambda c, f: breakdowns.top_products(c, f, 10, "revenue"),
        lambda c, f: breakdowns.top_products(c, f, 10, "units"),
        lambda c, f: breakdowns.top_customers(c, f, 10, "revenue"),
        lambda c, f: breakdowns.top_customers(c, f, 10, "units"),
    ],
    ids=[
        "over_time_day",
        "over_time_week",
        "over_time_month",
        "over_time_quarter",
        "over_time_year",
        "by_category",
        "category_over_time",
        "by_country",
        "top_products_revenue",
        "top_products_units",
        "top_customers_revenue",
        "top_customers_units",
    ],
)
def test_breakdowns_agree(demo, spec, query):
    f = _resolve(demo, spec)
    with demo.connect() as conn:
        fast, slow = query(conn, f), query(conn, _lines_path(conn, f))
    assert len(fast) > 0
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 1, 1), date(2024, 12, 31), (date(2024, 1, 1), date(2024, 12, 1))),
        (date(2024, 2, 10), date(2024, 11, 20), (date(2024, 3, 1), date(2024, 10, 1))),
        (date(2024, 12, 2), date(2025, 2, 28), (date(2025, 1, 1), date(2025, 2, 1))),
        (date(2024, 2, 1), date(2024, 2, 29), (date(2024, 2, 1), date(2024, 2, 1))),
        (date(2024, 2, 1), date(2024, 2, 28), None),  # 2024 is a leap year
        (date(2024, 6, 3), date(2024, 6, 20), None),
        (date(2024, 6, 3), date(2024, 7, 30), None),
        (None, date(2024, 1, 15), (None, date(2023, 12, 1))),
        (date(2024, 1, 15), None, (date(2024, 2, 1), None)),
        (None, None, (None, None)),
    ],
)
def test_full_months(start, end, expected):
    assert full_months(start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Mon 3 June 2024 to Sun 30 June: four whole weeks.
        (date(2024, 6, 3), date(2024, 6, 30), (date(2024, 6, 3), date(2024, 6, 24))),
        # Wed 5 June to Sat 29 June: the weeks of 10 and 17 June.
        (date(2024, 6, 5), date(2024, 6, 29), (date(2024, 6, 10), date(2024, 6, 17))),
        (date(2024, 6, 5), date(2024, 6, 15), None),  # Wed to the next Sat
        (None, date(2024, 6, 12), (None, date(2024, 6, 3))),
        (date(2024, 6, 4), None, (date(2024, 6, 10), None)),
    ],
)
def test_full_weeks(start, end, expected):
    assert full_weeks(start, end) == expected


def test_a_range_splits_into_months_then_weeks_then_days():
    # Thu 15 Feb to Wed 15 May 2024: March and April whole; in February the week of Mon 19
    # (to Sun 25) and the days 15-18 and 26-29; in May the days 1-5 (Wed-Sun), then the week
    # of Mon 6 and the days 13-15.
    pieces = segments(date(2024, 2, 15), date(2024, 5, 15), ("month", "week"))
    assert sorted(pieces, key=lambda p: (p[1], p[0])) == [
        ("day", date(2024, 2, 15), date(2024, 2, 18)),
        ("week", date(2024, 2, 19), date(2024, 2, 19)),
        ("day", date(2024, 2, 26), date(2024, 2, 29)),
        ("month", date(2024, 3, 1), date(2024, 4, 1)),
        ("day", date(2024, 5, 1), date(2024, 5, 5)),
        ("week", date(2024, 5, 6), date(2024, 5, 6)),
        ("day", date(2024, 5, 13), date(2024, 5, 15)),
    ]


def test_a_piece_lists_its_period_start_days():
    assert period_days("month", date(2024, 11, 1), date(2025, 2, 1)) == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]
    assert period_days("week", date(2024, 2, 19), date(2024, 3, 4)) == [
        date(2024, 2, 19),
        date(2024, 2, 26),
        date(2024, 3, 4),
    ]
    assert period_days("day", date(2024, 2, 28), date(2024, 3, 1)) == [
        date(2024, 2, 28),
        date(2024, 2, 29),
        date(2024, 3, 1),
    ]
    assert period_days("day", None, date(2024, 3, 1)) is None
    # Past 100 days the piece stays a range.
    assert period_days("day", date(2024, 1, 1), date(2024, 4, 10)) is None
    assert len(period_days("day", date(2024, 1, 1), date(2024, 4, 9))) == 100  # 31+29+31+9


def test_top_products_of_a_country_read_the_product_country_rollups(demo):
    f = Filters(start=date(2024, 2, 10), end=date(2024, 11, 20), countries=("France",))
    with demo.connect() as conn:
        source = product_source(conn, f)
        whole = product_source(conn, Filters(countries=("France",)))
    assert source is not None and "product_country" in str(source.table.compile())
    assert whole is not None and whole.table.name == "rollup_month_product_country"


@pytest.mark.parametrize("spec", FILTERS, ids=str)
@pytest.mark.parametrize("measure", ["revenue", "units"])
def test_forecast_input_series_agree(demo, spec, measure):
    from dashapp.analytics.forecasting import daily_series

    f = _resolve(demo, spec)
    with demo.connect() as conn:
        fast, slow = (
            daily_series(conn, f, measure),
            daily_series(conn, _lines_path(conn, f), measure),
        )
    assert fast.sum() > 0
    pd.testing.assert_series_equal(fast, slow)


@pytest.mark.parametrize("spec", FILTERS, ids=str)
def test_rfm_totals_agree(demo, spec):
    # Orders, revenue and the last day per customer from the rollups equal the GROUP BY over
    # the lines; two categories go to the lines themselves.
    f = _resolve(demo, spec)
    with demo.connect() as conn:
        from_rollups = rfm._rollup_totals(conn, f)
        assert (from_rollups is None) == (len(f.categories) > 1)
        fast = rfm.customer_totals(conn, f)
        slow = rfm.customer_totals(conn, _lines_path(conn, f))
    assert len(fast) > 0
    key = ["customer_id"]
    pd.testing.assert_frame_equal(
        fast.sort_values(key).reset_index(drop=True), slow.sort_values(key).reset_index(drop=True)
    )


@pytest.mark.parametrize("scope", ["total", "category", "product", "country"])
def test_anomaly_matrices_agree_with_the_lines(demo, scope):
    # The scan's daily revenue per key, from the rollups, against a GROUP BY over the
    # non-cancelled lines written here.
    start, end = date(2025, 3, 1), END
    lines = OrderLine.__table__
    key = {"total": None, "category": lines.c.category, "country": lines.c.country}.get(
        scope, Product.sku
    )
    cols = [lines.c.order_date] + ([key] if key is not None else [])
    stmt = (
        select(*cols, func.sum(lines.c.amount_cents))
        .join(Product, Product.id == lines.c.product_id)
        .where(lines.c.status != "Cancelled", lines.c.order_date.between(start, end))
        .group_by(*cols)
    )
    with demo.connect() as conn:
        matrix = anomalies._daily_matrix(conn, scope, start, end)
        expected = {
            (pd.Timestamp(str(r[0])), r[1] if key is not None else anomalies.TOTAL_KEY): r[-1]
            for r in conn.execute(stmt)
        }
    got = {(day, k): v for (day, k), v in matrix.stack().items() if v}
    assert got == {k: float(v) for k, v in expected.items() if v}
    assert len(got) > 100
