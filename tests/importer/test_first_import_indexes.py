"""A first import (a file large beside the database) builds the order tables' and rollups'
indexes once after its rows on SQLite (dashapp.store.bulk.deferred_indexes): they must all be
back, exactly as the migrations made them, and the import's figures unchanged by it."""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from dashapp.importer import loader
from dashapp.store.models import OrderLine
from tests.importer.test_load_updates import load, v1


def _indexes(engine) -> set[tuple]:
    insp = inspect(engine)
    return {
        (t, ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
        for t in insp.get_table_names()
        for ix in insp.get_indexes(t)
    }


def test_a_first_import_leaves_every_index_as_it_was(engine, monkeypatch):
    monkeypatch.setattr(loader, "REBUILD_SHARE", 0.0)  # the rebuild path, whatever the size
    before = _indexes(engine)
    assert {"ix_lines_product_date", "ix_orders_customer_date"} <= {ix for _, ix, *_ in before}
    counts = load(engine, v1())
    assert (counts.orders_added, counts.lines_added) == (2, 4)
    assert _indexes(engine) == before
    lines = OrderLine.__table__
    with engine.connect() as conn:
        # v1 (test_load_updates.PRICES): 10107 = P1 2 x 10.00 + P2 1 x 59.50 + P3 5 x 10.00
        # = 129.50; 10108 = P1 3 x 10.00 = 30.00; in all 159.50.
        revenue = conn.execute(select(func.sum(lines.c.amount_cents))).scalar_one()
    assert revenue == 15950
