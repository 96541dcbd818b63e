"""The benchmark database: demo orders in a SQLite file under data/bench/, built once per
(orders, seed) and reused, or any database given by URL."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from dashapp.demo import generate_demo
from dashapp.store.db import PROJECT_ROOT, make_engine
from dashapp.store.migrate import upgrade
from dashapp.store.models import Order

BENCH_DATA = PROJECT_ROOT / "data" / "bench"
# A fixed last day, so a rebuilt database holds exactly the same orders as the first one.
BENCH_END = date(2025, 12, 31)


def order_count(engine: Engine) -> int:
    """How many orders the database holds."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Order.__table__)).scalar_one()


def bench_engine(orders: int, seed: int, url: str | None = None) -> tuple[Engine, str]:
    """An engine on the benchmark data and a line saying where it came from.

    With a URL, an empty database is filled with demo orders and a filled one is used as is.
    """
    if url:
        engine = make_engine(url)
        upgrade(engine)
        if order_count(engine) == 0:
            report = generate_demo(engine, orders=orders, seed=seed, end=BENCH_END, progress=True)
            return engine, f"generated into {_safe(engine)}: {report.summary().splitlines()[0]}"
        return engine, f"reused {_safe(engine)} ({order_count(engine):,} orders)"
    path = BENCH_DATA / f"demo-{orders}-seed{seed}.db"
    if path.exists():
        engine = make_engine(f"sqlite:///{path}")
        if order_count(engine) == orders:
            return engine, f"reused {path.relative_to(PROJECT_ROOT)}"
        engine.dispose()
    return _build_sqlite(path, orders, seed)


def _build_sqlite(path: Path, orders: int, seed: int) -> tuple[Engine, str]:
    # Build under a temporary name: an interrupted build is never mistaken for a finished one.
    tmp = path.with_suffix(".building")
    for leftover in (path, tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    upgrade(engine)
    report = generate_demo(engine, orders=orders, seed=seed, end=BENCH_END, progress=True)
    engine.dispose()  # the last connection checkpoints and removes the WAL
    os.replace(tmp, path)
    line = report.summary().splitlines()[0]
    return make_engine(f"sqlite:///{path}"), f"built {path.relative_to(PROJECT_ROOT)}: {line}"


def _safe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
