"""Import benchmark: lines per second of a CSV import (`dashapp.importer.import_csv`, the CLI's
and the upload's path), into an empty SQLite database and into a copy of the 1M-order demo
database, beside pandas `read_csv` + `to_sql` of the same file in the same run.

    python -m bench.import_load [--lines 50000] [--database-url URL] [--full-check]

The file is a classic order-line export (the sample's columns) of new orders, new customers
and new products, made from a seed. The import's time is split into reading (decode, parse,
validate: everything before the write) and loading (`load_orders`, rollups included) and the
commit, in wall and CPU time (the machine is shared). Then the same file is imported again:
nothing changes (every order unchanged), which is the cost of a re-export. After that the
rollups are compared with the order lines: every row (`rollups.check`) on the empty database,
each table's revenue and units at 1M (--full-check: every row, which takes minutes there).

The upload page's re-read is timed too: a mapping change reads the file's kept rows
(`parse_file` once, then `read_file` of the ParsedFile) where it used to read the file again.

The target (issue 21): at least 50,000 lines per second into both databases. The 1M database
is $BENCH_DATABASE_URL or data/bench/demo-1000000-seed42.db (python -m bench.dataset builds
it); it is copied to a temporary file first and never written to. Writes
bench/results/import_load-LINES-sqlite.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import make_url

import dashapp.importer.pipeline as pipeline
from bench.measure import RESULTS
from dashapp.importer import import_csv
from dashapp.store import rollups
from dashapp.store.db import PROJECT_ROOT, make_engine
from dashapp.store.migrate import upgrade
from dashapp.store.models import CANCELLED, OrderLine

TARGET_LINES_PER_S = 50_000
lines = OrderLine.__table__
DEMO_1M = PROJECT_ROOT / "data" / "bench" / "demo-1000000-seed42.db"
HEADER = (
    "ORDERNUMBER,QUANTITYORDERED,PRICEEACH,ORDERLINENUMBER,SALES,ORDERDATE,STATUS,QTR_ID,"
    "MONTH_ID,YEAR_ID,PRODUCTLINE,MSRP,PRODUCTCODE,CUSTOMERNAME,PHONE,ADDRESSLINE1,ADDRESSLINE2,"
    "CITY,STATE,POSTALCODE,COUNTRY,TERRITORY,CONTACTLASTNAME,CONTACTFIRSTNAME,DEALSIZE"
)
LINES_OF = (1, 2, 3, 3, 4, 5, 6)  # lines per order, drawn uniformly: 3.4 on average
PRODUCT_LINES = ("Classic Cars", "Motorcycles", "Planes", "Ships", "Trains", "Trucks", "Vintage")
COUNTRIES = (("USA", "NA"), ("France", "EMEA"), ("Spain", "EMEA"), ("Japan", "Japan"))
STATUSES = ("Shipped",) * 18 + ("Cancelled", "On Hold")


def write_export(path: Path, n_lines: int, seed: int = 7) -> int:
    """A classic export of about `n_lines` lines (whole orders); returns the exact count."""
    rnd = random.Random(seed)
    products = [
        (f"BI{p:05d}", PRODUCT_LINES[p % len(PRODUCT_LINES)], rnd.randint(30, 200))
        for p in range(500)
    ]
    customers = [
        (f"Bench Customer {c:04d}", *COUNTRIES[c % len(COUNTRIES)], f"City {c % 97}")
        for c in range(2000)
    ]
    first_day = date(2025, 1, 1)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        out.write(HEADER + "\n")
        number = 0
        while written < n_lines:
            number += 1
            day = first_day + timedelta(days=rnd.randrange(365))
            name, country, territory, city = rnd.choice(customers)
            status = rnd.choice(STATUSES)
            for line_number, (sku, line, msrp) in enumerate(
                rnd.sample(products, rnd.choice(LINES_OF)), start=1
            ):
                quantity = rnd.randint(1, 50)
                cents = rnd.randint(msrp * 60, msrp * 100)
                price = f"{cents // 100}.{cents % 100:02d}"
                sales = cents * quantity
                writer.writerow(
                    [
                        f"BI{number:07d}", quantity, price, line_number,
                        f"{sales // 100}.{sales % 100:02d}",
                        f"{day.month}/{day.day}/{day.year} 0:00", status,
                        (day.month - 1) // 3 + 1, day.month, day.year, line, msrp, sku, name,
                        "555-0100", "1 Main St", "", city, "", "10001", country, territory,
                        "Doe", "Jane", "Medium",
                    ]
                )  # fmt: skip
                written += 1
    return written


class LoaderClock:
    """Seconds (wall and CPU) spent in `load_orders` during an import (wraps the pipeline's
    reference)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self._load = pipeline.load_orders

    def __enter__(self) -> LoaderClock:
        def timed(*args, **kwargs):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return self._load(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0
                self.cpu_seconds += time.process_time() - c0

        pipeline.load_orders = timed
        return self

    def __exit__(self, *exc) -> None:
        pipeline.load_orders = self._load


# Where an import's SQL goes, by what each statement writes (the first match counts).
PHASES = (
    ("chains", re.compile(r"chain_|bulk_links|bulk_firsts|rollup_customer_(days|reach|firsts)"
                          r"|rebuild_calendar|rebuild_chain")),
    ("levels", re.compile(r"INTO (temp\.)?(rebuild|bulk_before|bulk_after)_per_order")),
    ("daily rollups", re.compile(r"INTO rollup_day_")),
    ("coarser rollups", re.compile(r"INTO rollup_")),
    ("rows", re.compile(r"INTO (temp\._stage_\w+|orders|order_lines|customers|products)\b")),
    ("indexes", re.compile(r"^\s*CREATE (UNIQUE )?INDEX")),
)  # fmt: skip


class StatementClock:
    """CPU seconds (process_time) inside the engine's SQL statements during an import, summed
    per PHASES entry (else "other SQL"): where the loader's time goes, measured in every run."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.cpu: dict[str, float] = {}

    def _before(self, conn, _cursor, _statement, _params, _context, _many) -> None:
        conn.info["statement_cpu"] = time.process_time()

    def _after(self, conn, _cursor, statement, _params, _context, _many) -> None:
        spent = time.process_time() - conn.info.pop("statement_cpu")
        phase = next((n for n, pattern in PHASES if pattern.search(statement)), "other SQL")
        self.cpu[phase] = self.cpu.get(phase, 0.0) + spent

    def __enter__(self) -> StatementClock:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    def rounded(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in sorted(self.cpu.items(), key=lambda kv: -kv[1])}


def totals_mismatches(conn) -> list[str]:
    """Every rollup's revenue and units against the lines not cancelled: one scan of the
    lines and of each rollup (rollups.check compares every row, minutes at 1M orders)."""
    live = lines.c.status != CANCELLED
    want = conn.execute(
        select(
            func.coalesce(func.sum(lines.c.amount_cents), 0),
            func.coalesce(func.sum(lines.c.quantity), 0),
        ).where(live)
    ).one()
    problems = []
    for rollup in rollups.ROLLUPS:
        table = rollup.table
        have = conn.execute(
            select(
                func.coalesce(func.sum(table.c.revenue_cents), 0),
                func.coalesce(func.sum(table.c.units), 0),
            )
        ).one()
        if tuple(have) != tuple(want):
            problems.append(f"{table.name}: revenue, units {tuple(have)} != lines {tuple(want)}")
    return problems


def describe(name: str, run: dict) -> str:
    verdict = "meets" if run["lines_per_s"] >= TARGET_LINES_PER_S else "BELOW"
    rollup_state = (
        "exact" if not run["rollup_mismatches"] else "WRONG: " + "; ".join(run["rollup_mismatches"])
    )
    return (
        f"  into {name}: {run['seconds']:.2f} s, {run['lines_per_s']:,} lines/s ({verdict} the "
        f"{TARGET_LINES_PER_S:,} target), {run['seconds'] / run['pandas_s']:.1f}x pandas; CPU "
        f"{run['cpu_s']:.2f} s ({run['lines_per_cpu_s']:,} lines per CPU second, about what a "
        f"quiet machine does): reader+commit {run['reader_and_commit_cpu_s']:.2f} s, loader "
        f"{run['loader_cpu_s']:.2f} s; re-import {run['reimport_s']:.2f} s (loader CPU "
        f"{run['reimport_loader_cpu_s']:.2f} s); rollups {rollup_state} ({run['check']} check)"
        "\n    loader CPU in SQL: "
        + ", ".join(f"{phase} {s:.2f} s" for phase, s in run["sql_cpu_s"].items())
        + f"; Python {run['loader_python_cpu_s']:.2f} s"
    )


def timed_import(
    name: str, url: str, path: Path, n_lines: int, pandas_s: float, check: bool
) -> dict:
    """Import the file into the database at `url`; the figures of the run."""
    engine = make_engine(url)
    try:
        with LoaderClock() as clock, StatementClock(engine) as statements:
            t0, c0 = time.perf_counter(), time.process_time()
            report = import_csv(engine, path, created_by="bench")
            total, cpu = time.perf_counter() - t0, time.process_time() - c0
        sql_cpu = sum(statements.cpu.values())
        result = {
            "seconds": round(total, 3),
            "lines_per_s": round(n_lines / total),
            "cpu_s": round(cpu, 3),
            "lines_per_cpu_s": round(n_lines / cpu),
            "loader_s": round(clock.seconds, 3),
            "loader_cpu_s": round(clock.cpu_seconds, 3),
            "reader_and_commit_s": round(total - clock.seconds, 3),
            "reader_and_commit_cpu_s": round(cpu - clock.cpu_seconds, 3),
            "pandas_s": round(pandas_s, 3),
            # The loader's CPU inside SQL statements by phase, and its Python around them.
            "sql_cpu_s": statements.rounded(),
            "loader_python_cpu_s": round(clock.cpu_seconds - sql_cpu, 3),
            "orders_added": report.orders_added,
            "lines_added": report.lines_added,
            "rejects": len(report.rejects),
        }
        with LoaderClock() as clock:
            t0 = time.perf_counter()
            again = import_csv(engine, path, created_by="bench")
            result["reimport_s"] = round(time.perf_counter() - t0, 3)
            result["reimport_loader_cpu_s"] = round(clock.cpu_seconds, 3)
            result["reimport_added"] = again.orders_added
            result["reimport_unchanged"] = again.orders_unchanged
        t0 = time.perf_counter()
        with engine.connect() as conn:
            result["rollup_mismatches"] = totals_mismatches(conn)
            if check:
                result["rollup_mismatches"] += [str(m) for m in rollups.check(conn)]
        result["check"] = "full" if check else "totals"
        result["check_s"] = round(time.perf_counter() - t0, 3)
        print(describe(name, result), flush=True)
        return result
    finally:
        engine.dispose()


def upload_reads(path: Path) -> dict:
    """CPU seconds of the upload page's reads of the file: the first (decode, split, read)
    and a mapping change (the kept rows read with another mapping), best of three."""

    def best(read) -> float:
        times = []
        for column in ("DEALSIZE", "TERRITORY", "PHONE"):  # each time another column mapped
            c0 = time.process_time()
            read({"ship_mode": column})
            times.append(time.process_time() - c0)
        return round(min(times), 3)

    c0 = time.process_time()
    parsed = pipeline.parse_file(path)
    pipeline.read_file(parsed)  # the check when the file arrives
    first = round(time.process_time() - c0, 3)
    return {
        "first_read_cpu_s": first,
        "mapping_change_cpu_s": best(lambda mapping: pipeline.read_file(parsed, mapping)),
        "reading_again_cpu_s": best(lambda mapping: pipeline.read_file(path, mapping)),
    }


def pandas_floor(path: Path, folder: Path) -> float:
    """Seconds of pandas read_csv + to_sql of the same file into a new SQLite file."""
    import pandas as pd

    engine = create_engine(f"sqlite:///{folder / 'pandas.db'}")
    try:
        t0 = time.perf_counter()
        frame = pd.read_csv(path)
        frame.to_sql("lines", engine, index=False)
        return time.perf_counter() - t0
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{DEMO_1M}",
        help="the filled SQLite database to copy (default: the 1M-order demo database)",
    )
    parser.add_argument(
        "--full-check",
        action="store_true",
        help="compare every rollup row after the import into the 1M database (minutes), not "
        "only each rollup's totals (the empty database always gets the full check)",
    )
    args = parser.parse_args()
    filled = make_url(args.database_url)
    if filled.get_backend_name() != "sqlite" or not Path(filled.database or "").exists():
        parser.error(f"no SQLite database at {args.database_url}: run python -m bench.dataset")

    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="sp-import-bench-") as tmp:
        folder = Path(tmp)
        path = folder / "export.csv"
        n_lines = write_export(path, args.lines)
        print(
            f"import_load: {n_lines:,} lines in {path.stat().st_size / 1e6:.1f} MB, "
            f"{os.cpu_count()} cores, load average {load_start:.1f} at the start"
        )
        floor = pandas_floor(path, folder)
        print(
            f"  pandas read_csv + to_sql: {floor:.2f} s ({n_lines / floor:,.0f} lines/s)",
            flush=True,
        )

        upload = upload_reads(path)
        print(
            f"  upload page: first read CPU {upload['first_read_cpu_s']:.2f} s; a mapping change "
            f"{upload['mapping_change_cpu_s']:.2f} s from the kept rows "
            f"({upload['reading_again_cpu_s']:.2f} s reading the file again)",
            flush=True,
        )

        empty_url = f"sqlite:///{folder / 'empty.db'}"
        engine = make_engine(empty_url)
        upgrade(engine)
        engine.dispose()
        runs = {"empty": timed_import("empty", empty_url, path, n_lines, floor, check=True)}

        copy = folder / "filled.db"
        t0 = time.perf_counter()
        shutil.copyfile(filled.database, copy)
        print(f"  (copied {filled.database} in {time.perf_counter() - t0:.1f} s)")
        engine = make_engine(f"sqlite:///{copy}")
        upgrade(engine)  # a database built before the latest migration
        engine.dispose()
        runs["filled"] = timed_import(
            f"{Path(filled.database).name}",
            f"sqlite:///{copy}",
            path,
            n_lines,
            floor,
            check=args.full_check,
        )

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"import_load-{n_lines}-sqlite.json"

    out.write_text(
        json.dumps(
            {
                "benchmark": "import_load",
                "lines": n_lines,
                "pandas_s": round(floor, 3),
                "target": TARGET_LINES_PER_S,
                "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)],
                "upload": upload,
                **runs,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"  written {out.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
