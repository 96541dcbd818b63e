"""generate_demo: draw a demo data set from a seed and load it in one write transaction."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import Connection, Engine, func, select
from tqdm import tqdm

from dashapp.demo.catalog import CATEGORY_NAMES, Catalog, hero_product, make_catalog, product_count
from dashapp.demo.customers import COUNTRY_NAMES, Customers, customer_count, make_customers
from dashapp.demo.demand import Calendar, make_calendar, orders_per_day
from dashapp.demo.drops import InjectedDrop, drop_rng, injected_drops
from dashapp.demo.inventory import Stock, stock_levels
from dashapp.demo.load import bulk_insert, reset_id_sequence
from dashapp.demo.orders import CHANNELS, PAYMENTS, STATUSES, Lines, Orders, make_orders
from dashapp.store import reach, rollups
from dashapp.store.bulk import deferred_indexes
from dashapp.store.db import write_transaction
from dashapp.store.models import Base, Customer, Order, OrderLine, Product
from dashapp.store.writes import changing_orders

MAX_ORDERS = 20_000_000


class DemoError(ValueError):
    """Demo data cannot be generated here (bad arguments or a database that is not empty)."""


@dataclass(frozen=True)
class DemoData:
    """A whole demo data set in memory, before loading."""

    calendar: Calendar
    catalog: Catalog
    customers: Customers
    orders: Orders
    lines: Lines
    stock: Stock
    drops: tuple[InjectedDrop, ...]


@dataclass(frozen=True)
class DemoReport:
    """What generate_demo wrote."""

    orders: int
    lines: int
    customers: int
    products: int
    start: date
    end: date
    revenue_cents: int
    drops: tuple[InjectedDrop, ...]
    urgent_skus: tuple[str, ...]
    seconds: float

    def summary(self) -> str:
        """A few lines for the terminal."""
        drops = "; ".join(f"{d.scope} {d.key} on {d.day}" for d in self.drops)
        return "\n".join(
            [
                f"Demo data: {self.orders:,} orders ({self.lines:,} lines), "
                f"{self.customers:,} customers, {self.products:,} products, "
                f"{self.start}..{self.end}, in {self.seconds:.1f} s.",
                f"Revenue (not cancelled): {self.revenue_cents / 100:,.2f}",
                f"Injected drops: {drops}.",
                f"Nearly out of stock: {', '.join(self.urgent_skus)}.",
            ]
        )


def build_demo(orders: int, seed: int, end: date) -> DemoData:
    """Draw the data set for (orders, seed, end); the same arguments give the same data."""
    _check_arguments(orders, seed)
    # Independent streams, so e.g. the calendar and the catalogue do not shift with `orders`.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    hero = hero_product(drop_rng(seed))
    drops = injected_drops(seed, end)
    calendar = make_calendar(streams[0], end)
    catalog = make_catalog(streams[1], product_count(orders), hero)
    customers = make_customers(streams[2], customer_count(orders))
    per_day = orders_per_day(streams[3], calendar, orders)
    order_arrays, lines = make_orders(streams[3], calendar, per_day, catalog, customers, drops)
    stock = stock_levels(streams[4], catalog, order_arrays, lines, len(calendar.days))
    return DemoData(calendar, catalog, customers, order_arrays, lines, stock, drops)


def generate_demo(
    engine: Engine,
    orders: int,
    seed: int,
    end: date | None = None,
    progress: bool = False,
    *,
    rollups_too: bool | Collection[str] = True,
) -> DemoReport:
    """Generate `orders` demo orders ending on `end` (default today) into an empty database.

    Refuses (DemoError) when the database already holds customers, products or orders:
    demo data never mixes with real data, and re-running never duplicates it.
    rollups_too=False leaves the rollups empty, for a caller that reads only the orders or
    rebuilds them itself, and a collection of rollup table names fills only those (the anomaly
    detector's test reads three daily tables); the app needs them all (`rebuild-rollups`).
    """
    started = time.perf_counter()
    end = end or date.today()
    _check_arguments(orders, seed)
    if rollups_too is True:
        filled = rollups.TABLE_NAMES
    else:
        filled = frozenset(rollups_too or ())
        if unknown := filled - rollups.TABLE_NAMES:
            raise DemoError(f"no rollup table(s) {', '.join(sorted(unknown))}")
    # Refuse before the (long) generation; checked again under the write lock below.
    with engine.connect() as conn:
        _refuse_unless_empty(conn)
    data = build_demo(orders, seed, end)
    tables = _table_columns(data)
    total_rows = sum(len(next(iter(cols.values()))) for _, cols in tables)
    rollup_tables = [Base.metadata.tables[name] for name in sorted(filled)]
    with (
        tqdm(total=total_rows, unit="rows", desc="demo: rows", disable=not progress) as bar,
        _Phases(bar, progress) as phase,
    ):
        with _load_transaction(engine, data) as conn:
            _refuse_unless_empty(conn)
            # No audit entry (action None); the data version moves in the load's transaction,
            # so cached answers see the new data.
            with changing_orders(conn, user=None, action=None) as change:
                # The order tables' indexes stay dropped through the rollup rebuild too: with
                # them, SQLite scans order_lines through an index for its GROUP BYs (random
                # reads, then the sort all the same), a third slower at 1M orders. They are
                # back before the first-order dates, whose correlated subquery needs
                # ix_orders_customer_date.
                deferred = [t for t, _ in tables] + rollup_tables
                with deferred_indexes(conn, deferred):
                    phase(f"{total_rows:,} rows")
                    for table, columns in tables:
                        bulk_insert(conn, table, columns, bar.update)
                        reset_id_sequence(conn, table)
                    change.all_changed(rebuild_rollups=False)
                    chains = filled & set(reach.TABLE_NAMES)
                    if filled - chains:
                        rollups.rebuild(conn, filled - chains, step=phase)
                    if chains:
                        phase("customers' activity chains")
                        _fill_chains(conn, data, chains)
                    phase("indexes")
                phase("first-order dates")
            phase("commit")
        _truncate_log(engine, phase)
    not_cancelled = data.orders.status != STATUSES.index("Cancelled")
    return DemoReport(
        orders=len(data.orders.day),
        lines=len(data.lines.order),
        customers=len(data.customers),
        products=len(data.catalog),
        start=data.calendar.start,
        end=end,
        revenue_cents=int(data.orders.total_cents[not_cancelled].sum()),
        drops=data.drops,
        urgent_skus=tuple(data.catalog.sku[data.stock.urgent].tolist()),
        seconds=time.perf_counter() - started,
    )


class _Phases:
    """Progress messages for the stages of a load after the rows, when the bar would sit at
    100 % saying nothing (the rollups and indexes take most of the time): each stage's name
    on the bar while it runs, and a line with its time when it ends."""

    def __init__(self, bar: tqdm, enabled: bool) -> None:
        self.bar, self.enabled = bar, enabled
        self.current: str | None = None
        self.started = time.perf_counter()

    def __enter__(self) -> _Phases:
        return self

    def __call__(self, what: str | None) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if self.current is not None:
            self.bar.write(f"demo: {self.current}: {now - self.started:.1f} s", file=sys.stderr)
        self.current, self.started = what, now
        if what is not None:
            self.bar.set_description_str(f"demo: {what}")

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self(None)


@contextmanager
def _load_transaction(engine: Engine, data: DemoData) -> Iterator[Connection]:
    """write_transaction, with SQLite's foreign-key checks off for the load: they were half
    the time of moving the lines into order_lines (three lookups per line, 5 s at 1M
    orders). Every reference the demo writes is checked here instead, on the arrays: each
    points at a row of the same load (the tables are empty, see _refuse_unless_empty).
    The setting is the connection's and cannot change inside a transaction: it is turned
    off before BEGIN and back on after the commit or rollback.

    SQLite also loads through a rollback journal (see _rollback_journal) and goes back to
    the write-ahead log after the commit or rollback."""
    _check_references(data)
    if engine.dialect.name != "sqlite":
        with write_transaction(engine) as conn:
            yield conn
        return
    with engine.connect().execution_options(write=True) as conn:
        driver = conn.connection.driver_connection
        driver.execute("PRAGMA foreign_keys=OFF")
        journal = _rollback_journal(driver)
        try:
            with conn.begin():
                yield conn
        finally:
            driver.execute("PRAGMA foreign_keys=ON")
            if journal is not None:
                driver.execute(f"PRAGMA main.journal_mode={journal[0]}").fetchall()
                driver.execute(f"PRAGMA main.synchronous={journal[1]}")


def _rollback_journal(driver: sqlite3.Connection) -> tuple[str, int] | None:
    """Switch an SQLite connection to a rollback journal for the load; the journal mode and
    synchronous setting to restore after it, or None where it stays as it was.

    Through the write-ahead log every page of the load is written twice, into the log at the
    commit and into the database at the checkpoint, each log frame with its checksum: the
    commit of a 1M-order load (2.1 GB) took 15-19 s; without the log 3.4 s, and the load's
    CPU 82.8 s -> 74.2 s (system time 12.9 s -> 5.9 s; bench/README.md). Into an empty
    database the rollback journal holds only the few pages the load changes (the rest are
    new pages past the end of the file, cut off by a rollback), so the load stays all or
    nothing, and crash-safe with synchronous=FULL (each commit's journal and database synced
    in turn). While it runs, no other connection can open the file (the app's connections
    ask for the write-ahead log, which needs the database to itself): a demo load goes into
    a new database, before the app serves it. SQLite leaves the log only while no other
    connection has the database open; otherwise the load goes through the log as before.
    Every PRAGMA names `main`: unqualified, journal_mode applies to the temp database too,
    after which the checkpoint failed ("database table is locked")."""
    mode = driver.execute("PRAGMA main.journal_mode").fetchall()[0][0]
    synchronous = driver.execute("PRAGMA main.synchronous").fetchall()[0][0]
    if mode.lower() != "wal":
        return None
    try:
        changed = driver.execute("PRAGMA main.journal_mode=DELETE").fetchall()[0][0]
    except sqlite3.OperationalError:  # another connection has the database open
        return None
    if changed.lower() != "delete":
        return None
    driver.execute("PRAGMA main.synchronous=FULL")
    return mode, synchronous


def _check_references(data: DemoData) -> None:
    """Every order's customer and every line's order and product is one the load writes."""
    for name, refs, count in (
        ("order customer", data.orders.customer, len(data.customers)),
        ("line order", data.lines.order, len(data.orders.day)),
        ("line product", data.lines.product, len(data.catalog)),
    ):
        if len(refs) and not (refs.min() >= 0 and refs.max() < count):
            raise DemoError(f"a {name} outside the drawn rows (a bug in the generator)")


def _truncate_log(engine: Engine, phase: _Phases) -> None:
    """SQLite: empty the write-ahead log the load filled. The load's pages are all in it until
    a checkpoint copies them into the database, and an automatic checkpoint leaves the file at
    that size: 120 MB beside a 119 MB database after a 50k-order load, twice the space."""
    if engine.dialect.name != "sqlite":
        return
    phase("write-ahead log checkpoint")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA main.wal_checkpoint(TRUNCATE)")


def _check_arguments(orders: int, seed: int) -> None:
    if not 1 <= orders <= MAX_ORDERS:
        raise DemoError(f"orders must be between 1 and {MAX_ORDERS:,}, got {orders:,}")
    if seed < 0:
        raise DemoError(f"seed must be 0 or more, got {seed}")


def _refuse_unless_empty(conn: Connection) -> None:
    counts = {
        name: conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()
        for name, model in (("orders", Order), ("products", Product), ("customers", Customer))
    }
    if any(counts.values()):
        found = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        raise DemoError(
            f"the database already has {found}; demo data only goes into an empty database "
            "(point --database-url at a new one, or remove data/sales.db)"
        )


def _table_columns(data: DemoData):
    """(table, columns) in foreign-key order, with every denormalised column filled."""
    cat, cust, o, ln, stock = data.catalog, data.customers, data.orders, data.lines, data.stock
    n_orders = len(o.day)
    categories = np.array(CATEGORY_NAMES, dtype=object)
    countries = np.array(COUNTRY_NAMES, dtype=object)
    statuses = np.array(STATUSES, dtype=object)
    order_date = data.calendar.days[o.day]
    products = {
        "id": np.arange(1, len(cat) + 1, dtype=np.int64),
        "sku": cat.sku,
        "name": cat.name,
        "category": categories[cat.category],
        "sub_category": cat.scale,
        "list_price_cents": cat.price_cents,
        "cost_cents": cat.cost_cents,
        "msrp_cents": cat.msrp_cents,
        "stock_on_hand": stock.on_hand,
        "reorder_point": stock.reorder_point,
        "lead_time_days": cat.lead_time_days,
        "allow_backorder": np.zeros(len(cat), dtype=bool),
        "active": np.ones(len(cat), dtype=bool),
    }
    orders = {
        "id": np.arange(1, n_orders + 1, dtype=np.int64),
        "order_number": np.array([f"D{i:08d}" for i in range(1, n_orders + 1)], dtype=object),
        "customer_id": o.customer + 1,
        "ordered_at": order_date.astype("datetime64[s]") + _not_after_now(order_date, o.second),
        "order_date": order_date,
        "status": statuses[o.status],
        "country": countries[o.country],
        "channel": np.array(CHANNELS, dtype=object)[o.channel],
        "payment_type": np.array(PAYMENTS, dtype=object)[o.payment],
        "promo": o.promo,
        "total_cents": o.total_cents,
        "created_by": np.full(n_orders, "demo", dtype=object),
    }
    lines = {
        "id": np.arange(1, len(ln.order) + 1, dtype=np.int64),
        "order_id": ln.order + 1,
        "line_number": ln.line_number,
        "product_id": ln.product + 1,
        "quantity": ln.quantity,
        "unit_price_cents": ln.unit_price_cents,
        "discount_bp": ln.discount_bp,
        "amount_cents": ln.amount_cents,
        # The product's cost at the time of sale, as for an order entered in the app (SPEC §2),
        # so the demo shows gross profit and margin.
        "cost_cents": cat.cost_cents[ln.product] * ln.quantity,
        # Copies of the order's and product's columns (single-table metrics).
        "order_date": order_date[ln.order],
        "status": orders["status"][ln.order],
        "customer_id": orders["customer_id"][ln.order],
        "country": orders["country"][ln.order],
        "category": categories[ln.category],
    }
    return [
        (Customer.__table__, cust.columns),
        (Product.__table__, products),
        (Order.__table__, orders),
        (OrderLine.__table__, lines),
    ]


def _fill_chains(conn: Connection, data: DemoData, tables: Collection[str]) -> None:
    """Fill these activity-chain tables (reach.TABLE_NAMES) from the drawn lines with numpy
    (reach.chain_columns), or by their SQL rebuild from the daily customer rollups (which must
    be filled) where the keys do not pack. The SQL took a third of a 1M-order load."""
    o, ln = data.orders, data.lines
    live = o.status[ln.order] != STATUSES.index("Cancelled")
    order = ln.order[live]
    active = reach.ActiveDays(
        customer_id=o.customer[order] + 1,
        day=data.calendar.days[o.day[order]],
        category=ln.category[live],
        country=o.country[order],
        category_names=CATEGORY_NAMES,
        country_names=COUNTRY_NAMES,
    )
    columns = reach.chain_columns(active)
    if columns is None:
        reach.rebuild(conn, tables)
        return
    for name in sorted(tables):
        if columns[name]:
            bulk_insert(conn, Base.metadata.tables[name], columns[name])


def _not_after_now(order_date: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Seconds since midnight, with today's orders squeezed into the part of the day that has
    passed, so a demo ending today has no orders in the future."""
    now = datetime.now()
    today = order_date == np.datetime64(now.date(), "D")
    if not today.any():
        return second
    elapsed = now.hour * 3600 + now.minute * 60 + now.second
    squeezed = second.copy()
    squeezed[today] = second[today] * elapsed // 86_400
    return squeezed
