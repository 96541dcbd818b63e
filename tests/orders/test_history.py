"""Order history paging, sorting and filtering on the tiny data set (tests/tiny.py).

By hand (total = sum of line amounts; lines / units per order):
  O1 2024-01-10 Acme France Shipped   250.00  2 / 3
  O2 2024-01-15 Bolt USA    Shipped   135.00  1 / 3
  O3 2024-01-20 Cogs USA    Cancelled 100.00  1 / 1
  O4 2024-02-05 Acme France Resolved   99.99  1 / 1
  O5 2023-12-20 Bolt USA    Shipped   100.00  1 / 2
  O6 2023-01-12 Acme France Shipped   100.00  1 / 1
Ties are broken by id, newest first.
"""

from datetime import date

import pytest
from sqlalchemy import update

from dashapp.filters import Filters
from dashapp.orders.history import HistoryQueryError, as_grid_row, order_history_page
from dashapp.store.models import RollupDayCategoryCountry, RollupDayCountry
from tests.tiny import seed_tiny


def numbers(engine, f=Filters(), **kw):
    with engine.connect() as conn:
        rows, total = order_history_page(conn, f, **kw)
    return [r["number"] for r in rows], total


def test_default_is_newest_first_in_pages(tiny_engine):
    assert numbers(tiny_engine, page_size=4) == (["O4", "O3", "O2", "O1"], 6)
    assert numbers(tiny_engine, page=2, page_size=4) == (["O5", "O6"], 6)
    assert numbers(tiny_engine, page=3, page_size=4) == ([], 6)


def test_row_contents(tiny_engine):
    with tiny_engine.connect() as conn:
        rows, _ = order_history_page(conn, Filters(), page_size=4)
    o1 = rows[3]
    assert (o1["customer"], o1["country"], o1["status"]) == ("Acme", "France", "Shipped")
    assert (o1["total_cents"], o1["lines"], o1["units"]) == (25000, 2, 3)
    grid = as_grid_row(o1)
    assert (grid["date"], grid["total"]) == ("2024-01-10 00:00", 250.0)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ([("total", "asc")], ["O4", "O6", "O5", "O3", "O2", "O1"]),
        ([("customer", "asc"), ("date", "asc")], ["O6", "O1", "O4", "O5", "O2", "O3"]),
        ([("units", "desc"), ("number", "asc")], ["O1", "O2", "O5", "O3", "O4", "O6"]),
        ([{"colId": "date", "sort": "asc"}], ["O6", "O5", "O1", "O2", "O3", "O4"]),
    ],
)
def test_sorting(tiny_engine, sort, expected):
    assert numbers(tiny_engine, sort=sort) == (expected, 6)


@pytest.mark.parametrize(
    ("column_filters", "expected"),
    [
        ({"customer": "AC"}, ["O4", "O1", "O6"]),
        ({"status": {"filterType": "set", "values": ["Shipped"]}, "country": "usa"}, ["O2", "O5"]),
        (
            {"country": {"filterType": "text", "type": "equals", "filter": "USA"}},
            ["O3", "O2", "O5"],
        ),
        ({"total": {"filterType": "number", "type": "greaterThan", "filter": 100}}, ["O2", "O1"]),
        ({"total": {"type": "lessThan", "filter": "100"}}, ["O4"]),
        (
            {"units": {"filterType": "number", "type": "inRange", "filter": 2, "filterTo": 3}},
            ["O2", "O1", "O5"],
        ),
        (
            {
                "date": {
                    "filterType": "date",
                    "type": "inRange",
                    "dateFrom": "2024-01-10 00:00:00",
                    "dateTo": "2024-01-15 00:00:00",
                }
            },
            ["O2", "O1"],
        ),
        (
            {
                "customer": {
                    "operator": "OR",
                    "conditions": [
                        {"filterType": "text", "type": "startsWith", "filter": "co"},
                        {"filterType": "text", "type": "endsWith", "filter": "LT"},
                    ],
                }
            },
            ["O3", "O2", "O5"],
        ),
        ({"number": {"type": "notContains", "filter": "o"}}, []),
        ({"channel": {"type": "blank"}}, ["O4", "O3", "O2", "O1", "O5", "O6"]),
    ],
)
def test_column_filters(tiny_engine, column_filters, expected):
    assert numbers(tiny_engine, column_filters=column_filters) == (expected, len(expected))


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (Filters(categories=("Motorcycles",)), ["O2", "O1", "O5"]),
        (Filters(products=("CAR",), statuses=("Shipped",)), ["O1", "O6"]),
        (Filters(start=date(2024, 1, 1), end=date(2024, 1, 31), countries=("USA",)), ["O3", "O2"]),
        (Filters(customers=(1,)), ["O4", "O1", "O6"]),
    ],
)
def test_global_filters(tiny_engine, f, expected):
    assert numbers(tiny_engine, f) == (expected, len(expected))


def test_global_and_column_filters_and_paging_together(tiny_engine):
    f = Filters(countries=("USA",))
    got = numbers(tiny_engine, f, page=2, page_size=1, sort=[("total", "desc")])
    # USA by total, highest first: O2 135.00, then O5 and O3 at 100.00 (O5 is the newer id).
    assert got == (["O5"], 3)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"sort": [("password", "asc")]}, "Cannot sort by 'password'"),
        ({"sort": [("total", "sideways")]}, "Sort direction must be asc or desc"),
        ({"column_filters": {"id; DROP TABLE orders": "x"}}, "Cannot filter on"),
        ({"column_filters": {"total": {"type": "equals", "filter": "ten"}}}, "not a number"),
        ({"column_filters": {"date": {"type": "equals", "dateFrom": "soon"}}}, "expected a date"),
        ({"column_filters": {"units": {"type": "near", "filter": 1}}}, "Unknown filter"),
    ],
)
def test_bad_sorts_and_filters_are_refused(tiny_engine, kw, message):
    with pytest.raises(HistoryQueryError, match=message):
        numbers(tiny_engine, **kw)


def test_line_figures_need_a_narrow_selection(tiny_engine, monkeypatch):
    monkeypatch.setattr("dashapp.orders.history.MAX_ROWS_FOR_LINE_FIGURES", 3)
    with pytest.raises(HistoryQueryError, match="works on up to 3 orders; 6 match"):
        numbers(tiny_engine, sort=[("units", "desc")])
    # Acme has three orders: O1 3 units, then O4 and O6 with 1 (newest id first).
    got = numbers(tiny_engine, sort=[("units", "desc")], column_filters={"customer": "acme"})
    assert got == (["O1", "O6", "O4"], 3)


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (Filters(start=date(2024, 1, 1)), ["O4", "O3", "O2", "O1"]),
        (Filters(end=date(2024, 1, 15)), ["O2", "O1", "O5", "O6"]),
        (Filters(countries=("France",)), ["O4", "O1", "O6"]),
        (Filters(countries=("France", "USA"), start=date(2024, 1, 16)), ["O4", "O3"]),
        (Filters(countries=("Spain",)), []),
        (Filters(countries=("",)), []),
        (Filters(categories=("Classic Cars",)), ["O4", "O3", "O1", "O6"]),
        (
            Filters(start=date(2024, 1, 1), categories=("Classic Cars",), countries=("USA",)),
            ["O3"],
        ),
        # O1 has lines in both: once, not twice.
        (Filters(categories=("Classic Cars", "Motorcycles")), ["O4", "O3", "O2", "O1", "O5", "O6"]),
    ],
)
def test_counts_under_dates_countries_and_a_category(tiny_engine, f, expected):
    # The views the grid opens on, counted from the daily rollups (cancelled O3 too).
    assert numbers(tiny_engine, f) == (expected, len(expected))


def test_the_default_count_reads_the_daily_rollup_and_the_rest_read_orders(engine):
    seed_tiny(engine)
    with engine.begin() as conn:
        conn.execute(update(RollupDayCountry.__table__).values(all_orders=10))
    # Six (day, country) rows of 10 each: O1..O6 fall on six days.
    assert numbers(engine)[1] == 60
    assert numbers(engine, Filters(countries=("USA",)))[1] == 30
    with engine.begin() as conn:
        conn.execute(update(RollupDayCategoryCountry.__table__).values(all_orders=10))
    # Motorcycles: O1, O2 and O5, on three (day, category, country) rows.
    assert numbers(engine, Filters(categories=("Motorcycles",)))[1] == 30
    # Any other filter, or two categories, counts the orders themselves.
    assert numbers(engine, Filters(categories=("Classic Cars", "Motorcycles")))[1] == 6
    assert numbers(engine, Filters(statuses=("Shipped",)))[1] == 4
    assert numbers(engine, column_filters={"country": "USA"})[1] == 3


def test_sorted_by_customer_under_a_filter_in_pages(tiny_engine):
    # Cogs: O3; Bolt: O5, O2; Acme: O6, O4, O1 (ties newest id first). USA: O3, O5, O2.
    f = Filters(countries=("USA",))
    assert numbers(tiny_engine, sort=[("customer", "desc")]) == (
        ["O3", "O5", "O2", "O6", "O4", "O1"],
        6,
    )
    assert numbers(tiny_engine, f, page=2, page_size=2, sort=[("customer", "desc")]) == (["O2"], 3)
