"""Collect every run in bench/results/*.json into bench/results/README.md: one table per
benchmark, a column per (orders, backend) run, and whether the Overview meets its target.

    python -m bench.summary
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.measure import RESULTS, ms, ratio
from bench.overview import TARGET_MS

BENCHMARKS = {
    "overview": "Overview: every query of every callback (app path, reading the daily rollups)",
    "history": "Order history: one page of 50 orders",
    "rfm": "Customers insight: RFM scores",
    "forecast_anomalies": "Forecast and anomaly scan",
    "pivot": "Pivot: two dimensions by one measure (from the rollups where they hold it)",
}
BACKENDS = ("sqlite", "postgresql")
# The runs the issue asks for; shown as "—" until they are in bench/results/.
EXPECTED = [(n, b) for n in (1_000_000, 10_000_000) for b in BACKENDS]
TARGET_RUN = (10_000_000, "sqlite")


def load_runs(folder: Path = RESULTS) -> list[dict]:
    runs = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("benchmark") in BENCHMARKS and "rows" in data:
            runs.append(data | {"file": path.name})
    return runs


def _orders(n: int) -> str:
    for size, unit in ((1_000_000, "M"), (1_000, "k")):
        if n >= size and n % (size // 10) == 0:
            return f"{n / size:g}{unit}"
    return f"{n:,}"


def _cell(r: dict | None) -> str:
    if r is None:
        return "—"
    if "refused" in r:
        return "refused"
    text = f"{ms(r['median_ms'])} / {ms(r['p95_ms'])}"
    return f"{text} ({ratio(r['naive_ratio'])})" if r.get("naive_ratio") else text


def _label(r: dict) -> str:
    return f"{r['group']}: {r['name']}" if r["group"] else r["name"]


def table(runs: list[dict], columns: list[tuple[int, str]]) -> list[str]:
    """Rows in the order of their first appearance; a column per (orders, backend)."""
    by_column = {(run["orders"], run["backend"]): run for run in runs}
    labels: dict[str, None] = {}
    for run in runs:
        labels.update(dict.fromkeys(_label(r) for r in run["rows"]))
    head = " | ".join(f"{_orders(n)} {b}" for n, b in columns)
    out = [f"| | {head} |", "|---" + "|---:" * len(columns) + "|"]
    for label in labels:
        cells = []
        for column in columns:
            run = by_column.get(column)
            found = [r for r in run["rows"] if _label(r) == label] if run else []
            cells.append(_cell(found[0] if found else None))
        out.append(f"| {label} | {' | '.join(cells)} |")
    return out


def target_line(runs: list[dict]) -> str:
    n, backend = TARGET_RUN
    run = next(
        (
            r
            for r in runs
            if r["benchmark"] == "overview" and (r["orders"], r["backend"]) == TARGET_RUN
        ),
        None,
    )
    goal = f"every Overview query under {TARGET_MS} ms median at {_orders(n)} orders on SQLite"
    if run is None:
        return f"**Target ({goal}): not measured yet** (no {n}-order {backend} run here)."
    slow = [r for r in run["rows"] if r["median_ms"] >= TARGET_MS]
    slowest = max(run["rows"], key=lambda r: r["median_ms"])
    if not slow:
        return (
            f"**Target met:** {goal} (slowest: {_label(slowest)}, {ms(slowest['median_ms'])} ms)."
        )
    listed = "; ".join(f"{_label(r)} {ms(r['median_ms'])} ms" for r in slow)
    return f"**Target missed** ({goal}): {len(slow)} of {len(run['rows'])} queries: {listed}."


def render(runs: list[dict]) -> str:
    found = sorted({(r["orders"], r["backend"]) for r in runs})
    columns = sorted(set(EXPECTED) | set(found), key=lambda c: (c[0], BACKENDS.index(c[1])))
    loads = [x for r in runs for x in r["load_average"]]
    cpus = sorted({r["machine"]["cpus"] for r in runs})
    platforms = sorted({r["machine"]["platform"] for r in runs})
    days = sorted({r["started"][:10] for r in runs} | {r["finished"][:10] for r in runs})
    out = ["# Benchmark results", ""]
    if runs:
        out += [
            f"- Machine: {', '.join(map(str, cpus))} cores, {', '.join(platforms)}.",
            f"- Runs: {days[0]}" + (f" to {days[-1]}" if days[-1] != days[0] else "") + f", "
            f"load average (1 min) {min(loads):.1f} to {max(loads):.1f} over the runs "
            "(a shared machine: compare ratios more than absolute figures).",
        ]
    else:
        out.append("- No runs yet: `make bench`.")
    out += [
        "- Each cell: median / p95 ms, and in brackets the naive pandas way's time divided "
        "by the median (see bench/README.md). — : not run.",
        "- Reproduce: `make bench` (or `make bench BENCH_SIZES=1000000 BENCH_BACKENDS=sqlite`).",
        "",
        target_line(runs),
        "",
    ]
    for name, title in BENCHMARKS.items():
        these = [r for r in runs if r["benchmark"] == name]
        out += [f"## {title}", ""]
        if not these:
            out += ["No runs yet.", ""]
            continue
        out += table(these, columns)
        if name == "overview":
            files = ", ".join(
                f"[{_orders(r['orders'])} {r['backend']}]({Path(r['file']).with_suffix('.md')})"
                for r in sorted(these, key=lambda r: (r["orders"], r["backend"]))
            )
            out += [
                "",
                "Lines-SQL times (the same queries forced onto order_lines), the plan check "
                f"and the query plans: {files}.",
            ]
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.summary", description=__doc__)
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder of the runs")
    args = parser.parse_args(argv)
    runs = load_runs(args.results)
    path = args.results / "README.md"
    path.write_text(render(runs), encoding="utf-8")
    print(f"{len(runs)} runs summarised in {path}")
    print(target_line(runs))


if __name__ == "__main__":
    main()
