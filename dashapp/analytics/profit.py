"""Gross profit and margin per period (SPEC §3), for the Overview's profit and margin cards.

The same sums as the KPIs (dashapp.analytics.measures): cost and the revenue of the lines whose
cost is known, read from the rollups when the filters allow it, else from the order lines, and
grouped by period in SQL.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, select

from dashapp.analytics import trends
from dashapp.analytics.measures import COST, COSTED_REVENUE
from dashapp.analytics.query import lines_source, order_source
from dashapp.filters import Filters
from dashapp.store.periods import as_date, period_bucket

COLUMNS = ["period", "cost_cents", "costed_revenue_cents", "profit_cents"]


def profit_over_time(conn: Connection, f: Filters, granularity: str) -> pd.DataFrame:
    """Per period: cost_cents, costed_revenue_cents and profit_cents (their difference) of the
    live lines whose cost is known; a period without such lines has zeros."""
    monthly = granularity in ("month", "quarter", "year")
    source = order_source(f, monthly=monthly) or lines_source(f)
    bucket = period_bucket(conn, source.table.c.order_date, granularity).label("period")
    stmt = (
        select(bucket, COST.over(source), COSTED_REVENUE.over(source))
        .where(source.where)
        .group_by(bucket)
        .order_by(bucket)
    )
    rows = [(as_date(p), int(c), int(r), int(r) - int(c)) for p, c, r in conn.execute(stmt)]
    return pd.DataFrame(rows, columns=COLUMNS).astype({c: "int64" for c in COLUMNS[1:]})


def profit_series(conn: Connection, f: Filters, granularity: str) -> trends.Series:
    """profit_over_time with every period of the range, at exactly `granularity`."""
    return trends.series_of(
        conn, f, granularity, granularity, lambda g, gran: profit_over_time(conn, g, gran)
    )


def margins(frame: pd.DataFrame) -> list[float]:
    """Per row of a profit frame: profit / costed revenue as a fraction, 0 where the period
    has no costed revenue (the sparkline draws it at zero, not as a gap)."""
    return [
        (p / r) if r else 0.0
        for p, r in zip(frame["profit_cents"], frame["costed_revenue_cents"], strict=True)
    ]
