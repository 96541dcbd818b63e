"""The benchmark harness's statistics: median, nearest-rank p95, and the time budget."""

from __future__ import annotations

from bench.measure import Stats, row, time_runs


def test_median_and_nearest_rank_p95():
    stats = Stats((5.0, 1.0, 4.0, 2.0, 3.0))
    assert stats.median_ms == 3.0
    assert stats.p95_ms == 5.0  # under 20 runs the nearest rank is the slowest run
    twenty = Stats(tuple(float(x) for x in range(20, 0, -1)))
    assert twenty.p95_ms == 19.0  # rank ceil(0.95 x 20) = 19
    assert twenty.median_ms == 10.5


def test_budget_stops_after_three_runs():
    calls = []
    stats = time_runs(lambda: calls.append(1), repeat=10, budget_s=0)
    assert stats.runs == len(calls) == 3
    assert time_runs(lambda: None, repeat=10).runs == 10


def test_row_gives_the_naive_ratio_to_the_median():
    r = row("last 90 days", "kpi_summary", Stats((10.0, 20.0, 30.0)), naive_ms=500.0)
    assert (r["median_ms"], r["p95_ms"], r["runs"]) == (20.0, 30.0, 3)
    assert (r["naive_ms"], r["naive_ratio"]) == (500.0, 25.0)
