"""Benchmark: RFM scores over a big database, against the naive pandas way.

    .venv/bin/python -m bench.rfm [--database-url URL] [--runs 5] [--naive-runs 3]

The database is $BENCH_DATABASE_URL when set (the demo database a `make bench` run builds),
else the app's configured one.

Times `rfm_scores` (one GROUP BY in SQL, scored on the per-customer aggregate) over the whole
history and over the last 90 days, then the naive way (every order line read into pandas and
grouped there) over the whole history, and prints the median, the p95 (nearest rank: with five
runs, the slowest) and their ratio. Figures are also written to bench/results/rfm.json.
The database must already hold orders, e.g. `python -m dashapp demo --orders 1000000`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from dashapp.analytics.query import data_bounds, lines
from dashapp.filters import Filters
from dashapp.segments import rfm_scores, segment_for
from dashapp.segments.scoring import quintile_scores
from dashapp.store.db import database_url, make_engine
from dashapp.store.models import CANCELLED, Customer

RESULTS = Path(__file__).resolve().parent / "results" / "rfm.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        # The same variable as bench.forecast_anomalies, so one `make bench` run reads one database.
        default=os.environ.get("BENCH_DATABASE_URL") or database_url(),
        help="SQLAlchemy URL of a filled database (default $BENCH_DATABASE_URL, else the app's)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs of rfm_scores")
    parser.add_argument("--naive-runs", type=int, default=3, help="0 skips the naive way")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    shown_url = engine.url.render_as_string(hide_password=True)
    size = _size(engine)
    if size is None:
        print(
            f"No orders in {shown_url}. Fill it first, e.g.\n"
            f"  python -m dashapp --database-url {shown_url} demo --orders 1000000",
            file=sys.stderr,
        )
        return 1
    customers, order_count, line_count = size
    print(f"{shown_url}: {customers:,} customers, {order_count:,} orders, {line_count:,} lines")

    with engine.connect() as conn:
        _, last = data_bounds(conn)
    last_90 = Filters(start=last - timedelta(days=89), end=last)
    results: dict[str, dict] = {}
    results["rfm_all"] = _timed("rfm_scores, whole history", args.runs, lambda: _rfm(engine))
    results["rfm_90_days"] = _timed(
        "rfm_scores, last 90 days", args.runs, lambda: _rfm(engine, last_90)
    )
    if args.naive_runs > 0:
        results["naive_all"] = _timed(
            "naive pandas, whole history", args.naive_runs, lambda: _naive_rfm(engine)
        )
        ratio = results["naive_all"]["median_s"] / results["rfm_all"]["median_s"]
        print(f"naive / rfm_scores (median, whole history): {ratio:.1f}x")
        results["naive_over_rfm"] = round(ratio, 2)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "rfm",
        "at": datetime.now().isoformat(timespec="seconds"),
        "database": engine.dialect.name,
        "customers": customers,
        "orders": order_count,
        "lines": line_count,
        **results,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {RESULTS}")
    return 0


def _size(engine: Engine) -> tuple[int, int, int] | None:
    """Customers, orders and lines in the database, or None when it holds no orders."""
    customers = Customer.__table__
    try:
        with engine.connect() as conn:
            line_count = conn.execute(select(func.count()).select_from(lines)).scalar_one()
            if not line_count:
                return None
            order_count = conn.execute(
                select(func.count(func.distinct(lines.c.order_id)))
            ).scalar_one()
            customer_count = conn.execute(select(func.count()).select_from(customers)).scalar_one()
    except (OperationalError, ProgrammingError):
        return None  # no schema yet
    return customer_count, order_count, line_count


def _rfm(engine: Engine, f: Filters | None = None) -> int:
    with engine.connect() as conn:
        return len(rfm_scores(conn, f or Filters()))


def _naive_rfm(engine: Engine) -> int:
    """The way SPEC §8 warns against: every order line into pandas, grouped there."""
    customers = Customer.__table__
    cols = [lines.c.customer_id, lines.c.order_id, lines.c.order_date]
    with engine.connect() as conn:
        raw = pd.read_sql(select(*cols, lines.c.amount_cents, lines.c.status), conn)
        people = pd.read_sql(
            select(customers.c.id, customers.c.name, customers.c.country, customers.c.email),
            conn,
        )
    raw["order_date"] = pd.to_datetime(raw["order_date"])
    end = raw["order_date"].max()
    live = raw[raw["status"] != CANCELLED]
    df = live.groupby("customer_id").agg(
        last=("order_date", "max"),
        frequency=("order_id", "nunique"),
        monetary_cents=("amount_cents", "sum"),
    )
    df["recency_days"] = (end - df["last"]).dt.days
    df["r"] = quintile_scores(df["recency_days"], higher_is_better=False)
    df["f"] = quintile_scores(df["frequency"])
    df["m"] = quintile_scores(df["monetary_cents"])
    df["segment"] = [segment_for(r, f) for r, f in zip(df["r"], df["f"], strict=True)]
    df = df.join(people.set_index("id"))
    return len(df)


def _timed(label: str, runs: int, work: Callable[[], int]) -> dict:
    """Run `work` `runs` times; print and return median and p95 (nearest rank) in seconds."""
    times = []
    rows = 0
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        rows = work()
        times.append(time.perf_counter() - t0)
    ordered = sorted(times)
    median = statistics.median(ordered)
    p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]
    print(f"{label:<32} {rows:>9,} customers  median {median:7.3f} s  p95 {p95:7.3f} s")
    return {"runs": len(times), "customers": rows, "median_s": median, "p95_s": p95}


if __name__ == "__main__":
    sys.exit(main())
