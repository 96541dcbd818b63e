"""Forecast and anomaly-scan benchmark, each against the naive way (every order line read into
pandas and the series built there, then the same model fit or the same detection); the series
and the anomalies found are asserted equal.

    python -m bench.forecast_anomalies --database-url URL [--repeat 3] [--horizon 90]

Writes bench/results/forecast_anomalies-ORDERS-BACKEND.json.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine, select

from bench.measure import (
    Run,
    Stats,
    add_database_argument,
    ms,
    open_database,
    print_table,
    row,
    time_runs,
    timed_once,
)
from bench.naive import read_frame
from dashapp.analytics import anomalies
from dashapp.analytics.forecasting import daily_series, forecast
from dashapp.analytics.query import data_bounds, lines
from dashapp.filters import Filters
from dashapp.store.models import CANCELLED, Product

products = Product.__table__


def read_lines(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The naive read: every order line's day, status, amount and keys; every product's SKU."""
    cols = [lines.c.order_date, lines.c.status, lines.c.amount_cents, lines.c.quantity]
    keys = [lines.c.product_id, lines.c.category, lines.c.country]
    with engine.connect() as conn:
        raw = read_frame(conn, select(*cols, *keys), dates=("order_date",))
        skus = pd.read_sql(select(products.c.id, products.c.sku), conn)
    return raw, skus


def naive_daily_series(raw: pd.DataFrame) -> pd.Series:
    """Daily revenue in currency units, from the first sale to the last order day, 0-filled."""
    live = raw[raw["status"] != CANCELLED]
    cents = live.groupby("order_date")["amount_cents"].sum()
    days = pd.date_range(cents.index.min(), raw["order_date"].max(), freq="D")
    series = cents.reindex(days, fill_value=0).astype("float64") / 100
    series.name = "revenue"
    return series


# The scan timed: the last 90 complete days (a check's "last 90 days" window).
SCAN_DAYS = 90


def scan_range(first, end) -> tuple:
    """(since, until): the last SCAN_DAYS complete days, as anomalies.scan scores them."""
    until = pd.Timestamp(anomalies.last_complete_day(pd.Timestamp(end).date(), date.today()))
    return max(until - timedelta(days=SCAN_DAYS - 1), pd.Timestamp(first)), until


def naive_scan(raw: pd.DataFrame, skus: pd.DataFrame, scopes) -> list:
    """anomalies.scan's detection on daily matrices built in pandas instead of SQL."""
    first = raw["order_date"].min()
    since, until = scan_range(first, raw["order_date"].max())
    window = 28
    start = max(since - timedelta(days=window), first)
    recent = raw[(raw["status"] != CANCELLED) & raw["order_date"].between(start, until)]
    days = pd.date_range(start, until, freq="D")
    labels = skus.set_index("id")["sku"]
    found = []
    for scope in scopes:
        if scope == "total":
            cents = recent.groupby("order_date")["amount_cents"].sum()
            matrix = cents.reindex(days, fill_value=0).astype("float64").to_frame("All")
        else:
            column = {"product": "product_id"}.get(scope, scope)
            key = recent[column].map(labels) if scope == "product" else recent[column]
            matrix = (
                recent.assign(key=key.fillna("Unknown"))
                .pivot_table(
                    index="order_date", columns="key", values="amount_cents", aggfunc="sum"
                )
                .reindex(days)
                .fillna(0.0)
                .astype("float64")
            )
        # The detection itself is the app's: the naive way only builds its input differently.
        flagged, _ = anomalies._flag(
            scope,
            matrix,
            since.date(),
            window,
            0.5,
            anomalies.DEFAULT_MIN_SCORE,
            anomalies.MIN_BASELINE_CENTS,
        )
        found += flagged
    return sorted(found, key=lambda a: (a.day, anomalies.SCOPES.index(a.scope), a.key))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.forecast_anomalies", description=__doc__)
    add_database_argument(parser)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (3)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds per case before stopping early (60)"
    )
    parser.add_argument("--horizon", type=int, default=90, help="forecast horizon in days (90)")
    args = parser.parse_args(argv)
    engine = open_database(args.database_url, parser)
    run = Run("forecast_anomalies", engine)
    print(run.header(), flush=True)

    def series() -> pd.Series:
        with engine.connect() as conn:
            return daily_series(conn, Filters())

    def scan(scopes):
        with engine.connect() as conn:
            since = scan_range(*data_bounds(conn))[0].date()
            return anomalies.scan(conn, scopes=scopes, since=since)

    read_ms, (raw, skus) = timed_once(lambda: read_lines(engine))
    print(f"naive read of {len(raw):,} lines: {ms(read_ms)} ms", flush=True)
    rows = []

    app_series = series()
    stats = time_runs(series, args.repeat * 3, args.budget)
    naive_ms, naive_series = timed_once(lambda: naive_daily_series(raw))
    pd.testing.assert_series_equal(app_series, naive_series, check_freq=False)
    rows.append(row("forecast", "daily revenue series (input)", stats, read_ms + naive_ms))

    # Each run times the series and the fit apart: the naive way fits the same model on the
    # same (asserted equal) series, so its fit costs the app's median fit time.
    total_ms, fit_ms, fc = [], [], None
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        y = series()
        t1 = time.perf_counter()
        fc = forecast(y, args.horizon, "auto")
        t2 = time.perf_counter()
        total_ms.append((t2 - t0) * 1000)
        fit_ms.append((t2 - t1) * 1000)
    fit = Stats(tuple(fit_ms))
    rows.append(
        row(
            "forecast",
            f"total, auto, {args.horizon} days (series + fit)",
            Stats(tuple(total_ms)),
            read_ms + naive_ms + fit.median_ms,
            model=fc.model,
            history_days=len(fc.history),
            fit_median_ms=round(fit.median_ms, 3),
        )
    )

    for name, scopes in (("products", ("product",)), ("all scopes", anomalies.SCOPES)):
        found = scan(scopes)
        stats = time_runs(lambda scopes=scopes: scan(scopes), args.repeat, args.budget)
        naive_ms, naive_found = timed_once(lambda scopes=scopes: naive_scan(raw, skus, scopes))
        if naive_found != found:
            raise AssertionError(
                f"anomaly scan ({name}): SQL finds {len(found)}, pandas {len(naive_found)}"
            )
        rows.append(
            row(
                "anomaly scan",
                f"{name}, last {SCAN_DAYS} complete days",
                stats,
                read_ms + naive_ms,
                anomalies=len(found),
            )
        )
    with engine.connect() as conn:
        first, last = data_bounds(conn)
    path = run.write(
        rows,
        repeat=args.repeat,
        horizon=args.horizon,
        history=[str(first), str(last)],
        naive_read_ms=round(read_ms, 3),
        note="naive ms = the read (every line into pandas) + the series or daily matrices "
        "built in pandas + the same detection, or the app's median fit on the same series; "
        "series and anomalies asserted equal",
    )
    print_table(f"Forecast and anomalies, {run.orders:,} orders on {run.backend}", rows)
    print(f"\nWritten to {path}")


if __name__ == "__main__":
    main()
