"""Time to forecast the whole business (auto model) and to scan for anomalies.

    python -m bench.forecast_anomalies --database-url sqlite:///data/bench.db [--repeat 5]

Reads an existing database (fill it with `python -m dashapp demo --orders 1000000`); writes
the figures to bench/results/forecast_anomalies.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from dashapp.anomalies import scan
from dashapp.filters import Filters
from dashapp.forecasting import daily_series, forecast
from dashapp.store.db import database_url, make_engine
from dashapp.store.models import Order, Product

RESULTS = Path(__file__).resolve().parent / "results" / "forecast_anomalies.json"


def _timed(fn: Callable[[], object], repeat: int) -> tuple[dict, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"median_s": round(statistics.median(times), 3), "p95_s": round(p95, 3)}, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or database_url(),
        help="SQLAlchemy URL of a filled database (default $BENCH_DATABASE_URL, else the app's)",
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--horizon", type=int, default=90)
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    with engine.connect() as conn:
        orders = conn.execute(select(func.count()).select_from(Order)).scalar_one()
        n_products = conn.execute(select(func.count()).select_from(Product)).scalar_one()
    if not orders:
        print(
            "The database has no orders: fill it first, e.g. "
            "`python -m dashapp --database-url URL demo --orders 1000000`.",
            file=sys.stderr,
        )
        return 1

    def forecast_total():
        with engine.connect() as conn:
            series = daily_series(conn, Filters())
        return forecast(series, args.horizon, "auto")

    def scan_products():
        with engine.connect() as conn:
            return scan(conn, scopes=("product",))

    def scan_all():
        with engine.connect() as conn:
            return scan(conn)

    t_forecast, fc = _timed(forecast_total, args.repeat)
    t_products, found_products = _timed(scan_products, args.repeat)
    t_all, found_all = _timed(scan_all, args.repeat)
    report = {
        "database": engine.url.render_as_string(hide_password=True),
        "orders": orders,
        "products": n_products,
        "history_days": len(fc.history),
        "repeat": args.repeat,
        "forecast_total_auto": {**t_forecast, "model": fc.model, "horizon": args.horizon},
        "scan_products_90_days": {**t_products, "anomalies": len(found_products)},
        "scan_all_scopes_90_days": {**t_all, "anomalies": len(found_all)},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"{orders:,} orders, {n_products:,} products, {len(fc.history)} days of history\n"
        f"forecast total (auto -> {fc.model}, {args.horizon} days): "
        f"median {t_forecast['median_s']} s, p95 {t_forecast['p95_s']} s\n"
        f"anomaly scan, all products (last 90 days): median {t_products['median_s']} s, "
        f"p95 {t_products['p95_s']} s, {len(found_products)} anomalies\n"
        f"anomaly scan, all scopes: median {t_all['median_s']} s, p95 {t_all['p95_s']} s, "
        f"{len(found_all)} anomalies\n"
        f"written to {RESULTS}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
