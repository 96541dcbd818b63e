"""bench.dataset: builds the demo database once, reuses it when it holds exactly N orders, and
rebuilds one that holds anything else (an interrupted build)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, delete, func, select, text

from bench import dataset
from dashapp.store.db import make_engine
from dashapp.store.models import Order, OrderLine

N = 40


def _orders(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(Order.__table__)).scalar_one()
    engine.dispose()
    return count


def _drop_one_order(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(delete(OrderLine.__table__).where(OrderLine.__table__.c.order_id == 1))
        conn.execute(delete(Order.__table__).where(Order.__table__.c.id == 1))
    engine.dispose()


def test_sqlite_build_reuse_and_rebuild(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dataset, "BENCH_DATA", tmp_path)
    url = dataset.bench_database(N, seed=3, backend="sqlite")
    assert url == f"sqlite:///{tmp_path}/demo-{N}-seed3.db"
    assert _orders(url) == N
    assert not list(tmp_path.glob("*.building*"))

    assert dataset.bench_database(N, seed=3, backend="sqlite") == url
    assert "reusing" in capsys.readouterr().err

    _drop_one_order(url)
    assert dataset.bench_database(N, seed=3, backend="sqlite") == url
    assert f"holds {N - 1} orders, not {N}: rebuilding" in capsys.readouterr().err
    assert _orders(url) == N


@pytest.mark.pg
def test_postgresql_build_reuse_and_rebuild(capsys):
    seed = uuid.uuid4().int % 10**9  # a database name no other run uses
    name = f"sp_bench_{N}_seed{seed}"
    try:
        url = dataset.bench_database(N, seed=seed, backend="postgresql")
        assert url.endswith(f"/{name}")
        assert _orders(url) == N
        engine = make_engine(url)
        with engine.connect() as conn:
            analyzed, vacuumed = conn.execute(
                text(
                    "SELECT last_analyze, last_vacuum FROM pg_stat_user_tables "
                    "WHERE relname = 'orders'"
                )
            ).one()
        engine.dispose()
        # Statistics and a visibility map, as autovacuum leaves a maintained database.
        assert analyzed is not None
        assert vacuumed is not None

        assert dataset.bench_database(N, seed=seed, backend="postgresql") == url
        assert "reusing" in capsys.readouterr().err

        _drop_one_order(url)
        assert dataset.bench_database(N, seed=seed, backend="postgresql") == url
        assert f"holds {N - 1} orders, not {N}: rebuilding" in capsys.readouterr().err
        assert _orders(url) == N
    finally:
        admin = create_engine(dataset.PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
