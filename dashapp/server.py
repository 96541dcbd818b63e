"""Start-up chores shared by `python app.py` and `python -m dashapp serve`."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, func, select

from dashapp.store.migrate import upgrade
from dashapp.store.models import Order

log = logging.getLogger(__name__)


def prepare_database(engine: Engine, demo_orders: int = 50_000, seed: int = 42) -> None:
    """Migrate the schema; seed demo orders when the database has none (demo_orders=0: never)."""
    upgrade(engine)
    with engine.connect() as conn:
        has_orders = conn.execute(select(func.count()).select_from(Order)).scalar_one() > 0
    if has_orders or demo_orders <= 0:
        return
    try:
        from dashapp.demo import generate_demo
    except ImportError:  # the generator is optional for a bare install
        log.warning("empty database and no demo generator; import a CSV to see figures")
        return
    print(f"Empty database: seeding {demo_orders:,} demo orders (seed {seed})...", flush=True)
    report = generate_demo(engine, orders=demo_orders, seed=seed, end=None, progress=True)
    print(report.summary(), flush=True)
