"""Does an import leave years without orders between the file's dates and the data already
stored? (Orders of 2003-2005 imported beside 2023-2026 demo data draw every all-time chart as
18 empty years.) Not an error, often a mistake: the import says so, it does not refuse."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine, select

from dashapp.analytics.query import rollup
from dashapp.store.grains import MONTH
from dashapp.store.periods import as_date

# A year or more without a single order between two months that have some.
GAP_MONTHS = 12


def order_months(engine: Engine) -> list[date]:
    """First days of the months holding at least one order (of any status), in order: from the
    monthly country rollup (a few hundred rows), not a walk over the orders."""
    table = rollup("country", period=MONTH)
    stmt = (
        select(table.c.order_date)
        .where(table.c.all_orders > 0)
        .distinct()
        .order_by(table.c.order_date)
    )
    with engine.connect() as conn:
        return [as_date(d) for d in conn.execute(stmt).scalars()]


def _index(month: date) -> int:
    return month.year * 12 + month.month - 1


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def long_gaps(months: Sequence[date], min_months: int = GAP_MONTHS) -> list[tuple[date, date]]:
    """(first, last) empty month of each run of at least `min_months` months without orders
    between two months with orders."""
    gaps = []
    for before, after in zip(months, months[1:], strict=False):
        empty = _index(after) - _index(before) - 1
        if empty >= min_months:
            gaps.append((_month(_index(before) + 1), _month(_index(after) - 1)))
    return gaps


def _length(first: date, last: date) -> str:
    months = _index(last) - _index(first) + 1
    years, rest = divmod(months, 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)


def gap_warnings(before: Sequence[date], after: Sequence[date]) -> list[str]:
    """A sentence per long gap in `after` (months with orders once the import is in) that
    `before` did not have: the imported orders are that far from the others."""
    known = set(long_gaps(before))
    return [
        f"The imported orders are {_length(first, last)} away from the other orders: none from "
        f"{first:%b %Y} to {last:%b %Y}. Charts over all time show those months as zero; pick "
        "a date range to look at one part."
        for first, last in long_gaps(after)
        if (first, last) not in known
    ]


def new_gap_warnings(engine: Engine, before: Sequence[date]) -> list[str]:
    """gap_warnings between `before` (order_months taken before the import) and now."""
    return gap_warnings(before, order_months(engine))
