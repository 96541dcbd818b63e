"""Demo-load benchmark: how long `generate_demo` takes per order count, where the time goes,
and its ratio to the floor measured in the same run: the plain load of the same rows (the four
tables, their secondary indexes dropped, nothing else kept up to date), rolled back.

    python -m bench.demo_load --orders 50000 1000000 [--backend sqlite|postgresql]

Each size gets a fresh database (SQLite: a file in a temporary folder; PostgreSQL: the
database sp_demo_load on the server of $PG_URL, dropped after) with the app's migrations; seed
42, last day 2025-12-31 as bench.dataset. The phases are the statements' own time, grouped by
what they write; "python" is the rest (drawing the data, converting it, the driver's COPY on
PostgreSQL). The CPU seconds are this process's (user and system, SQLite's sorter threads
included; not the PostgreSQL server's): on a shared machine they move far less with the load
than the wall clock. Writes bench/results/demo_load-BACKEND.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from dashapp.demo import generate_demo
from dashapp.demo.generate import _load_transaction, _table_columns, build_demo
from dashapp.demo.load import bulk_insert
from dashapp.store.bulk import deferred_indexes
from dashapp.store.db import make_engine
from dashapp.store.migrate import upgrade

END = date(2025, 12, 31)
SEED = 42
PG_URL = os.environ.get("PG_URL", "postgresql+psycopg://127.0.0.1:5432/test")
RESULTS = Path(__file__).parent / "results"
_STATEMENT_CHARS = 160  # of a statement's text in the --top list
_PHASES = (
    ("rollups", re.compile(r"^(INSERT INTO|DELETE FROM) rollup_")),
    ("indexes", re.compile(r"^(CREATE|DROP) (UNIQUE )?INDEX")),
    ("first-order dates", re.compile(r"^UPDATE customers SET first_order_date")),
    ("rows", re.compile(r"^(INSERT|DELETE FROM|CREATE TEMP|DROP TABLE)")),
)


class StatementClock:
    """Seconds spent in the statements an engine runs, per phase and per statement."""

    def __init__(self, engine: Engine) -> None:
        self.seconds: Counter[str] = Counter()
        self.statements: Counter[str] = Counter()
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, _cursor, _statement, _params, _context, _many) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, _cursor, statement, _params, _context, _many) -> None:
        spent = time.perf_counter() - conn.info.pop("bench_started")
        text = statement.lstrip()
        phase = next((name for name, pattern in _PHASES if pattern.match(text)), "other SQL")
        self.seconds[phase] += spent
        self.statements[" ".join(text.split())[:_STATEMENT_CHARS]] += spent


def fresh_database(backend: str, folder: Path, orders: int) -> tuple[Engine, callable]:
    """A migrated empty database and the function that removes it."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{folder}/demo-{orders}.db")
        upgrade(engine)
        return engine, engine.dispose
    name = "sp_demo_load"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = make_engine(make_url(PG_URL).set(database=name).render_as_string(False))
    upgrade(engine)

    def drop() -> None:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return engine, drop


def plain_load_floor(engine: Engine, orders: int) -> tuple[float, float]:
    """Seconds (wall, CPU of this process) to write the demo's rows, drawn beforehand, with
    nothing else: rolled back."""
    data = build_demo(orders, SEED, END)
    tables = _table_columns(data)
    started, cpu = time.perf_counter(), time.process_time()
    # The load's own transaction: on SQLite without foreign-key checks, as the load does.
    with _load_transaction(engine, data) as conn:
        with deferred_indexes(conn, []):  # the load's settings, no index to drop
            for table, columns in tables:
                bulk_insert(conn, table, columns)
        floor = time.perf_counter() - started, time.process_time() - cpu
        conn.rollback()
    return floor


def measure(backend: str, orders: int, folder: Path, top: int = 0) -> dict:
    engine, remove = fresh_database(backend, folder, orders)
    try:
        floor, floor_cpu = plain_load_floor(engine, orders)
        clock = StatementClock(engine)
        cpu = time.process_time()
        report = generate_demo(engine, orders=orders, seed=SEED, end=END)
        cpu = time.process_time() - cpu
        seconds = report.seconds
        phases = dict(clock.seconds)
        slowest = clock.statements.most_common(top)
    finally:
        remove()
    phases["python"] = seconds - sum(phases.values())
    return {
        "orders": orders,
        "lines": report.lines,
        "backend": backend,
        "seconds": round(seconds, 2),
        "floor_seconds": round(floor, 2),
        "ratio_to_floor": round(seconds / floor, 2),
        "cpu_seconds": round(cpu, 2),
        "floor_cpu_seconds": round(floor_cpu, 2),
        "phases": {k: round(v, 2) for k, v in sorted(phases.items(), key=lambda kv: -kv[1])},
        "slowest_statements": [[round(v, 2), k] for k, v in slowest],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, nargs="+", default=[50_000])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--top", type=int, default=0, help="also print the N slowest statements (their text cut)"
    )
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="demo_load-") as folder:
        for orders in args.orders:
            found = measure(args.backend, orders, Path(folder), args.top)
            results.append(found)
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in found["phases"].items())
            print(
                f"{orders:>10,} orders on {args.backend}: {found['seconds']:.1f} s "
                f"({found['ratio_to_floor']:.1f}x the plain load of the rows, "
                f"{found['floor_seconds']:.1f} s); CPU {found['cpu_seconds']:.1f} s "
                f"(floor {found['floor_cpu_seconds']:.1f} s); {phases}",
                flush=True,
            )
            for seconds, statement in found["slowest_statements"]:
                print(f"  {seconds:8.2f} s  {statement}", flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"demo_load-{args.backend}.json"
    out.write_text(json.dumps({"load_average": os.getloadavg(), "runs": results}, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
