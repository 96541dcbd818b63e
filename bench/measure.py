"""What every benchmark shares: the database it runs on, timed runs (median and p95), the
conditions of the run, and its result file bench/results/NAME-ORDERS-BACKEND.json."""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from dashapp.store.db import make_engine
from dashapp.store.models import Order, OrderLine

RESULTS = Path(__file__).resolve().parent / "results"
URL_ENV = "BENCH_DATABASE_URL"


@dataclass(frozen=True)
class Stats:
    """Timed runs of one piece of work, in milliseconds."""

    samples_ms: tuple[float, ...]

    @property
    def runs(self) -> int:
        return len(self.samples_ms)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95_ms(self) -> float:
        """Nearest rank: with fewer than 20 runs this is the slowest one."""
        ordered = sorted(self.samples_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]

    def as_json(self) -> dict:
        return {
            "runs": self.runs,
            "median_ms": round(self.median_ms, 3),
            "p95_ms": round(self.p95_ms, 3),
            "samples_ms": [round(s, 3) for s in self.samples_ms],
        }


def time_runs(work: Callable[[], Any], repeat: int, budget_s: float | None = None) -> Stats:
    """Run `work` up to `repeat` times; with a budget, stop once it is spent (at least 3 runs),
    so a slow query at 10M orders does not take minutes to measure."""
    samples: list[float] = []
    started = time.perf_counter()
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        work()
        samples.append((time.perf_counter() - t0) * 1000)
        spent = time.perf_counter() - started
        if budget_s is not None and len(samples) >= 3 and spent > budget_s:
            break
    return Stats(tuple(samples))


def timed_once(work: Callable[[], Any]) -> tuple[float, Any]:
    """Milliseconds of one run of `work`, and what it returned."""
    t0 = time.perf_counter()
    result = work()
    return (time.perf_counter() - t0) * 1000, result


def add_database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        default=os.environ.get(URL_ENV),
        help=f"SQLAlchemy URL of a filled benchmark database (default ${URL_ENV}); "
        "`python -m bench.dataset --orders N --backend B` builds one and prints its URL",
    )


def open_database(url: str | None, parser: argparse.ArgumentParser) -> Engine:
    """The engine on a filled benchmark database, or a usage error naming how to get one."""
    if not url:
        parser.error(f"give --database-url or set ${URL_ENV} (see python -m bench.dataset)")
    engine = make_engine(url)
    if not count_rows(engine, Order):
        parser.error(f"no orders in {safe_url(engine)}: build it with python -m bench.dataset")
    return engine


def count_rows(engine: Engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


class Run:
    """The conditions of one benchmark run, recorded with its figures."""

    def __init__(self, benchmark: str, engine: Engine) -> None:
        self.benchmark = benchmark
        self.engine = engine
        self.orders = count_rows(engine, Order)
        self.lines = count_rows(engine, OrderLine)
        self.backend = engine.dialect.name
        self.started = datetime.now()
        self.load_start = os.getloadavg()[0]

    @property
    def path(self) -> Path:
        return result_path(self.benchmark, self.orders, self.backend)

    def write(self, rows: list[dict], **details: Any) -> Path:
        """Write the JSON result: `rows` is what bench.summary tabulates (group, name,
        median_ms, p95_ms, runs, naive_ms, naive_ratio), `details` the raw figures."""
        data = {
            "benchmark": self.benchmark,
            "orders": self.orders,
            "lines": self.lines,
            "backend": self.backend,
            "database": safe_url(self.engine),
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now().isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "load_average": [round(self.load_start, 2), round(os.getloadavg()[0], 2)],
            "rows": rows,
            **details,
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        # Write then rename: an interrupted run never leaves half a file for bench.summary.
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)
        return self.path

    def header(self) -> str:
        return (
            f"{self.benchmark}: {self.orders:,} orders ({self.lines:,} lines) on {self.backend}, "
            f"{os.cpu_count()} cores, load average {self.load_start:.1f} at the start"
        )


def result_path(benchmark: str, orders: int, backend: str, suffix: str = ".json") -> Path:
    return RESULTS / f"{benchmark}-{orders}-{backend}{suffix}"


def row(
    group: str,
    name: str,
    stats: Stats,
    naive_ms: float | None = None,
    **extra: Any,
) -> dict:
    """One line of a result: the app's median and p95, and the naive time and ratio if any."""
    out = {"group": group, "name": name, **stats.as_json()}
    if naive_ms is not None:
        out["naive_ms"] = round(naive_ms, 3)
        out["naive_ratio"] = round(naive_ms / stats.median_ms, 2) if stats.median_ms else None
    out.update(extra)
    return out


def ms(value: float | None) -> str:
    """Milliseconds for a table: no decimals from 100 up."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}x"


def print_table(title: str, rows: list[dict]) -> None:
    """The rows as a plain-text table on stdout."""
    print(f"\n{title}")
    width = max([len(f"{r['group']} / {r['name']}") for r in rows] + [10])
    print(
        f"{'':{width}}  {'median ms':>10} {'p95 ms':>10} {'runs':>5} {'naive ms':>10} {'ratio':>8}"
    )
    for r in rows:
        label = f"{r['group']} / {r['name']}" if r["group"] else r["name"]
        print(
            f"{label:{width}}  {ms(r['median_ms']):>10} {ms(r['p95_ms']):>10} {r['runs']:>5} "
            f"{ms(r.get('naive_ms')):>10} {ratio(r.get('naive_ratio')):>8}"
        )
