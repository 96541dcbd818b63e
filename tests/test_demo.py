"""The demo data generator: determinism, integrity of what it writes, and the shapes it promises
(weekly and yearly seasonality, planted drops, nearly sold-out products)."""

from __future__ import annotations

import hashlib
import re
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, insert, inspect, select

from dashapp.analytics.query import as_date
from dashapp.cli import cli
from dashapp.demo import DemoError, generate_demo, injected_drops
from dashapp.store import rollups
from dashapp.store.db import make_engine
from dashapp.store.models import (
    CANCELLED,
    Base,
    Customer,
    Order,
    OrderLine,
    Product,
    RollupCustomerDays,
)
from tests.conftest import BACKENDS
from tests.databases import migrate, migrated_engine

END = date(2025, 12, 31)
SEED = 7
N = 2000
# Fingerprints of every order (less its load timestamps) and line of the demo above.
ORDERS_DIGEST, LINES_DIGEST = "c504b82b3ddb7e32", "d2f690074a7adb5b"

orders_t, lines_t = Order.__table__, OrderLine.__table__
products_t, customers_t = Product.__table__, Customer.__table__


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request, tmp_path_factory):
    """(engine, report) for N demo orders, on each backend; read-only."""
    with migrated_engine(request.param, tmp_path_factory.mktemp("demo")) as eng:
        yield eng, generate_demo(eng, orders=N, seed=SEED, end=END)


# The columns the fingerprints were taken from: the orders' (less the load's timestamps,
# created_at and updated_at) and the lines', as they were before migration 0017 added ship-to,
# segment, cost and shipping columns that the demo leaves empty.
PINNED_ORDER_COLUMNS = [
    "id",
    "order_number",
    "customer_id",
    "ordered_at",
    "order_date",
    "status",
    "country",
    "channel",
    "payment_type",
    "promo",
    "total_cents",
    "note",
    "created_by",
]
PINNED_LINE_COLUMNS = [
    "id",
    "order_id",
    "line_number",
    "product_id",
    "quantity",
    "unit_price_cents",
    "discount_bp",
    "amount_cents",
    "order_date",
    "status",
    "customer_id",
    "country",
    "category",
]
NEWER_COLUMNS = {
    "orders": {"ship_region", "ship_state", "ship_city", "ship_postal_code", "segment"},
    "order_lines": {"ship_date", "ship_mode"},
}
# Filled since issue 19 (profit and margin in the demo), checked on their own below.
COSTED = {"orders": set(), "order_lines": {"cost_cents"}}


def _dump(engine) -> tuple[list, list]:
    with engine.connect() as conn:
        orders = conn.execute(
            select(*(orders_t.c[c] for c in PINNED_ORDER_COLUMNS)).order_by(orders_t.c.id)
        ).all()
        lines = conn.execute(
            select(*(lines_t.c[c] for c in PINNED_LINE_COLUMNS)).order_by(lines_t.c.id)
        ).all()
    return orders, lines


def test_the_demo_leaves_the_newer_columns_empty(demo):
    # What the fingerprints leave out: a demo that filled these would need a new pin.
    engine, _ = demo
    with engine.connect() as conn:
        for table in (orders_t, lines_t):
            assert (
                set(table.c.keys()) - {"created_at", "updated_at"}
                == set(PINNED_ORDER_COLUMNS if table is orders_t else PINNED_LINE_COLUMNS)
                | NEWER_COLUMNS[table.name]
                | COSTED[table.name]
            )
            for name in NEWER_COLUMNS[table.name]:
                filled = select(func.count()).where(table.c[name].is_not(None))
                assert conn.execute(filled).scalar_one() == 0, name


def test_every_line_costs_its_products_cost_times_its_quantity(demo):
    # As an order entered in the app does (SPEC §2): the product's cost at the time of sale.
    engine, _ = demo
    products = Product.__table__
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(lines_t)).scalar_one()
        costed = select(func.count()).where(
            lines_t.c.product_id == products.c.id,
            lines_t.c.cost_cents == products.c.cost_cents * lines_t.c.quantity,
        )
        assert conn.execute(costed).scalar_one() == lines > 0


def test_writes_exactly_the_orders_asked_for(demo):
    engine, report = demo
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(orders_t)).scalar_one()
        lines = conn.execute(select(func.count()).select_from(lines_t)).scalar_one()
    assert count == report.orders == N
    assert lines == report.lines
    assert N <= lines <= 5 * N  # 1 to 5 lines per order
    assert (report.start, report.end) == (END - timedelta(days=3 * 365), END)


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    engines = [make_engine(f"sqlite:///{tmp_path}/{name}.db") for name in "abc"]
    for eng, seed in zip(engines, (SEED, SEED, SEED + 1), strict=True):
        migrate(eng)
        generate_demo(eng, orders=500, seed=seed, end=END)
    first, second, other = (_dump(eng) for eng in engines)
    assert first == second
    assert first[0] != other[0]


def _digest(rows) -> str:
    """A short fingerprint of rows, the same on both backends (values as text)."""
    text = "\n".join("|".join(str(v) for v in row) for row in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_the_seed_gives_exactly_the_reference_data(demo):
    # Pinned from the row-by-row load before the set-based one: a faster load must write the
    # very same rows (issue 16). Timestamps of the load itself (created_at) are left out.
    engine, report = demo
    assert (report.orders, report.lines, report.customers, report.products) == (
        2000,
        4411,
        200,
        100,
    )
    assert report.revenue_cents == 209_368_358
    assert report.urgent_skus == ("CC-0028", "CC-0030", "VC-0012")
    orders, lines = _dump(engine)
    with engine.connect() as conn:
        revenue = conn.execute(
            select(func.sum(lines_t.c.amount_cents)).where(lines_t.c.status != CANCELLED)
        ).scalar_one()
        customers = conn.execute(
            select(customers_t.c.id, customers_t.c.name, customers_t.c.email)
            .where(customers_t.c.id.in_([1, 200]))
            .order_by(customers_t.c.id)
        ).all()
        products = conn.execute(
            select(
                products_t.c.sku,
                products_t.c.name,
                products_t.c.stock_on_hand,
                products_t.c.reorder_point,
            )
            .where(products_t.c.id.in_([1, 100]))
            .order_by(products_t.c.id)
        ).all()
    assert revenue == 209_368_358
    first = orders[0]._mapping
    assert (first["order_number"], first["customer_id"], first["ordered_at"]) == (
        "D00000001",
        17,
        datetime(2023, 1, 1, 10, 13, 1),
    )
    assert (first["status"], first["country"], first["channel"], first["total_cents"]) == (
        "Shipped",
        "USA",
        "web",
        10794,
    )
    assert tuple(orders[-1])[:3] == (2000, "D00002000", 73)
    assert orders[-1]._mapping["total_cents"] == 28977
    assert tuple(lines[2499])[:8] == (2500, 1148, 3, 43, 2, 6783, 0, 13566)
    assert [tuple(c) for c in customers] == [
        (1, "Robert Hall", "robert.hall.1@example.com"),
        (200, "Karen Campbell", "karen.campbell.200@example.com"),
    ]
    assert [tuple(p) for p in products] == [
        ("CC-0001", "1980 Alfa Romeo Royale", 85, 19),
        ("TR-0008", "1992 Union Royale", 8, 5),
    ]
    assert (_digest(orders), _digest(lines)) == (ORDERS_DIGEST, LINES_DIGEST)


def test_every_order_has_lines_and_its_total_is_their_sum(demo):
    engine, _ = demo
    per_order = (
        select(
            lines_t.c.order_id,
            func.count().label("n"),
            func.sum(lines_t.c.amount_cents).label("amount"),
        )
        .group_by(lines_t.c.order_id)
        .subquery()
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(orders_t.c.total_cents, per_order.c.n, per_order.c.amount).outerjoin(
                per_order, per_order.c.order_id == orders_t.c.id
            )
        ).all()
    assert len(rows) == N
    assert all(n is not None and 1 <= n <= 5 for _, n, _ in rows)
    assert all(total == amount for total, _, amount in rows)


def test_line_amount_is_quantity_times_price_less_discount(demo):
    engine, _ = demo
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                lines_t.c.quantity,
                lines_t.c.unit_price_cents,
                lines_t.c.discount_bp,
                lines_t.c.amount_cents,
                products_t.c.list_price_cents,
            ).join(products_t, products_t.c.id == lines_t.c.product_id)
        ).all()
    for qty, price, bp, amount, list_price in rows:
        assert price == list_price
        # e.g. 3 x 49.99 at 10 % off = 134.973 -> 134.97; compared in exact integers.
        assert abs(amount * 10_000 - qty * price * (10_000 - bp)) <= 5_000


def test_line_copies_match_the_order_and_product(demo):
    engine, _ = demo
    with engine.connect() as conn:
        mismatched = conn.execute(
            select(func.count())
            .select_from(lines_t)
            .join(orders_t, orders_t.c.id == lines_t.c.order_id)
            .join(products_t, products_t.c.id == lines_t.c.product_id)
            .where(
                (lines_t.c.order_date != orders_t.c.order_date)
                | (lines_t.c.status != orders_t.c.status)
                | (lines_t.c.customer_id != orders_t.c.customer_id)
                | (lines_t.c.country != orders_t.c.country)
                | (lines_t.c.category != products_t.c.category)
            )
        ).scalar_one()
        wrong_country = conn.execute(
            select(func.count())
            .select_from(orders_t)
            .join(customers_t, customers_t.c.id == orders_t.c.customer_id)
            .where(orders_t.c.country != customers_t.c.country)
        ).scalar_one()
    assert (mismatched, wrong_country) == (0, 0)


def test_first_order_dates_are_filled(demo):
    engine, _ = demo
    first = (
        select(orders_t.c.customer_id, func.min(orders_t.c.order_date).label("day"))
        .where(orders_t.c.status != CANCELLED)
        .group_by(orders_t.c.customer_id)
        .subquery()
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(customers_t.c.first_order_date, first.c.day).outerjoin(
                first, first.c.customer_id == customers_t.c.id
            )
        ).all()
    assert rows and all(as_date(a) == as_date(b) for a, b in rows)
    assert any(a is not None for a, _ in rows)


def test_catalogue_customers_and_statuses_look_real(demo):
    engine, report = demo
    with engine.connect() as conn:
        categories = conn.execute(select(func.count(func.distinct(products_t.c.category))))
        countries = conn.execute(select(func.count(func.distinct(customers_t.c.country))))
        emails = conn.execute(
            select(func.count(func.distinct(customers_t.c.email)), func.count())
        ).one()
        statuses = dict(
            conn.execute(select(orders_t.c.status, func.count()).group_by(orders_t.c.status)).all()
        )
        recent = conn.execute(
            select(func.distinct(orders_t.c.status)).where(orders_t.c.order_date >= END)
        ).scalars()
        channels = set(conn.execute(select(func.distinct(orders_t.c.channel))).scalars())
        assert categories.scalar_one() == 7
        assert countries.scalar_one() == 20
        assert emails[0] == emails[1] == report.customers == 200  # N / 10
        assert set(recent) <= {"Pending", "In Process", "Cancelled"}
    assert statuses["Shipped"] > 0.85 * N
    assert 0.01 * N <= statuses[CANCELLED] <= 0.05 * N
    assert channels == {"web", "phone", "store"}
    assert report.products == 100


def test_stock_never_negative_and_urgent_products_have_under_a_week(demo):
    engine, report = demo
    last_30 = END - timedelta(days=29)
    with engine.connect() as conn:
        lowest = conn.execute(select(func.min(products_t.c.stock_on_hand))).scalar_one()
        rows = conn.execute(
            select(products_t.c.sku, products_t.c.stock_on_hand, func.sum(lines_t.c.quantity))
            .join(lines_t, lines_t.c.product_id == products_t.c.id)
            .where(
                products_t.c.sku.in_(report.urgent_skus),
                lines_t.c.order_date >= last_30,
                lines_t.c.status != CANCELLED,
            )
            .group_by(products_t.c.sku, products_t.c.stock_on_hand)
        ).all()
    assert lowest >= 0
    assert len(report.urgent_skus) >= 3
    assert len(rows) == len(report.urgent_skus)
    for _sku, stock, units in rows:
        assert stock < 7 * units / 30  # less than a week of recent sales left


def _orders_per_day(engine) -> dict[date, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(orders_t.c.order_date, func.count()).group_by(orders_t.c.order_date)
        ).all()
    return {as_date(day): n for day, n in rows}


def test_weekends_are_quieter_than_weekdays(demo):
    engine, report = demo
    counts = _orders_per_day(engine)
    days = [report.start + timedelta(days=i) for i in range((END - report.start).days + 1)]
    weekday = [counts.get(d, 0) for d in days if d.weekday() < 5]
    weekend = [counts.get(d, 0) for d in days if d.weekday() >= 5]
    assert statistics.mean(weekend) < 0.8 * statistics.mean(weekday)


def test_fourth_quarter_sells_more_than_second(demo):
    engine, _ = demo
    with engine.connect() as conn:
        revenue = {}
        for quarter, (start, end) in {
            "Q2": (date(2025, 4, 1), date(2025, 6, 30)),
            "Q4": (date(2025, 10, 1), date(2025, 12, 31)),
        }.items():
            revenue[quarter] = conn.execute(
                select(func.sum(lines_t.c.amount_cents)).where(
                    lines_t.c.order_date.between(start, end), lines_t.c.status != CANCELLED
                )
            ).scalar_one()
    counts = _orders_per_day(engine)
    q2 = sum(n for d, n in counts.items() if date(2025, 4, 1) <= d <= date(2025, 6, 30))
    q4 = sum(n for d, n in counts.items() if date(2025, 10, 1) <= d <= date(2025, 12, 31))
    assert q4 > 1.2 * q2
    assert revenue["Q4"] > revenue["Q2"]


def test_injected_drops_describe_three_weekdays_in_the_last_year():
    drops = injected_drops(SEED, END)
    assert [d.scope for d in drops] == ["product", "category", "country"]
    assert drops == injected_drops(SEED, END)
    assert injected_drops(SEED) == injected_drops(SEED, date.today())
    days = sorted(d.day for d in drops)
    assert all(END - timedelta(days=335) <= d <= END - timedelta(days=30) for d in days)
    assert all(d.weekday() < 5 for d in days)
    assert all((b - a).days >= 30 for a, b in zip(days, days[1:], strict=False))


def test_injected_drops_are_in_the_data(tmp_path):
    # Enough orders (~60 a day) for every dropped segment to sell on an ordinary day. Read
    # from the lines alone, so the rollups (most of the load's time) are left empty.
    engine = make_engine(f"sqlite:///{tmp_path}/drops.db")
    migrate(engine)
    report = generate_demo(engine, orders=60_000, seed=SEED, end=END, rollups_too=False)
    column = {"product": products_t.c.sku, "category": lines_t.c.category}
    column["country"] = lines_t.c.country
    with engine.connect() as conn:
        for drop in report.drops:
            assert drop in injected_drops(SEED, END)
            # The same weekday in the 8 weeks before, and the drop day itself.
            days = [drop.day - timedelta(weeks=w) for w in range(8, -1, -1)]
            rows = conn.execute(
                select(lines_t.c.order_date, func.sum(lines_t.c.amount_cents))
                .join(products_t, products_t.c.id == lines_t.c.product_id)
                .where(
                    column[drop.scope] == drop.key,
                    lines_t.c.order_date.in_(days),
                    lines_t.c.status != CANCELLED,
                )
                .group_by(lines_t.c.order_date)
            ).all()
            revenue = {as_date(day): cents for day, cents in rows}
            usual = statistics.median(revenue.get(d, 0) for d in days[:-1])
            assert usual > 0, drop
            assert revenue.get(drop.day, 0) <= 0.2 * usual, drop


def test_the_rollups_match_the_orders(demo):
    # The load's set-based rebuild against each table's own recomputation from the lines.
    engine, _ = demo
    with engine.connect() as conn:
        assert rollups.check(conn) == []
        days = conn.execute(select(func.count()).select_from(RollupCustomerDays)).scalar_one()
    assert days > N  # the activity chains are filled, not both empty


def test_only_the_rollups_asked_for(engine):
    daily = ("rollup_day_country", "rollup_day_product")
    generate_demo(engine, orders=300, seed=3, end=END, rollups_too=daily)
    with engine.connect() as conn:
        filled = {
            name
            for name in rollups.TABLE_NAMES
            if conn.execute(
                select(func.count()).select_from(Base.metadata.tables[name])
            ).scalar_one()
        }
        problems = {m.table for m in rollups.check(conn)}
    assert filled == set(daily)
    assert not problems & set(daily)  # the two filled are exact
    assert "rollup_month_country" in problems  # left empty, as asked


def test_an_unknown_rollup_changes_nothing(engine):
    with pytest.raises(DemoError, match="no rollup table.*rollup_day_planet"):
        generate_demo(engine, orders=300, seed=3, end=END, rollups_too=["rollup_day_planet"])
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(customers_t)).scalar_one() == 0


def test_refuses_a_database_that_has_data(demo):
    engine, _ = demo
    with pytest.raises(DemoError, match="already has 2,000 orders"):
        generate_demo(engine, orders=10, seed=1, end=END)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(orders_t)).scalar_one() == N


@pytest.mark.parametrize(
    ("orders", "seed", "message"),
    [(0, 1, "orders must be between"), (10, -1, "seed must be 0 or more")],
)
def test_bad_arguments_change_nothing(engine, orders, seed, message):
    with pytest.raises(DemoError, match=message):
        generate_demo(engine, orders=orders, seed=seed, end=END)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(customers_t)).scalar_one() == 0


def test_indexes_survive_the_bulk_load_and_ids_continue(engine):
    # The load drops the secondary indexes of the loaded tables and of the rollups, and builds
    # them again from their own definitions.
    def indexes() -> set[tuple]:
        insp = inspect(engine)
        return {
            (t, ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
            for t in insp.get_table_names()
            for ix in insp.get_indexes(t)
        }

    before = indexes()
    indexed = {t for t, *_ in before}
    assert {"order_lines", "rollup_day_product", "rollup_month_category_customer"} <= indexed
    generate_demo(engine, orders=300, seed=3, end=END)
    assert indexes() == before
    # New rows after the demo get fresh ids (PostgreSQL sequences moved past the demo's).
    with engine.begin() as conn:
        new_id = conn.execute(
            insert(customers_t).values(name="Walk-in").returning(customers_t.c.id)
        ).scalar_one()
    assert new_id == 51  # 300 orders get the minimum of 50 customers


def test_cli_demo_then_refusal(new_database_url):
    url = new_database_url("cli")
    runner = CliRunner()
    args = ["--database-url", url, "demo", "--orders", "300", "--seed", "5", "--quiet"]
    first = runner.invoke(cli, [*args, "--end", "2025-06-30"])
    assert first.exit_code == 0, first.output
    assert "300 orders" in first.output
    assert "2022-07-01..2025-06-30" in first.output
    again = runner.invoke(cli, args)
    assert again.exit_code == 2
    assert "already has 300 orders" in again.output
    bad = runner.invoke(cli, [*args, "--end", "2025-02-30"])
    assert bad.exit_code == 2
    assert "expected YYYY-MM-DD" in bad.output


def test_progress_names_every_stage_after_the_rows(tmp_path, capsys):
    # The bar reaches 100 % when the rows are written; the rollups, indexes and commit that
    # follow each say their name and time, in the order they run.
    engine = make_engine(f"sqlite:///{tmp_path}/progress.db")
    migrate(engine)
    generate_demo(engine, orders=300, seed=3, end=END, progress=True)
    said = [
        line.split(": ")[1]
        for line in capsys.readouterr().err.splitlines()
        if line.startswith("demo: ") and line.endswith(" s")
    ]
    # Counts apart (the rows); 6 daily rollup tables and the 2 monthly ones by the order's
    # dimensions (summed from the lines too), 13 coarser ones (grains.GRAINS).
    assert [re.sub(r"^[\d,]+ rows$", "rows", s) for s in said] == [
        "rows",
        "6 daily rollups and 2 monthly ones",
        "13 weekly, monthly and all-time rollups",
        "customers' activity chains",
        "indexes",
        "first-order dates",
        "commit",
        "write-ahead log checkpoint",
    ]
    engine.dispose()


def test_the_write_ahead_log_is_emptied_after_the_load(tmp_path):
    # Without the checkpoint the log kept every page the load wrote (as big as the database)
    # while the app's connections stayed open.
    engine = make_engine(f"sqlite:///{tmp_path}/wal.db")
    migrate(engine)
    with engine.connect() as reader:  # a connection held open, as the served app holds one
        reader.exec_driver_sql("SELECT 1")
        generate_demo(engine, orders=300, seed=3, end=END)
        assert (tmp_path / "wal.db-wal").stat().st_size == 0
        assert (tmp_path / "wal.db").stat().st_size > 1_000_000
    engine.dispose()


def test_sqlite_loads_through_a_rollback_journal_and_returns_to_the_log(tmp_path, monkeypatch):
    # Into a database no other connection has open, the load's pages are written once (no
    # write-ahead log), with every commit synced (synchronous FULL = 2); the connection goes
    # back to the log and NORMAL (1) after.
    engine = make_engine(f"sqlite:///{tmp_path}/journal.db")
    migrate(engine)
    engine.dispose()  # the migration's connection stays out of the way
    seen = []
    rebuild = rollups.rebuild

    def spy(conn, *args, **kwargs):
        seen.append(
            (
                conn.exec_driver_sql("PRAGMA journal_mode").scalar_one(),
                conn.exec_driver_sql("PRAGMA synchronous").scalar_one(),
            )
        )
        return rebuild(conn, *args, **kwargs)

    monkeypatch.setattr(rollups, "rebuild", spy)
    generate_demo(engine, orders=300, seed=3, end=END)
    assert seen == [("delete", 2)]
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(orders_t)).scalar_one() == 300
        assert rollups.check(conn) == []
    engine.dispose()


def test_a_load_that_fails_in_the_rollback_journal_leaves_nothing(tmp_path, monkeypatch):
    # The rows are written when the rollups fail: the rollback takes them all away, the file
    # is back in the write-ahead log, and the next load starts from an empty database.
    engine = make_engine(f"sqlite:///{tmp_path}/failed.db")
    migrate(engine)
    engine.dispose()

    def broken(conn, *args, **kwargs):
        assert conn.execute(select(func.count()).select_from(orders_t)).scalar_one() == 300
        raise RuntimeError("disk full")

    monkeypatch.setattr(rollups, "rebuild", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        generate_demo(engine, orders=300, seed=3, end=END)
    monkeypatch.undo()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        for table in (orders_t, lines_t, customers_t, products_t):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    assert not (tmp_path / "failed.db-journal").exists()
    generate_demo(engine, orders=300, seed=3, end=END)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(orders_t)).scalar_one() == 300
    engine.dispose()


_KILLED_LOAD = """
import sys, time
from datetime import date
from pathlib import Path
from dashapp.demo import generate_demo
from dashapp.store import rollups
from dashapp.store.db import make_engine

def paused(conn, *args, **kwargs):
    Path(sys.argv[2]).write_text("rows written")
    time.sleep(600)

rollups.rebuild = paused
generate_demo(make_engine(sys.argv[1]), orders=300, seed=3, end=date(2025, 12, 31))
"""


def test_a_load_killed_in_the_rollback_journal_leaves_nothing(tmp_path):
    # kill -9 once the rows are written (the rollups' rebuild is next): the journal left
    # behind rolls the file back at the next connection, which is in the write-ahead log
    # again, and a new load starts from an empty database.
    url = f"sqlite:///{tmp_path}/killed.db"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    marker = tmp_path / "paused"
    process = subprocess.Popen([sys.executable, "-c", _KILLED_LOAD, url, str(marker)])
    try:
        for _ in range(1200):
            if marker.exists() or process.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists()
        assert (tmp_path / "killed.db-journal").exists()  # the load is in the rollback journal
    finally:
        process.kill()
        process.wait(30)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        for table in (orders_t, lines_t, customers_t, products_t):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    generate_demo(engine, orders=300, seed=3, end=END)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(orders_t)).scalar_one() == 300
        assert rollups.check(conn) == []
    engine.dispose()
