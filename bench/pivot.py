"""Pivot benchmark (issue 19: any two dimensions under 1 s at 1M orders): `pivot` for pairs of
dimensions and measures, against the naive way (every order line, with its order's ship-to
columns and its product and customer, read into pandas and pivoted there), whose row totals and
grand total are asserted equal to the app's.

    python -m bench.pivot --database-url URL [--repeat 5]

Writes bench/results/pivot-ORDERS-BACKEND.json.
"""

from __future__ import annotations

import argparse
import os
import time
from decimal import Decimal
from fractions import Fraction
from math import floor

import pandas as pd
from sqlalchemy import Engine, select

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
from dashapp.analytics.pivot import NONE_LABEL, pivot
from dashapp.filters import Filters
from dashapp.store.models import CANCELLED, Customer, Order, OrderLine, Product

lines, orders = OrderLine.__table__, Order.__table__
products, customers = Product.__table__, Customer.__table__

# (rows, columns, measure): the first seven since the pivot came, then the dimensions of the
# ship-to geography, segment, sub-category and ship mode, and profit and margin (the demo
# leaves the ship-to columns, segment and ship mode empty: one "(none)" row, but the same
# lines read).
CASES = (
    ("category", "year", "revenue"),
    ("country", "month", "orders"),
    ("product", "year", "units"),
    ("customer", "category", "revenue"),
    ("category", "quarter", "customers"),
    ("status", "year", "revenue"),
    ("channel", "category", "discount"),
    ("region", "year", "profit"),
    ("city", "month", "margin"),
    ("sub_category", "quarter", "units"),
    ("ship_mode", "channel", "orders"),
    ("state", "segment", "customers"),
    ("status", "category", "orders"),
    ("product", "channel", "revenue"),
)


def read_lines(conn) -> pd.DataFrame:
    """The naive read: every line with what every dimension needs."""
    stmt = (
        select(
            lines.c.order_id,
            lines.c.order_date,
            lines.c.status,
            lines.c.category,
            lines.c.country,
            lines.c.quantity,
            lines.c.unit_price_cents,
            lines.c.amount_cents,
            lines.c.discount_bp,
            lines.c.cost_cents,
            lines.c.ship_mode,
            lines.c.customer_id,
            orders.c.channel,
            orders.c.ship_region.label("region"),
            orders.c.ship_state.label("state"),
            orders.c.ship_city.label("city"),
            orders.c.segment,
            products.c.name.label("product_name"),
            products.c.sku,
            products.c.sub_category,
            customers.c.name.label("customer_name"),
        )
        .join(orders, orders.c.id == lines.c.order_id)
        .join(products, products.c.id == lines.c.product_id)
        .outerjoin(customers, customers.c.id == lines.c.customer_id)
    )
    return read_frame(conn, stmt, dates=("order_date",))


def _label(df: pd.DataFrame, dim: str) -> pd.Series:
    day = df["order_date"]
    if dim == "year":
        return day.dt.strftime("%Y")
    if dim == "quarter":
        return day.dt.year.astype(str) + "-Q" + day.dt.quarter.astype(str)
    if dim == "month":
        return day.dt.strftime("%Y-%m")
    if dim == "product":
        return df["product_name"] + " (" + df["sku"] + ")"
    if dim == "customer":
        named = df["customer_name"] + " #" + df["customer_id"].astype("Int64").astype(str)
        return named.fillna(NONE_LABEL)
    return df[dim].replace("", None).fillna(NONE_LABEL)


def _cents(c) -> Decimal:
    return (Decimal(int(c)) / 100).quantize(Decimal("0.01"))


def _percent(profit, revenue) -> Decimal:
    """profit / revenue in percent, rounded half away from zero to 2 decimals."""
    hundredths = floor(abs(Fraction(int(profit) * 10_000, int(revenue))) + Fraction(1, 2))
    return (Decimal(hundredths if profit * revenue >= 0 else -hundredths) / 100).quantize(
        Decimal("0.01")
    )


def _costed(df: pd.DataFrame, live: pd.Series, measure: str) -> tuple[dict, object]:
    """Profit (or margin) over the live lines with a cost; None (n/a) where a key has none."""
    costed = live & df["cost_cents"].notna()
    frame = pd.DataFrame(
        {
            "key": df["key"],
            "profit": (df["amount_cents"] - df["cost_cents"].fillna(0)).where(costed, 0),
            "revenue": df["amount_cents"].where(costed, 0),
            "n": costed.astype(int),
        }
    )

    def value(profit, revenue, n):
        if not n:
            return None
        if measure == "profit":
            return _cents(profit)
        return _percent(profit, revenue) if revenue else None

    by = frame.groupby("key")[["profit", "revenue", "n"]].sum()
    totals = frame[["profit", "revenue", "n"]].sum()
    return (
        {k: value(*r) for k, r in zip(by.index, by.itertuples(index=False), strict=True)},
        value(*totals),
    )


def naive_totals(raw: pd.DataFrame, dim: str, measure: str) -> tuple[dict, object]:
    """Row totals and the grand total of `measure` by `dim`, in pandas: every line's key, the
    values of lines of orders not cancelled (a slice of cancelled lines only shows 0)."""
    df = raw.assign(key=_label(raw, dim))
    live = df["status"] != CANCELLED
    if measure in ("profit", "margin"):
        return _costed(df, live, measure)
    if measure in ("revenue", "discount", "units"):
        if measure == "units":
            values = df["quantity"].where(live, 0)
            by = values.groupby(df["key"]).sum()
            return {k: int(v) for k, v in by.items()}, int(values.sum())
        cents = df["amount_cents"]
        if measure == "discount":  # SPEC §3: list value minus amount, of discounted lines
            off = df["quantity"] * df["unit_price_cents"] - df["amount_cents"]
            cents = off.where(df["discount_bp"] > 0, 0)
        cents = cents.where(live, 0)
        by = cents.groupby(df["key"]).sum()
        return {k: _cents(v) for k, v in by.items()}, _cents(cents.sum())
    column = df["order_id" if measure == "orders" else "customer_id"].where(live)
    by = column.groupby(df["key"]).nunique()
    return {k: int(v) for k, v in by.items()}, int(column.nunique())


def _pivot(engine: Engine, case):
    with engine.connect() as conn:
        return pivot(conn, Filters(), *case, max_rows=50, max_columns=24)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pivot", description=__doc__)
    add_database_argument(parser)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case (5)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds per case before stopping early (60)"
    )
    parser.add_argument(
        "--case",
        action="append",
        help="only this case, as ROWS:COLUMNS:MEASURE (repeatable; default: every case)",
    )
    args = parser.parse_args(argv)
    engine = open_database(args.database_url, parser)
    run = Run("pivot", engine)
    print(run.header(), flush=True)
    with engine.connect() as conn:
        read_ms, raw = timed_once(lambda: read_lines(conn))
    print(f"naive read of {len(raw):,} lines: {ms(read_ms)} ms", flush=True)
    rows = []
    for case in CASES:
        if args.case and f"{case[0]}:{case[1]}:{case[2]}" not in args.case:
            continue
        answer = _pivot(engine, case)  # also the warm-up run
        cpu = time.process_time()
        stats = time_runs(lambda case=case: _pivot(engine, case), args.repeat, args.budget)
        # This process's CPU per run (SQLite runs in it): steadier than wall time on a shared
        # machine.
        cpu_ms = (time.process_time() - cpu) * 1000 / stats.runs
        naive_ms, (by_row, total) = timed_once(lambda case=case: naive_totals(raw, *case[::2]))
        shown = {label: by_row[label] for label in answer.row_labels}
        if shown != answer.row_totals or total != answer.total:
            raise AssertionError(f"pivot {case}: the app's totals differ from pandas'")
        name = f"{case[2]} by {case[0]} x {case[1]}"
        rows.append(
            row(
                "",
                name,
                stats,
                read_ms + naive_ms,
                cpu_ms=round(cpu_ms, 3),
                rows_found=answer.rows_found,
                columns_found=answer.columns_found,
            )
        )
        print(f"{name}: {ms(stats.median_ms)} ms median, {ms(cpu_ms)} ms CPU", flush=True)
    path = run.write(
        rows,
        repeat=args.repeat,
        naive_read_ms=round(read_ms, 3),
        load_average_end=[round(x, 2) for x in os.getloadavg()[:2]],
        note="naive ms = the read (every line with its order, product and customer into "
        "pandas) + the pandas grouping; row totals and grand total asserted equal; cpu_ms = "
        "this process's CPU seconds per run (SQLite runs in it)",
    )
    print_table(f"Pivot, {run.orders:,} orders on {run.backend}", rows)
    print(f"\nWritten to {path}")


if __name__ == "__main__":
    main()
