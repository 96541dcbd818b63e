"""reach.chain_columns (the demo load's numpy twin of the activity chains' rebuild) against a
plain-Python working of the same chains, on random active days that mix what the SQL must
handle: customers with orders in several countries, orders without a country (''), a category
spelled like the ANY key, non-ASCII names, days across a week, month, quarter and year end."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
import pytest

from dashapp.store.models import ANY, NO_PREVIOUS_DAY
from dashapp.store.reach import PERIOD_COLUMNS, ActiveDays, chain_columns, period_first_day

CATEGORIES = ("Trains", "Classic Cars", ANY, "Ävions")
COUNTRIES = ("USA", ANY, "Österreich", "France")
FIRST = date(2023, 12, 20)


def _expected(customers, days, categories, countries):
    """{table: Counter of rows}: the chains worked out one customer at a time, as
    reach.links_of does."""
    chains: dict[tuple, set[date]] = {}
    for customer, day, category, country in zip(
        customers, days, categories, countries, strict=True
    ):
        for cat in (ANY, category):
            for cty in (ANY, country):
                chains.setdefault((customer, cat, cty), set()).add(day)
    first_ever = {}
    for (customer, _, _), chain_days in chains.items():
        first_ever[customer] = min(first_ever.get(customer, date.max), min(chain_days))
    links, firsts = Counter(), Counter()
    for (customer, category, country), chain_days in chains.items():
        prev = NO_PREVIOUS_DAY
        for day in sorted(chain_days):
            links[(category, country, day.isoformat(), prev.isoformat())] += 1
            prev = day
        firsts[
            (category, country, first_ever[customer].isoformat(), min(chain_days).isoformat())
        ] += 1
    reach: dict[tuple, list[int]] = {}
    periods = [p for p in PERIOD_COLUMNS if p != "day"]
    for (category, country, day, prev), n in links.items():
        row = reach.setdefault((category, country, day), [0] * (1 + len(periods)))
        row[0] += n
        for i, period in enumerate(periods, start=1):
            if date.fromisoformat(prev) < period_first_day(date.fromisoformat(day), period):
                row[i] += n
    return {
        "rollup_customer_days": Counter({(*k, n): 1 for k, n in links.items()}),
        "rollup_customer_firsts": Counter({(*k, n): 1 for k, n in firsts.items()}),
        "rollup_customer_reach": Counter({(*k, *v): 1 for k, v in reach.items()}),
    }


@pytest.mark.parametrize("seed", range(5))
def test_chain_columns_match_the_chains_worked_out_by_hand(seed):
    rng = np.random.default_rng(seed)
    n = 400
    customer = rng.integers(3, 40, n)
    offset = rng.integers(0, 60, n)
    category = rng.integers(0, len(CATEGORIES), n)
    country = rng.integers(0, len(COUNTRIES), n)
    days = np.datetime64(FIRST) + offset.astype("timedelta64[D]")
    found = chain_columns(ActiveDays(customer, days, category, country, CATEGORIES, COUNTRIES))
    expected = _expected(
        customer.tolist(),
        [FIRST + timedelta(days=int(d)) for d in offset],
        [CATEGORIES[c] for c in category],
        [COUNTRIES[c] for c in country],
    )
    for table, rows in expected.items():
        columns = found[table]
        got = list(zip(*(v.tolist() for v in columns.values()), strict=True))
        assert Counter(got) == rows, table
        assert got == sorted(got), table  # in primary-key order, for an appending load


def test_no_active_days_no_rows():
    empty = np.array([], dtype=np.int64)
    found = chain_columns(
        ActiveDays(empty, empty.astype("datetime64[D]"), empty, empty, CATEGORIES, COUNTRIES)
    )
    assert found == {
        "rollup_customer_days": {},
        "rollup_customer_reach": {},
        "rollup_customer_firsts": {},
    }
