"""bench.summary: one column per (orders, backend) run, "—" for a missing one, the target line."""

from __future__ import annotations

import json

from bench.summary import load_runs, render


def _run(folder, benchmark, orders, backend, rows, load=(1.0, 2.0)):
    data = {
        "benchmark": benchmark,
        "orders": orders,
        "backend": backend,
        "started": "2025-03-01T10:00:00",
        "finished": "2025-03-01T10:05:00",
        "machine": {"cpus": 2, "platform": "Linux-x86_64"},
        "load_average": list(load),
        "rows": rows,
    }
    path = folder / f"{benchmark}-{orders}-{backend}.json"
    path.write_text(json.dumps(data), encoding="utf-8")


def _row(group, name, median, p95, ratio=None):
    out = {"group": group, "name": name, "median_ms": median, "p95_ms": p95, "runs": 20}
    return out | ({"naive_ratio": ratio} if ratio else {})


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def test_columns_cells_and_missing_runs(tmp_path):
    _run(tmp_path, "overview", 1_000_000, "sqlite", [_row("last 90 days", "kpi", 12.5, 20.0, 40)])
    _run(tmp_path, "overview", 20_000, "sqlite", [_row("last 90 days", "kpi", 3.25, 4.0, 9.5)])
    refused = {"group": "", "name": "by units", "refused": "too many orders"}
    _run(tmp_path, "history", 1_000_000, "postgresql", [_row("", "page 1", 150.0, 180.0), refused])
    (tmp_path / "notes.json").write_text('{"something": "else"}', encoding="utf-8")

    text = render(load_runs(tmp_path))

    # The runs the issue asks for are always there; other sizes only when they were run.
    header = "| | 20k sqlite | 1M sqlite | 1M postgresql | 10M sqlite | 10M postgresql |"
    assert text.count(header) == 2
    assert _line(text, "| last 90 days: kpi") == (
        "| last 90 days: kpi | 3.2 / 4.0 (9.5x) | 12.5 / 20.0 (40.0x) | — | — | — |"
    )
    assert _line(text, "| page 1") == "| page 1 | — | — | 150 / 180 | — | — |"
    assert _line(text, "| by units") == "| by units | — | — | refused | — | — |"
    assert text.count("No runs yet.") == 3  # rfm, forecast and pivot
    assert "load average (1 min) 1.0 to 2.0" in text
    assert "not measured yet" in text


def test_target_met_and_missed_at_10m_on_sqlite(tmp_path):
    rows = [_row("whole range", "kpi", 99.9, 150.0), _row("whole range", "top", 40.0, 45.0)]
    _run(tmp_path, "overview", 10_000_000, "sqlite", rows)
    _run(tmp_path, "overview", 10_000_000, "postgresql", [_row("whole range", "kpi", 500, 600)])
    assert "**Target met:**" in render(load_runs(tmp_path))
    assert "whole range: kpi, 99.9 ms" in render(load_runs(tmp_path))

    rows[1] = _row("whole range", "top", 100.0, 120.0)
    _run(tmp_path, "overview", 10_000_000, "sqlite", rows)
    text = render(load_runs(tmp_path))
    assert "**Target missed**" in text
    assert "1 of 2 queries: whole range: top 100 ms." in text


def test_the_target_reads_the_overview_run_not_another_benchmark_of_that_size(tmp_path):
    # history-10000000-sqlite.json sorts before overview-...: its rows are not Overview queries.
    _run(tmp_path, "history", 10_000_000, "sqlite", [_row("", "page 1", 300.0, 350.0)])
    _run(tmp_path, "overview", 10_000_000, "sqlite", [_row("whole range", "kpi", 20.0, 25.0)])
    text = render(load_runs(tmp_path))
    assert "**Target met:**" in text
    assert "whole range: kpi, 20.0 ms" in text
