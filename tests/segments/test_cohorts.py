"""New vs returning and cohort retention on the hand-made COHORTS set (tests/segments/people.py).

Months with a non-cancelled order, per customer (the data ends 2024-04-01):
  Pia   Jan Feb     Apr      first order January
  Quinn Jan     Mar          first order January
  Rosa      Feb Mar          first order February (two February orders count once)
  Sami      Feb              first order February (the March order was cancelled)
  Tove          Mar          first order March
"""

from datetime import date

import pytest

from dashapp.filters import Filters
from dashapp.segments.cohorts import cohort_retention, new_vs_returning


def rows(df, columns) -> list[tuple]:
    return [tuple(r) for r in df[columns].itertuples(index=False)]


def test_new_vs_returning_by_month(cohort_engine):
    with cohort_engine.connect() as conn:
        df = new_vs_returning(conn, Filters(), "month")
    assert rows(df, ["period", "new", "returning", "customers"]) == [
        (date(2024, 1, 1), 2, 0, 2),  # Pia, Quinn start
        (date(2024, 2, 1), 2, 1, 3),  # Rosa, Sami start; Pia returns
        (date(2024, 3, 1), 1, 2, 3),  # Tove starts; Quinn, Rosa return
        (date(2024, 4, 1), 0, 1, 1),  # Pia returns
    ]


def test_new_vs_returning_by_quarter(cohort_engine):
    with cohort_engine.connect() as conn:
        df = new_vs_returning(conn, Filters(), "quarter")
    # Everyone's first order is in Q1; only Pia orders in Q2.
    assert rows(df, ["period", "new", "returning"]) == [
        (date(2024, 1, 1), 5, 0),
        (date(2024, 4, 1), 0, 1),
    ]


def test_new_vs_returning_honours_filters(cohort_engine):
    with cohort_engine.connect() as conn:
        france = new_vs_returning(conn, Filters(countries=("France",)), "month")
        from_feb = new_vs_returning(conn, Filters(start=date(2024, 2, 1)), "month")
    # France is Pia and Quinn only.
    assert rows(france, ["period", "new", "returning"]) == [
        (date(2024, 1, 1), 2, 0),
        (date(2024, 2, 1), 0, 1),
        (date(2024, 3, 1), 0, 1),
        (date(2024, 4, 1), 0, 1),
    ]
    # A customer stays "returning" when the range starts after their first order.
    assert rows(from_feb, ["period", "new", "returning"])[0] == (date(2024, 2, 1), 2, 1)


def test_new_vs_returning_refuses_an_unknown_granularity(cohort_engine):
    with cohort_engine.connect() as conn, pytest.raises(ValueError, match="granularity"):
        new_vs_returning(conn, Filters(), "fortnight")


def test_cohort_matrix(cohort_engine):
    with cohort_engine.connect() as conn:
        df = cohort_retention(conn, Filters())
    jan, feb, mar = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
    assert rows(df, ["cohort", "months", "customers", "cohort_size", "share"]) == [
        (jan, 0, 2, 2, 1.0),
        (jan, 1, 1, 2, 0.5),  # Pia in February
        (jan, 2, 1, 2, 0.5),  # Quinn in March
        (jan, 3, 1, 2, 0.5),  # Pia in April
        (feb, 0, 2, 2, 1.0),
        (feb, 1, 1, 2, 0.5),  # Rosa in March
        (feb, 2, 0, 2, 0.0),  # nobody in April (observed, so a real 0)
        (mar, 0, 1, 1, 1.0),
        (mar, 1, 0, 1, 0.0),
    ]


def test_cohort_matrix_stops_at_max_months(cohort_engine):
    with cohort_engine.connect() as conn:
        df = cohort_retention(conn, Filters(), max_months=1)
    assert df["months"].max() == 1
    assert len(df) == 6  # three cohorts x months 0 and 1


def test_cohort_matrix_honours_filters(cohort_engine):
    with cohort_engine.connect() as conn:
        france = cohort_retention(conn, Filters(countries=("France",)))
        from_feb = cohort_retention(conn, Filters(start=date(2024, 2, 1)))
        to_feb = cohort_retention(conn, Filters(end=date(2024, 2, 29)))
    assert rows(france, ["cohort", "months", "customers"]) == [
        (date(2024, 1, 1), 0, 2),
        (date(2024, 1, 1), 1, 1),
        (date(2024, 1, 1), 2, 1),
        (date(2024, 1, 1), 3, 1),
    ]
    # The January cohort's first month lies before the range, so the cohort is left out.
    assert sorted(set(from_feb["cohort"])) == [date(2024, 2, 1), date(2024, 3, 1)]
    # Ending in February: months after it are unobserved, not 0 %.
    assert rows(to_feb, ["cohort", "months", "customers"]) == [
        (date(2024, 1, 1), 0, 2),
        (date(2024, 1, 1), 1, 1),
        (date(2024, 2, 1), 0, 2),
    ]


def test_cohort_matrix_of_nothing_is_empty(cohort_engine):
    with cohort_engine.connect() as conn:
        df = cohort_retention(conn, Filters(start=date(2030, 1, 1)))
    assert df.empty
    assert list(df.columns) == ["cohort", "months", "customers", "cohort_size", "share"]


@pytest.mark.parametrize("max_months", [-1, 121, 2.5])
def test_cohort_matrix_refuses_bad_max_months(cohort_engine, max_months):
    with cohort_engine.connect() as conn, pytest.raises(ValueError, match="max_months"):
        cohort_retention(conn, Filters(), max_months=max_months)
