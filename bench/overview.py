"""Overview benchmark (SPEC §8): every Overview query on demo orders, timed in SQL and compared
with the naive pandas way. `python -m bench.overview --help`; results in bench/results/."""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, event, func, select

from bench import naive
from bench.dataset import bench_engine
from dashapp.analytics import breakdowns
from dashapp.analytics.kpis import kpi_summary
from dashapp.analytics.query import data_bounds
from dashapp.filters import Filters
from dashapp.store.models import OrderLine

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Query:
    """One Overview query: the SQL way, the naive way, and how to check they agree."""

    name: str
    sql: Callable[[Connection, Filters], object]
    naive: Callable[[pd.DataFrame, Filters, dict], object]
    check: Callable[[object, object], None]


@dataclass
class Timing:
    query: str
    sql_ms: list[float]
    naive_ms: float
    # (statement, parameters, EXPLAIN QUERY PLAN steps) of each SELECT the query ran (SQLite)
    statements: list[tuple[str, tuple, list[str]]] = field(default_factory=list)


def _assert_equal(label: str, sql_value, naive_value) -> None:
    if sql_value != naive_value:
        raise AssertionError(f"{label}: SQL gives {sql_value!r}, pandas gives {naive_value!r}")


def _check_kpis(summary, answer: dict) -> None:
    for period in ("current", "previous", "last_year"):
        k = getattr(summary, period)
        for key, value in answer[period].items():
            _assert_equal(f"kpi {period} {key}", getattr(k, key), value)


def _check_series(sql_df: pd.DataFrame, naive_df: pd.DataFrame, columns: list[str]) -> None:
    left = sql_df.assign(period=pd.to_datetime(sql_df["period"])).set_index("period")
    right = naive_df.set_index("period")
    right = right[right["all_orders"] > 0] if "all_orders" in right else right
    _assert_equal("periods", list(left.index), list(right.index))
    for col in columns:
        _assert_equal(col, left[col].astype("int64").tolist(), right[col].astype("int64").tolist())


def _check_ranked(key: str, columns: list[str]):
    def check(sql_df: pd.DataFrame, naive_df: pd.DataFrame) -> None:
        _assert_equal(f"{key} order", sql_df[key].tolist(), naive_df[key].tolist())
        for col in columns:
            _assert_equal(col, sql_df[col].astype("int64").tolist(), naive_df[col].tolist())

    return check


def _check_category_time(sql_df: pd.DataFrame, naive_df: pd.DataFrame) -> None:
    left = sql_df.assign(period=pd.to_datetime(sql_df["period"]))
    left = left[left["revenue_cents"] > 0].reset_index(drop=True)
    _assert_equal("rows", len(left), len(naive_df))
    _assert_equal("revenue", left["revenue_cents"].tolist(), naive_df["revenue_cents"].tolist())


QUERIES = (
    Query("kpi_summary", kpi_summary, lambda df, f, d: naive.kpi_summary(df, f), _check_kpis),
    Query(
        "sales_over_time (day)",
        lambda c, f: breakdowns.sales_over_time(c, f, "day"),
        lambda df, f, d: naive.sales_over_time(df, f, "day"),
        lambda s, n: _check_series(s, n, ["revenue_cents", "orders", "customers", "cancelled"]),
    ),
    Query(
        "sales_over_time (month)",
        lambda c, f: breakdowns.sales_over_time(c, f, "month"),
        lambda df, f, d: naive.sales_over_time(df, f, "month"),
        lambda s, n: _check_series(s, n, ["revenue_cents", "orders", "units", "customers"]),
    ),
    Query(
        "sales_by_category",
        breakdowns.sales_by_category,
        lambda df, f, d: naive.sales_by_category(df, f),
        _check_ranked("category", ["revenue_cents", "units", "orders"]),
    ),
    Query(
        "category_over_time (month)",
        lambda c, f: breakdowns.category_over_time(c, f, "month"),
        lambda df, f, d: naive.category_over_time(df, f),
        _check_category_time,
    ),
    Query(
        "sales_by_country",
        breakdowns.sales_by_country,
        lambda df, f, d: naive.sales_by_country(df, f),
        _check_ranked("country", ["revenue_cents", "orders", "customers"]),
    ),
    Query(
        "top_products (10)",
        lambda c, f: breakdowns.top_products(c, f, 10),
        lambda df, f, d: naive.top_products(df, f, d["products"]),
        _check_ranked("sku", ["revenue_cents", "units", "orders"]),
    ),
    Query(
        "top_customers (10)",
        lambda c, f: breakdowns.top_customers(c, f, 10),
        lambda df, f, d: naive.top_customers(df, f, d["customers"]),
        _check_ranked("customer_id", ["revenue_cents", "units", "orders"]),
    ),
    Query(
        "calendar: sales_over_time (day)",
        lambda c, f: breakdowns.sales_over_time(c, f, "day"),
        lambda df, f, d: naive.sales_over_time(df, f, "day"),
        lambda s, n: _check_series(s, n, ["revenue_cents"]),
    ),
)


def scenarios(conn: Connection) -> dict[str, Filters]:
    """Last 90 days; the whole range; the whole range for the biggest category and country."""
    lo, hi = data_bounds(conn)
    whole = Filters(start=lo, end=hi)
    lines = OrderLine.__table__
    category, country = (
        conn.execute(
            select(col).group_by(col).order_by(func.sum(lines.c.amount_cents).desc()).limit(1)
        ).scalar_one()
        for col in (lines.c.category, lines.c.country)
    )
    return {
        "last 90 days": Filters(start=hi - timedelta(days=89), end=hi),
        "whole range": whole,
        f"whole range, {category} in {country}": Filters(
            start=lo, end=hi, categories=(category,), countries=(country,)
        ),
    }


class StatementLog:
    """The SELECTs an engine runs while recording (to EXPLAIN exactly what the app sends)."""

    def __init__(self, engine: Engine) -> None:
        self.recording = False
        self.statements: list[tuple[str, tuple]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if self.recording and statement.lstrip().upper().startswith("SELECT"):
            self.statements.append((statement, parameters))

    def take(self) -> list[tuple[str, tuple]]:
        out, self.statements = self.statements, []
        return out


def explain(conn: Connection, statement: str, parameters) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN for one captured statement, one line per step."""
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    return [str(row[-1]) for row in rows]


_INDEX_SEARCH = re.compile(r"SEARCH order_lines USING (?:COVERING )?INDEX (\w+)")


@dataclass(frozen=True)
class PlanCheck:
    """A statement that searches order_lines through an index, timed against a full scan."""

    scenario: str
    query: str
    index: str
    planned_ms: float
    full_scan_ms: float


def _planned_vs_scan(conn: Connection, statement: str, parameters, repeat: int):
    """Median ms of a statement as planned and with order_lines NOT INDEXED, interleaved so
    that load from other processes hits both alike."""
    full_scan = re.sub(r"\bFROM order_lines\b", "FROM order_lines NOT INDEXED", statement)
    samples: dict[str, list[float]] = {statement: [], full_scan: []}
    for _ in range(repeat):
        for sql, out in samples.items():
            t0 = time.perf_counter()
            conn.exec_driver_sql(sql, parameters).all()
            out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples[statement]), statistics.median(samples[full_scan])


def check_plans(conn: Connection, scenario: str, timings: list[Timing], repeat: int):
    """Time each index search on order_lines as planned and with the index disabled.

    SPEC §8: on whole-range queries SQLite may prefer an index range scan that visits every
    row through the index; `NOT INDEXED` (a diagnostic only, never used by the app) shows
    what a plain table scan would cost.
    """
    out = []
    for t in timings:
        if t.query.startswith("calendar"):
            continue  # the same statement as sales_over_time (day)
        for i, (statement, parameters, steps) in enumerate(t.statements, 1):
            match = next(filter(None, map(_INDEX_SEARCH.search, steps)), None)
            if match is None:
                continue
            label = t.query if len(t.statements) == 1 else f"{t.query} {i}/{len(t.statements)}"
            planned, scan = _planned_vs_scan(conn, statement, parameters, repeat)
            out.append(PlanCheck(scenario, label, match.group(1), planned, scan))
    return out


def run_scenario(
    conn: Connection, log: StatementLog, f: Filters, repeat: int, frame, dims
) -> list[Timing]:
    """Time every query `repeat` times (after one checked warm-up run)."""
    out = []
    for q in QUERIES:
        log.recording = True
        answer = q.sql(conn, f)
        log.recording = False
        captured = log.take()
        plans = (
            [(s, p, explain(conn, s, p)) for s, p in captured]
            if conn.dialect.name == "sqlite"
            else []
        )
        samples = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            q.sql(conn, f)
            samples.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        naive_answer = q.naive(frame, f, dims)
        naive_ms = (time.perf_counter() - t0) * 1000
        # The two ways must have done the same work, or the ratio means nothing.
        q.check(answer, naive_answer)
        out.append(Timing(q.name, samples, naive_ms, plans))
    return out


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def report(
    header: list[str],
    results: dict[str, tuple[float, list[Timing]]],
    checks: list[PlanCheck],
) -> str:
    """The Markdown report: one table per scenario, the plan checks, then the query plans."""
    out = [*header, ""]
    for scenario, (read_ms, timings) in results.items():
        out += [
            f"### {scenario}",
            "",
            f"Naive read (`pd.read_sql` of lines joined to orders): {_ms(read_ms)} ms; "
            "each naive query below is that read plus its pandas aggregation.",
            "",
            "| query | SQL median ms | SQL p95 ms | naive ms | naive / SQL |",
            "|---|---:|---:|---:|---:|",
        ]
        sql_total = naive_total = 0.0
        for t in timings:
            median = statistics.median(t.sql_ms)
            p95 = float(np.percentile(t.sql_ms, 95))
            naive_ms = read_ms + t.naive_ms
            sql_total += median
            naive_total += naive_ms
            out.append(
                f"| {t.query} | {_ms(median)} | {_ms(p95)} | {_ms(naive_ms)} | "
                f"{naive_ms / median:,.1f}x |"
            )
        out.append(
            f"| **whole page (sum)** | **{_ms(sql_total)}** | | **{_ms(naive_total)}** | "
            f"**{naive_total / sql_total:,.1f}x** |"
        )
        out.append("")
    if checks:
        out += [
            "## Plan check: index search as planned vs a table scan (SQLite)",
            "",
            "Statements of the whole-range scenarios that read order_lines through an index, "
            "re-run as planned and with `NOT INDEXED` (diagnostic only). "
            "A ratio above 1 means the planner's index choice is slower than a plain scan.",
            "",
            "| scenario | query | index | as planned ms | table scan ms | planned / scan |",
            "|---|---|---|---:|---:|---:|",
        ]
        out += [
            f"| {c.scenario} | {c.query} | {c.index} | {_ms(c.planned_ms)} | "
            f"{_ms(c.full_scan_ms)} | {c.planned_ms / c.full_scan_ms:.2f} |"
            for c in checks
        ]
        out.append("")
    plans = _plan_section(results)
    if plans:
        out += ["## SQLite query plans (EXPLAIN QUERY PLAN)", "", *plans]
    return "\n".join(out) + "\n"


def _plan_section(results) -> list[str]:
    out: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for scenario, (_read, timings) in results.items():
        for t in timings:
            for _statement, _parameters, steps in t.statements:
                key = (scenario.split(",")[0], t.query, *steps)
                if key in seen or t.query.startswith("calendar"):
                    continue
                seen.add(key)
                out += [f"- {scenario} / {t.query}:", "  ```"]
                out += [f"  {step}" for step in steps]
                out += ["  ```"]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.overview", description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000, help="demo orders (1M)")
    parser.add_argument("--seed", type=int, default=42, help="demo seed (42)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query (7)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="use this database instead of data/bench/ (filled with demo orders if empty)",
    )
    parser.add_argument("--output", type=Path, help="report file (bench/results/overview-N.md)")
    args = parser.parse_args(argv)

    engine, origin = bench_engine(args.orders, args.seed, args.database_url)
    backend = engine.dialect.name
    suffix = "" if backend == "sqlite" else f"-{backend}"
    output = args.output or RESULTS / f"overview-{args.orders}{suffix}.md"
    log = StatementLog(engine)
    results: dict[str, tuple[float, list[Timing]]] = {}
    checks: list[PlanCheck] = []
    with engine.connect() as conn:
        lines = conn.execute(select(func.count()).select_from(OrderLine.__table__)).scalar_one()
        cases = scenarios(conn)
        dims = dict(zip(("products", "customers"), naive.read_dimensions(conn), strict=True))
        for name, f in cases.items():
            t0 = time.perf_counter()
            frame = naive.read_lines(conn)
            read_ms = (time.perf_counter() - t0) * 1000
            print(f"{name}: naive read {read_ms:,.0f} ms", flush=True)
            results[name] = (read_ms, run_scenario(conn, log, f, args.repeat, frame, dims))
            del frame
            if backend == "sqlite" and name.startswith("whole range"):
                checks += check_plans(conn, name, results[name][1], 5)
    header = [
        f"# Overview benchmark: {args.orders:,} demo orders",
        "",
        f"- Run {datetime.now():%Y-%m-%d %H:%M} on {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end "
        f"(a shared machine: compare ratios more than absolute figures).",
        f"- Database: {backend} ({origin}); {lines:,} order lines; seed {args.seed}.",
        f"- Each SQL query: 1 checked warm-up run, then {args.repeat} timed runs. "
        "SQL and pandas answers were asserted equal (revenue, orders, customers, rankings).",
        f"- Scenarios: {'; '.join(f'{k} = {_describe(v)}' for k, v in cases.items())}.",
    ]
    text = report(header, results, checks)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(text)
    print(f"Written to {output}")


def _describe(f: Filters) -> str:
    parts = [f"{f.start}..{f.end}"]
    parts += [f"category {c}" for c in f.categories] + [f"country {c}" for c in f.countries]
    return ", ".join(parts)


if __name__ == "__main__":
    main()
