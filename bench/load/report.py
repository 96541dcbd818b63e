"""Latency and throughput per request type, and the run's report as Markdown."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from bench.load.simulated import Sample, SentOrder
from bench.load.verify import Check


@dataclass(frozen=True)
class Row:
    kind: str
    count: int
    errors: int
    per_second: float
    p50: float
    p95: float
    p99: float
    max: float


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of an ascending list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise(samples: list[Sample], seconds: float) -> list[Row]:
    """One row per request type, sorted by name, then the overall row."""
    groups: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        groups[s.kind].append(s)
    rows = [_row(kind, group, seconds) for kind, group in sorted(groups.items())]
    rows.append(_row("all requests", samples, seconds))
    return rows


def _row(kind: str, group: list[Sample], seconds: float) -> Row:
    times = sorted(s.seconds * 1000 for s in group)
    return Row(
        kind,
        len(group),
        sum(not s.ok for s in group),
        len(group) / seconds if seconds else math.nan,
        percentile(times, 50),
        percentile(times, 95),
        percentile(times, 99),
        times[-1] if times else math.nan,
    )


def markdown(
    title: str,
    setup: list[str],
    rows: list[Row],
    orders: list[SentOrder],
    checks: list[Check],
    errors: list[Sample],
) -> str:
    """The whole report."""
    out = [f"# {title}", ""]
    out += [f"- {line}" for line in setup]
    out += [
        "",
        "| request | count | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        name = f"**{r.kind}**" if r.kind == "all requests" else r.kind
        out.append(
            f"| {name} | {r.count:,} | {r.errors} | {r.per_second:.1f} | {r.p50:.0f} | "
            f"{r.p95:.0f} | {r.p99:.0f} | {r.max:.0f} |"
        )
    created = sum(o.created for o in orders)
    refused = sum(o.status == 409 for o in orders)
    out += [
        "",
        f"Orders sent: {len(orders):,}; created (201): {created:,}; refused for stock (409, "
        f"expected once the scarce product runs out): {refused:,}; "
        f"failed: {len(orders) - created - refused:,}.",
        "",
        "## Checks against the database",
        "",
        "| check | result | found |",
        "|---|---|---|",
    ]
    out += [f"| {c.name} | {'pass' if c.ok else '**FAIL**'} | {c.detail} |" for c in checks]
    if errors:
        out += ["", "## Errors (first 20)", ""]
        out += [f"- {e.kind}: status {e.status}: {e.error}" for e in errors[:20]]
    return "\n".join(out) + "\n"
