"""RFM benchmark: `rfm_scores` (one GROUP BY in SQL, scored on the per-customer aggregate) over
the whole history and the last 90 days, against the naive way (every order line read into
pandas and grouped there), whose scores are asserted equal.

    python -m bench.rfm --database-url URL [--repeat 5]

Writes bench/results/rfm-ORDERS-BACKEND.json.
"""

from __future__ import annotations

import argparse
from datetime import timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, select

from bench.measure import (
    Run,
    add_database_argument,
    ms,
    open_database,
    print_table,
    row,
    time_runs,
    timed_once,
)
from bench.naive import read_frame
from dashapp.analytics.query import data_bounds, lines
from dashapp.filters import Filters
from dashapp.segments import rfm_scores, segment_for
from dashapp.segments.scoring import quintile_scores
from dashapp.store.models import CANCELLED, Customer

customers = Customer.__table__
SCORES = ["customer_id", "recency_days", "frequency", "monetary_cents", "r", "f", "m", "segment"]


def read_lines(conn: Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The naive read: every order line and every customer."""
    cols = [lines.c.customer_id, lines.c.order_id, lines.c.order_date]
    stmt = select(*cols, lines.c.amount_cents, lines.c.status)
    raw = read_frame(conn, stmt, dates=("order_date",))
    people = pd.read_sql(
        select(customers.c.id, customers.c.name, customers.c.country, customers.c.email), conn
    )
    return raw, people


def naive_rfm(raw: pd.DataFrame, people: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """RFM scores computed in pandas from the read lines (the way SPEC §8 warns against)."""
    end = pd.Timestamp(f.end) if f.end else raw["order_date"].max()
    live = raw[raw["status"] != CANCELLED]
    if f.start:
        live = live[live["order_date"] >= pd.Timestamp(f.start)]
    live = live[live["order_date"] <= end]
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
    df = df.join(people.set_index("id")).reset_index()
    return df.sort_values(["monetary_cents", "customer_id"], ascending=[False, True])


def _check(label: str, app: pd.DataFrame, naive: pd.DataFrame) -> None:
    left = app[SCORES].reset_index(drop=True)
    right = naive[SCORES].reset_index(drop=True)
    try:
        pd.testing.assert_frame_equal(left, right, check_dtype=False)
    except AssertionError as exc:
        raise AssertionError(f"RFM {label}: SQL and pandas scores differ\n{exc}") from None


def _rfm(engine: Engine, f: Filters) -> pd.DataFrame:
    with engine.connect() as conn:
        return rfm_scores(conn, f)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rfm", description=__doc__)
    add_database_argument(parser)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of rfm_scores (5)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds per case before stopping early (60)"
    )
    args = parser.parse_args(argv)
    engine = open_database(args.database_url, parser)
    run = Run("rfm", engine)
    print(run.header(), flush=True)
    with engine.connect() as conn:
        _, last = data_bounds(conn)
        read_ms, (raw, people) = timed_once(lambda: read_lines(conn))
    print(f"naive read of {len(raw):,} lines: {ms(read_ms)} ms", flush=True)
    cases = {
        "whole history": Filters(),
        "last 90 days": Filters(start=last - timedelta(days=89), end=last),
    }
    rows = []
    for name, f in cases.items():
        answer = _rfm(engine, f)  # also the warm-up run
        stats = time_runs(lambda f=f: _rfm(engine, f), args.repeat, args.budget)
        naive_ms, naive_answer = timed_once(lambda f=f: naive_rfm(raw, people, f))
        _check(name, answer, naive_answer)
        rows.append(
            row("", f"rfm_scores, {name}", stats, read_ms + naive_ms, customers=len(answer))
        )
    path = run.write(
        rows,
        repeat=args.repeat,
        naive_read_ms=round(read_ms, 3),
        note="naive ms = the read (every line and customer into pandas) + the pandas "
        "grouping and scoring; scores asserted equal to rfm_scores",
    )
    print_table(f"RFM, {run.orders:,} orders on {run.backend}", rows)
    print(f"\nWritten to {path}")


if __name__ == "__main__":
    main()
