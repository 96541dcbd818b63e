"""Benchmark: time to fetch one order-history page, sorted and filtered (median and p95).

    python -m bench.history [--database-url URL] [--orders 200000] [--repeat 30]

Runs against the given database; when it has no orders, fills it first with a quick
synthetic data set (bulk INSERTs; dashapp.demo is used instead when it is available).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select

from dashapp.filters import Filters
from dashapp.history import order_history_page
from dashapp.store.db import make_engine
from dashapp.store.derived import refresh_first_order_dates
from dashapp.store.migrate import upgrade
from dashapp.store.models import Customer, Order, OrderLine, Product

COUNTRIES = ["USA", "France", "Spain", "Germany", "UK", "Italy", "Japan", "Australia"]
CATEGORIES = ["Classic Cars", "Motorcycles", "Planes", "Ships", "Trains", "Trucks", "Vintage"]
STATUSES = ["Shipped"] * 17 + ["Cancelled", "Pending", "In Process", "On Hold", "Resolved"]
CHUNK = 20_000


def fill(engine, orders: int, seed: int = 7) -> None:
    """A quick synthetic data set: 3 years, ~2.5 lines per order."""
    try:
        from dashapp.demo import generate_demo  # another branch; preferred when present
    except ImportError:
        generate_demo = None
    if generate_demo is not None:
        generate_demo(engine, orders=orders, seed=seed, progress=False)
        return
    rng = random.Random(seed)
    n_customers, n_products = max(100, orders // 10), 1_000
    with engine.begin() as conn:
        conn.execute(
            insert(Customer),
            [
                dict(id=i, name=f"Customer {i:06d}", country=rng.choice(COUNTRIES))
                for i in range(1, n_customers + 1)
            ],
        )
        conn.execute(
            insert(Product),
            [
                dict(
                    id=i,
                    sku=f"P{i:05d}",
                    name=f"Product {i}",
                    category=CATEGORIES[i % len(CATEGORIES)],
                    list_price_cents=rng.randint(500, 50_000),
                    stock_on_hand=1_000,
                )
                for i in range(1, n_products + 1)
            ],
        )
    countries = {}
    with engine.connect() as conn:
        countries = dict(conn.execute(select(Customer.id, Customer.country)).all())
    first_day = date.today() - timedelta(days=3 * 365)
    line_id = 0
    for lo in range(1, orders + 1, CHUNK):
        order_rows, line_rows = [], []
        for oid in range(lo, min(lo + CHUNK, orders + 1)):
            cust = rng.randint(1, n_customers)
            day = first_day + timedelta(days=rng.randint(0, 3 * 365))
            status = rng.choice(STATUSES)
            total = 0
            for n in range(1, rng.choice((1, 1, 2, 3, 4, 4)) + 1):
                pid = rng.randint(1, n_products)
                qty, price = rng.randint(1, 10), rng.randint(500, 50_000)
                line_id += 1
                total += qty * price
                line_rows.append(
                    dict(
                        id=line_id,
                        order_id=oid,
                        line_number=n,
                        product_id=pid,
                        quantity=qty,
                        unit_price_cents=price,
                        discount_bp=0,
                        amount_cents=qty * price,
                        order_date=day,
                        status=status,
                        customer_id=cust,
                        country=countries[cust],
                        category=CATEGORIES[pid % len(CATEGORIES)],
                    )
                )
            order_rows.append(
                dict(
                    id=oid,
                    order_number=f"B{oid:08d}",
                    customer_id=cust,
                    ordered_at=datetime.combine(day, datetime.min.time())
                    + timedelta(minutes=rng.randint(0, 1439)),
                    order_date=day,
                    status=status,
                    country=countries[cust],
                    channel=rng.choice(("web", "store", "phone")),
                    total_cents=total,
                )
            )
        with engine.begin() as conn:
            conn.execute(insert(Order), order_rows)
            conn.execute(insert(OrderLine), line_rows)
    with engine.begin() as conn:
        refresh_first_order_dates(conn)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("customers", "products", "orders", "order_lines"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def scenarios(last_day: date) -> dict[str, Callable]:
    """Named page fetches, each the way the history grid would ask for it."""
    q90 = Filters(start=last_day - timedelta(days=89), end=last_day)

    def page(f=Filters(), **kw):
        return lambda conn: order_history_page(conn, f, **kw)

    return {
        "newest first, page 1": page(),
        "newest first, page 200": page(page=200),
        "90 days, country+status": page(
            Filters(q90.start, q90.end, countries=("France",), statuses=("Shipped",))
        ),
        "90 days, category, by total": page(
            Filters(q90.start, q90.end, categories=("Planes",)), sort=[("total", "desc")]
        ),
        "customer contains, by date": page(column_filters={"customer": "00042"}),
        "status set + total > 500": page(
            column_filters={
                "status": {"filterType": "set", "values": ["Pending", "On Hold"]},
                "total": {"filterType": "number", "type": "greaterThan", "filter": 500},
            }
        ),
        "all, by customer name": page(sort=[("customer", "asc")]),
        # Lines/units are refused over 50k matching orders; 90 days stays under that.
        "90 days, by units": page(q90, sort=[("units", "desc")]),
    }


def time_it(engine, fetch: Callable, repeat: int) -> tuple[float, float, int]:
    """Median and p95 in milliseconds over `repeat` runs (after one warm-up)."""
    samples = []
    with engine.connect() as conn:
        rows, total = fetch(conn)
        for _ in range(repeat):
            t0 = time.perf_counter()
            fetch(conn)
            samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--orders", type=int, default=200_000, help="when filling an empty DB")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench_history.db"
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        existing = conn.execute(select(func.count()).select_from(Order)).scalar()
    if not existing:
        t0 = time.perf_counter()
        fill(engine, args.orders)
        print(f"filled {args.orders:,} orders in {time.perf_counter() - t0:.1f} s")
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(Order)).scalar()
        last_day = conn.execute(select(func.max(Order.order_date))).scalar()
    if isinstance(last_day, str):
        last_day = date.fromisoformat(last_day)
    print(f"{engine.dialect.name}: {count:,} orders; page of 50, {args.repeat} runs each")
    print(f"{'scenario':32} {'median ms':>10} {'p95 ms':>10} {'matches':>10}")
    for name, fetch in scenarios(last_day).items():
        median, p95, total = time_it(engine, fetch, args.repeat)
        print(f"{name:32} {median:10.1f} {p95:10.1f} {total:10,}")
    engine.dispose()


if __name__ == "__main__":
    main()
