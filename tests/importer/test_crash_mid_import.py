"""A failure half-way through the write leaves nothing behind: one transaction."""

import pytest

from dashapp.importer import import_csv, loader
from dashapp.store import writes
from tests.importer.conftest import EMPTY, stored_counts

TEXT = (
    "Order ID,Order Date,Customer,SKU,Quantity,Unit Price\n"
    "A1,2024-01-02,Acme,P1,1,1.00\n"
    "A2,2024-01-03,Bolt,P2,2,1.00\n"
)


def test_crash_after_orders_are_inserted_writes_nothing(engine, write_csv, monkeypatch):
    real_insert_orders = loader._insert_orders

    def insert_then_crash(*args, **kwargs):
        real_insert_orders(*args, **kwargs)  # customers, products and orders are written
        raise RuntimeError("power cut")

    monkeypatch.setattr(loader, "_insert_orders", insert_then_crash)
    with pytest.raises(RuntimeError, match="power cut"):
        import_csv(engine, write_csv(TEXT))
    assert stored_counts(engine) == EMPTY


def test_crash_at_the_last_step_writes_nothing(engine, write_csv, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    # The write path's refresh of first-order dates, just before the audit entry.
    monkeypatch.setattr(writes, "refresh_first_order_dates", crash)
    with pytest.raises(RuntimeError, match="killed"):
        import_csv(engine, write_csv(TEXT))
    assert stored_counts(engine) == EMPTY
    # The same file imports cleanly afterwards.
    monkeypatch.undo()
    assert import_csv(engine, write_csv(TEXT)).orders_added == 2
