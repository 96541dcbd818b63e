"""Overview benchmark (SPEC §8): every query of every Overview callback, timed the way the app
runs it (daily rollups), forced onto order_lines, and the naive pandas way.

    python -m bench.overview --database-url URL [--repeat 20] [--lines-repeat 1]

Writes bench/results/overview-ORDERS-BACKEND.md and .json (raw figures).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, event

from bench import naive
from bench.measure import (
    Run,
    Stats,
    add_database_argument,
    ms,
    open_database,
    print_table,
    ratio,
    result_path,
    row,
    safe_url,
    time_runs,
    timed_once,
)
from dashapp.analytics import breakdowns, dimensions
from dashapp.analytics.kpis import kpi_summary
from dashapp.analytics.query import data_bounds
from dashapp.filters import Filters, previous_period
from dashapp.store.models import ORDER_STATUSES

TARGET_MS = 100  # every Overview query's median at 10M orders on SQLite (issue 8)


@dataclass(frozen=True)
class Query:
    """One query of an Overview callback: the app's way, the naive way, and how to check that
    they agree (sql answer, naive answer)."""

    callback: str
    name: str
    sql: Callable[[Connection, Filters], object]
    naive: Callable[[pd.DataFrame, Filters, dict], object]
    check: Callable[[object, object], None]
    # False when the naive way reads something else than the order lines (charged itself).
    reads_lines: bool = True

    @property
    def label(self) -> str:
        return f"{self.callback}: {self.name}"


def _assert_equal(label: str, sql_value, naive_value) -> None:
    if sql_value != naive_value:
        raise AssertionError(f"{label}: SQL gives {sql_value!r}, pandas gives {naive_value!r}")


def _check_kpis(summary, answer: dict) -> None:
    for period in ("current", "previous", "last_year"):
        k = getattr(summary, period)
        for key, value in answer[period].items():
            _assert_equal(f"kpi {period} {key}", getattr(k, key), value)


def _check_series(columns: list[str]):
    def check(sql_df: pd.DataFrame, naive_df: pd.DataFrame) -> None:
        left = sql_df.assign(period=pd.to_datetime(sql_df["period"])).set_index("period")
        right = naive_df.set_index("period")
        right = right[right["all_orders"] > 0] if "all_orders" in right else right
        _assert_equal("periods", list(left.index), list(right.index))
        for col in columns:
            _assert_equal(
                col, left[col].astype("int64").tolist(), right[col].astype("int64").tolist()
            )

    return check


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


def _spark_granularity(f: Filters) -> str:
    # As dashapp.ui.overview picks it for the KPI sparklines.
    days = (f.end - f.start).days
    return "day" if days <= 92 else "week" if days <= 731 else "month"


def _previous(f: Filters) -> Filters:
    return f.with_range(*previous_period(f.start, f.end))


# As dashapp.ui.overview calls them, at the default view's granularity, month
# (dashapp.ui.view.DEFAULT_GRANULARITY).
QUERIES = (
    Query(
        "KPI cards",
        "kpi_summary",
        kpi_summary,
        lambda df, f, d: naive.kpi_summary(df, f),
        _check_kpis,
    ),  # fmt: skip
    Query(
        "KPI cards",
        "sparkline: sales_over_time",
        lambda c, f: breakdowns.sales_over_time(c, f, _spark_granularity(f)),
        lambda df, f, d: naive.sales_over_time(df, f, _spark_granularity(f)),
        _check_series(["revenue_cents", "orders", "units", "customers", "cancelled"]),
    ),
    Query(
        "trend",
        "sales_over_time (month)",
        lambda c, f: breakdowns.sales_over_time(c, f, "month", customers=False),
        lambda df, f, d: naive.sales_over_time(df, f, "month"),
        _check_series(["revenue_cents", "orders", "units"]),
    ),
    Query(
        "trend",
        "previous period (month)",
        lambda c, f: breakdowns.sales_over_time(c, _previous(f), "month", customers=False),
        lambda df, f, d: naive.sales_over_time(df, _previous(f), "month"),
        _check_series(["revenue_cents"]),
    ),
    Query(
        "categories",
        "categories (colours)",
        lambda c, f: dimensions.categories(c),
        lambda df, f, d: naive.categories(d["conn"]),
        lambda s, n: _assert_equal("categories", s, n),
        reads_lines=False,
    ),
    Query(
        "categories",
        "sales_by_category",
        breakdowns.sales_by_category,
        lambda df, f, d: naive.sales_by_category(df, f),
        _check_ranked("category", ["revenue_cents", "units", "orders"]),
    ),
    Query(
        "categories",
        "category_over_time (month)",
        lambda c, f: breakdowns.category_over_time(c, f, "month"),
        lambda df, f, d: naive.category_over_time(df, f),
        _check_category_time,
    ),
    Query(
        "top N",
        "top_products (10)",
        lambda c, f: breakdowns.top_products(c, f, 10),
        lambda df, f, d: naive.top_products(df, f, d["products"]),
        _check_ranked("sku", ["revenue_cents", "units", "orders"]),
    ),
    Query(
        "top N",
        "top_customers (10)",
        lambda c, f: breakdowns.top_customers(c, f, 10),
        lambda df, f, d: naive.top_customers(df, f, d["customers"]),
        _check_ranked("customer_id", ["revenue_cents", "units", "orders"]),
    ),
    Query(
        "countries",
        "sales_by_country",
        breakdowns.sales_by_country,
        lambda df, f, d: naive.sales_by_country(df, f),
        _check_ranked("country", ["revenue_cents", "orders", "customers"]),
    ),
    Query(
        "calendar",
        "sales_over_time (day)",
        lambda c, f: breakdowns.sales_over_time(c, f, "day", customers=False),
        lambda df, f, d: naive.sales_over_time(df, f, "day"),
        _check_series(["revenue_cents"]),
    ),
)
CALLBACKS = tuple(dict.fromkeys(q.callback for q in QUERIES))


def on_lines(f: Filters) -> Filters:
    """The same view with a status filter listing every status: the rollups cannot answer a
    status filter, so the app reads order_lines, and the answer is the same."""
    return replace(f, statuses=tuple(ORDER_STATUSES))


def _same_answer(label: str, app, lines) -> None:
    """The rollup and order_lines answers must be identical, or one of the two is wrong."""
    if isinstance(app, pd.DataFrame):
        left, right = (_normalised(df) for df in (app, lines))
        try:
            pd.testing.assert_frame_equal(left, right, check_dtype=False)
        except AssertionError as exc:
            raise AssertionError(f"{label}: rollups and order_lines differ\n{exc}") from None
    elif app != lines:
        raise AssertionError(f"{label}: rollups give {app!r}, order_lines give {lines!r}")


def _normalised(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    if "period" in df:
        df = df.assign(period=pd.to_datetime(df["period"]))
    return df


def scenarios(conn: Connection) -> dict[str, Filters]:
    """The last 90 days and the whole range, each for everything and for the top category by
    revenue (the last 90 days also in the top country); dates explicit, as the page sends them.
    The names stay the same at every size, so bench.summary lines the runs up."""
    lo, hi = data_bounds(conn)
    category = breakdowns.sales_by_category(conn, Filters())["category"].iloc[0]
    country = breakdowns.sales_by_country(conn, Filters())["country"].iloc[0]
    last_90 = Filters(start=hi - timedelta(days=89), end=hi)
    whole = Filters(start=lo, end=hi)
    return {
        "last 90 days": last_90,
        "whole range": whole,
        "last 90 days, top category in top country": replace(
            last_90, categories=(category,), countries=(country,)
        ),
        "whole range, top category": replace(whole, categories=(category,)),
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

    def capture(self, work: Callable[[], object]) -> tuple[float, object, list[tuple[str, tuple]]]:
        """Run `work` once: its milliseconds, its answer and the SELECTs it sent."""
        self.recording = True
        try:
            elapsed, answer = timed_once(work)
        finally:
            self.recording = False
        out, self.statements = self.statements, []
        return elapsed, answer, out


def explain(conn: Connection, statement: str, parameters) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN for one captured statement, one line per step."""
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    return [str(row[-1]) for row in rows]


@dataclass
class Measured:
    query: Query
    app: Stats
    lines: Stats | None  # None: not run (--lines-repeat 0)
    naive_ms: float  # the pandas work only; the read of the lines is added by naive_total

    def naive_total(self, read_ms: float) -> float:
        return self.naive_ms + (read_ms if self.query.reads_lines else 0.0)

    # path ("app" or "lines") -> [(statement, parameters, EXPLAIN QUERY PLAN steps)] (SQLite)
    statements: dict[str, list[tuple[str, tuple, list[str]]]] = field(default_factory=dict)


def run_scenario(
    conn: Connection, log: StatementLog, f: Filters, args, frame: pd.DataFrame, dims: dict
) -> list[Measured]:
    """Every query: the app's way (a checked warm-up, then timed runs), on order_lines
    (`--lines-repeat` runs, the first one checked) and the naive way (once, checked)."""
    out = []
    for q in QUERIES:
        _, answer, app_sql = log.capture(lambda q=q: q.sql(conn, f))
        app = time_runs(lambda q=q: q.sql(conn, f), args.repeat, args.budget)
        lines, lines_sql = None, []
        if args.lines_repeat:  # 0: not at all (at 10M orders each can take minutes)
            first_ms, lines_answer, lines_sql = log.capture(lambda q=q: q.sql(conn, on_lines(f)))
            more = time_runs(lambda q=q: q.sql(conn, on_lines(f)), args.lines_repeat - 1)
            lines = Stats((first_ms, *more.samples_ms))
            _same_answer(q.label, answer, lines_answer)
        naive_ms, naive_answer = timed_once(lambda q=q: q.naive(frame, f, dims))
        # The ways must have done the same work, or the ratio means nothing.
        q.check(answer, naive_answer)
        statements = {}
        if conn.dialect.name == "sqlite":
            statements = {
                path: [(s, p, explain(conn, s, p)) for s, p in captured]
                for path, captured in (("app", app_sql), ("lines", lines_sql))
                if captured
            }
        out.append(Measured(q, app, lines, naive_ms, statements))
        print(
            f"  {q.label:45} app {ms(app.median_ms):>7} ms   lines {_ms(lines):>7} ms"
            f"   naive agg {ms(naive_ms):>7} ms",
            flush=True,
        )
    return out


_INDEX_SEARCH = re.compile(r"SEARCH (\w+) USING (?:COVERING )?INDEX (\w+)")


@dataclass(frozen=True)
class PlanCheck:
    """A statement that searches a table through an index, timed against a full scan."""

    scenario: str
    query: str
    path: str
    table: str
    index: str
    planned_ms: float
    full_scan_ms: float


def _not_indexed(statement: str, table: str) -> str:
    return re.sub(rf"\b((?:FROM|JOIN) {table}(?: AS \w+)?)\b", r"\1 NOT INDEXED", statement)


def _planned_vs_scan(conn: Connection, statement: str, scan: str, parameters, repeat: int):
    """Median ms of a statement as planned and with the table NOT INDEXED, interleaved so
    that load from other processes hits both alike."""
    samples: dict[str, list[float]] = {statement: [], scan: []}
    for _ in range(repeat):
        for sql, out in samples.items():
            t0 = time.perf_counter()
            conn.exec_driver_sql(sql, parameters).all()
            out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples[statement]), statistics.median(samples[scan])


def check_plans(conn: Connection, scenario: str, measured: list[Measured], args) -> list:
    """Time each index search as planned and with the index disabled (whole-range scenarios).

    SPEC §8: over a whole range SQLite may prefer an index range scan that visits every row
    through the index; `NOT INDEXED` (a diagnostic only, never used by the app) shows what a
    plain table scan would cost. Statements on order_lines are re-run `--lines-repeat` times.
    """
    out = []
    for m in measured:
        for path, statements in m.statements.items():
            for i, (statement, parameters, steps) in enumerate(statements, 1):
                match = next(filter(None, map(_INDEX_SEARCH.search, steps)), None)
                if match is None:
                    continue
                table, index = match.groups()
                scan = _not_indexed(statement, table)
                if scan == statement:
                    continue
                repeat = args.lines_repeat if table == "order_lines" else args.plan_repeat
                planned, full = _planned_vs_scan(conn, statement, scan, parameters, repeat)
                label = m.query.label + (f" {i}/{len(statements)}" if len(statements) > 1 else "")
                out.append(PlanCheck(scenario, label, path, table, index, planned, full))
    return out


def _ms(stats: Stats | None) -> str:
    return "—" if stats is None else ms(stats.median_ms)


def _ratio(stats: Stats | None, app_ms: float) -> str:
    return "—" if stats is None else ratio(stats.median_ms / app_ms)


def page_sums(measured: list[Measured], read_ms: float) -> dict[str, float]:
    """One page load with the callbacks run one after another; the naive page reads the
    lines once per callback."""
    return {
        "app_ms": sum(m.app.median_ms for m in measured),
        "lines_ms": sum(m.lines.median_ms for m in measured if m.lines is not None),
        "naive_ms": sum(m.naive_ms for m in measured) + read_ms * len(CALLBACKS),
    }


def report(header: list[str], results: dict, read_ms: float, checks: list[PlanCheck]) -> str:
    """The Markdown report: one table per scenario, the plan checks, then the query plans."""
    out = [*header, ""]
    for scenario, measured in results.items():
        out += [
            f"### {scenario}",
            "",
            "| query | app median ms | app p95 ms | lines-SQL ms | naive ms | lines / app "
            "| naive / app |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for m in measured:
            app, naive_ms = m.app.median_ms, m.naive_total(read_ms)
            out.append(
                f"| {m.query.label} | {ms(app)} | {ms(m.app.p95_ms)} | {_ms(m.lines)} | "
                f"{ms(naive_ms)} | {_ratio(m.lines, app)} | {ratio(naive_ms / app)} |"
            )
        page = page_sums(measured, read_ms)
        app = page["app_ms"]
        measured_lines = all(m.lines is not None for m in measured)
        lines_sum = ms(page["lines_ms"]) if measured_lines else "—"
        lines_ratio = ratio(page["lines_ms"] / app) if measured_lines else "—"
        out.append(
            f"| **whole page (sum)** | **{ms(app)}** | | **{lines_sum}** | "
            f"**{ms(page['naive_ms'])}** | **{lines_ratio}** | "
            f"**{ratio(page['naive_ms'] / app)}** |"
        )
        out.append("")
    if checks:
        out += [
            "## Plan check: index search as planned vs a table scan (SQLite)",
            "",
            "Statements of the whole-range scenarios that read a table through an index, "
            "re-run as planned and with `NOT INDEXED` (diagnostic only). "
            "A ratio above 1 means the planner's index choice is slower than a plain scan.",
            "",
            "| scenario | query | path | index | as planned ms | table scan ms | planned / scan |",
            "|---|---|---|---|---:|---:|---:|",
        ]
        out += [
            f"| {c.scenario} | {c.query} | {c.path} | {c.table}.{c.index} | {ms(c.planned_ms)} "
            f"| {ms(c.full_scan_ms)} | {c.planned_ms / c.full_scan_ms:.2f} |"
            for c in checks
        ]
        out.append("")
    plans = _plan_section(results)
    if plans:
        out += ["## SQLite query plans (EXPLAIN QUERY PLAN)", "", *plans]
    return "\n".join(out) + "\n"


def _plan_section(results: dict) -> list[str]:
    out: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for scenario, measured in results.items():
        for m in measured:
            for path, statements in m.statements.items():
                for _statement, _parameters, steps in statements:
                    key = (m.query.label, path, *steps)
                    if key in seen:
                        continue
                    seen.add(key)
                    out += [f"- {scenario} / {m.query.label} ({path}):", "  ```"]
                    out += [f"  {step}" for step in steps]
                    out += ["  ```"]
    return out


def _rows(results: dict, read_ms: float) -> list[dict]:
    rows = []
    for scenario, measured in results.items():
        for m in measured:
            lines = m.lines
            rows.append(
                row(
                    scenario,
                    m.query.label,
                    m.app,
                    m.naive_total(read_ms),
                    lines_ms=None if lines is None else round(lines.median_ms, 3),
                    lines_samples_ms=[]
                    if lines is None
                    else [round(s, 3) for s in lines.samples_ms],
                    lines_ratio=None
                    if lines is None
                    else round(lines.median_ms / m.app.median_ms, 2),
                    naive_aggregation_ms=round(m.naive_ms, 3),
                )
            )
    return rows


def _describe(f: Filters) -> str:
    parts = [f"{f.start}..{f.end}"]
    parts += [f"category {c}" for c in f.categories] + [f"country {c}" for c in f.countries]
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.overview", description=__doc__)
    add_database_argument(parser)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of the app path (20)")
    parser.add_argument(
        "--budget", type=float, default=10.0, help="seconds per query before stopping early (10)"
    )
    parser.add_argument(
        "--lines-repeat",
        type=int,
        default=1,
        help="timed runs forced onto order_lines (1; 0: none)",
    )
    parser.add_argument(
        "--plan-check",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="re-time the whole-range index searches with NOT INDEXED (SQLite; on by default)",
    )
    parser.add_argument(
        "--plan-repeat", type=int, default=3, help="runs per plan check off order_lines (3)"
    )
    args = parser.parse_args(argv)
    args.lines_repeat = max(0, args.lines_repeat)
    engine = open_database(args.database_url, parser)
    run = Run("overview", engine)
    print(run.header(), flush=True)
    log = StatementLog(engine)
    results: dict[str, list[Measured]] = {}
    checks: list[PlanCheck] = []
    with engine.connect() as conn:
        cases = scenarios(conn)
        dims = dict(zip(("products", "customers"), naive.read_dimensions(conn), strict=True))
        dims["conn"] = conn
        # One read serves every scenario; a naive callback would repeat it on every call, so
        # its time is added to each naive query below.
        read_ms, frame = timed_once(lambda: naive.read_lines(conn))
        print(f"naive read of {len(frame):,} lines: {ms(read_ms)} ms", flush=True)
        for name, f in cases.items():
            print(f"{name} ({_describe(f)})", flush=True)
            results[name] = run_scenario(conn, log, f, args, frame, dims)
            if args.plan_check and engine.dialect.name == "sqlite" and name.startswith("whole"):
                checks += check_plans(conn, name, results[name], args)
        del frame
    rows = _rows(results, read_ms)
    json_path = run.write(
        rows,
        naive_read_ms=round(read_ms, 3),
        repeat=args.repeat,
        lines_repeat=args.lines_repeat,
        scenarios={name: _describe(f) for name, f in cases.items()},
        page_sums={name: page_sums(m, read_ms) for name, m in results.items()},
        plan_checks=[c.__dict__ for c in checks],
    )
    header = [
        f"# Overview benchmark: {run.orders:,} demo orders on {run.backend}",
        "",
        f"- Run {run.started:%Y-%m-%d %H:%M} on {os.cpu_count()} cores, load average "
        f"{run.load_start:.1f} at the start and {os.getloadavg()[0]:.1f} at the end "
        "(a shared machine: compare ratios more than absolute figures).",
        f"- Database: {safe_url(engine)} ({run.lines:,} order lines).",
        f"- app: the query as the page runs it (daily rollups where the filters allow), 1 checked "
        f"warm-up run, then up to {args.repeat} runs (fewer past {args.budget:g} s); p95 is the "
        "nearest rank (the slowest run below 20 runs).",
        (
            f"- lines-SQL: the same query with a status filter listing every status, which the "
            f"rollups cannot answer, so it reads order_lines; {args.lines_repeat} run(s), median. "
            "Its answers were asserted equal to the app's."
            if args.lines_repeat
            else "- lines-SQL: not run (--lines-repeat 0); the naive answers check the app's."
        ),
        f"- naive: the lines joined to their orders read into pandas ({ms(read_ms)} ms, read "
        "once and charged to every query, as a naive callback reads on every call) plus the "
        "pandas aggregation; answers asserted equal to the app's (revenue, orders, customers, "
        "rankings). The category list reads the products table instead. The whole-page naive "
        "sum charges one read of the lines per callback.",
        f"- Scenarios: {'; '.join(f'{k} = {_describe(v)}' for k, v in cases.items())}.",
    ]
    text = report(header, results, read_ms, checks)
    md_path = result_path("overview", run.orders, run.backend, ".md")
    md_path.write_text(text, encoding="utf-8")
    print_table(f"Overview, {run.orders:,} orders on {run.backend}", rows)
    print(f"\nWritten to {md_path} and {json_path}")


if __name__ == "__main__":
    main()
