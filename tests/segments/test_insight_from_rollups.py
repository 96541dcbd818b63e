"""The Customers insight read from the rollups answers exactly as the order lines do (issue 17):
new vs returning customers per period from the distinct-customer sums, the cohort matrix from
the monthly and daily customer rollups, on a generated demo over every granularity and the
filters the rollups can answer (dates, a country, a category)."""

from __future__ import annotations

from datetime import date

import pytest

from dashapp.demo import generate_demo
from dashapp.filters import Filters
from dashapp.segments import cohorts
from tests.conftest import BACKENDS
from tests.databases import migrated_engine

END = date(2025, 12, 31)
FILTERS = [
    Filters(),
    Filters(start=date(2024, 1, 1), end=END),
    Filters(start=date(2025, 2, 17), end=date(2025, 11, 12)),  # ragged ends
    Filters(start=date(2025, 3, 5), end=date(2025, 3, 25)),  # inside one month
    Filters(start=date(2024, 6, 15), end=date(2025, 9, 20), countries=("France",)),
    Filters(start=date(2024, 11, 20), end=date(2025, 4, 2), categories=("Planes",)),
    Filters(categories=("Classic Cars",), countries=("USA",)),
]


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(request, tmp_path_factory):
    with migrated_engine(request.param, tmp_path_factory.mktemp("insight")) as eng:
        generate_demo(eng, orders=3000, seed=11, end=END)
        yield eng


@pytest.mark.parametrize("granularity", ["week", "month", "quarter", "year"])
@pytest.mark.parametrize("f", FILTERS, ids=range(len(FILTERS)))
def test_new_vs_returning_from_the_sums_is_the_lines_answer(demo_engine, f, granularity):
    with demo_engine.connect() as conn:
        # The series the page shows has its range resolved; an open range is read as is.
        fast = cohorts.new_vs_returning(conn, f, granularity)
        slow = cohorts._new_vs_returning_lines(conn, f, granularity)
    assert fast.to_dict("records") == slow.to_dict("records")
    assert len(fast) > 0


@pytest.mark.parametrize("max_months", [0, 3, 12])
@pytest.mark.parametrize("f", FILTERS, ids=range(len(FILTERS)))
def test_cohorts_from_the_rollups_are_the_lines_answer(demo_engine, f, max_months):
    with demo_engine.connect() as conn:
        fast = cohorts._rollup_cohort_counts(conn, f, max_months)
        slow = cohorts._line_cohort_counts(conn, f, max_months)
        shown = cohorts.cohort_retention(conn, f, max_months)
    assert fast == slow
    assert fast
    assert int(shown["customers"].sum()) > 0
