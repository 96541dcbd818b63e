"""Every writer of orders goes through dashapp.store.writes.changing_orders: after each kind of
write the rollups and activity chains match a recomputation from the lines, the customer's
first-order date is right, the data version moved exactly once and the audit entry is there
(none for the demo load and the rollup repair, which never had one). On both backends.

The shop (conftest.py): Acme (customer 1) and Bolt (2); CAR 100.00 and BIKE 50.00.
"""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from dashapp.demo import generate_demo
from dashapp.importer import import_csv
from dashapp.orders import (
    LineDraft,
    OrderDraft,
    create_order,
    delete_order,
    set_status,
    update_order,
)
from dashapp.store import rollups
from dashapp.store.db import write_transaction
from dashapp.store.models import AuditLog, Customer, DataVersion
from dashapp.store.writes import changing_orders
from tests.accounts import staff
from tests.cli_runner import run_cli

MANAGER = staff("mia")


def state(engine) -> tuple[int, list[tuple], list]:
    """(data version counter, audit entries as (user, action, entity, entity_id), mismatches)."""
    with engine.connect() as conn:
        version = conn.execute(select(DataVersion.version)).scalar_one()
        log = conn.execute(
            select(
                AuditLog.username, AuditLog.action, AuditLog.entity, AuditLog.entity_id
            ).order_by(AuditLog.id)
        ).all()
        return version, [tuple(r) for r in log], rollups.check(conn)


def first_order_date(engine, customer_id: int):
    with engine.connect() as conn:
        day = conn.execute(
            select(Customer.first_order_date).where(Customer.id == customer_id)
        ).scalar_one()
    return None if day is None else date.fromisoformat(str(day)[:10])


def wrote(engine, before: tuple, *entries: tuple) -> None:
    """The write moved the version once, added exactly `entries`, left the rollups exact."""
    version, log, problems = state(engine)
    assert problems == []
    assert version == before[0] + 1
    assert log == before[1] + list(entries)


def test_wp001_entry_edit_cancel_and_delete_each_run_the_ritual(shop):
    start = state(shop)
    assert start[2] == []
    draft = OrderDraft(1, [LineDraft("CAR", 1)], ordered_at=datetime(2024, 3, 5, 10))
    saved = create_order(shop, draft, MANAGER)
    oid = str(saved.id)
    wrote(shop, start, ("mia", "create", "order", oid))
    assert first_order_date(shop, 1) == date(2024, 3, 5)

    # An edit that moves the order to another customer and day refreshes both customers.
    step = state(shop)
    moved = OrderDraft(2, [LineDraft("BIKE", 2)], ordered_at=datetime(2024, 3, 7, 9))
    update_order(shop, saved.id, moved, MANAGER)
    wrote(shop, step, ("mia", "update", "order", oid))
    assert first_order_date(shop, 1) is None
    assert first_order_date(shop, 2) == date(2024, 3, 7)

    step = state(shop)
    set_status(shop, saved.id, "Cancelled", MANAGER)
    wrote(shop, step, ("mia", "status", "order", oid))
    assert first_order_date(shop, 2) is None  # a cancelled order is no first order

    # The same status again changes nothing: no audit entry, the version stays.
    step = state(shop)
    set_status(shop, saved.id, "Cancelled", MANAGER)
    assert state(shop) == step

    set_status(shop, saved.id, "Shipped", MANAGER)
    step = state(shop)
    delete_order(shop, saved.id, MANAGER)
    wrote(shop, step, ("mia", "delete", "order", oid))
    assert first_order_date(shop, 2) is None


def test_wp002_import_runs_the_ritual_once_for_the_whole_file(shop, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "Order ID,Order Date,Customer Name,Product,Category,Quantity,Unit Price,Country\n"
        "A1,2024-03-01,Acme,CAR,Classic Cars,2,100.00,France\n"
        "A2,2024-02-10,Acme,BIKE,Motorcycles,1,50.00,France\n"
    )
    start = state(shop)
    assert import_csv(shop, path, created_by="ivy").orders_added == 2
    wrote(shop, start, ("ivy", "import", "orders", None))
    assert first_order_date(shop, 1) == date(2024, 2, 10)
    # Nothing new: no audit entry, the version stays.
    step = state(shop)
    assert import_csv(shop, path, created_by="ivy").orders_added == 0
    assert state(shop) == step


def test_wp003_demo_load_and_rollup_repair_run_the_bulk_ritual(engine):
    start = state(engine)
    generate_demo(engine, orders=300, seed=7, end=date(2024, 6, 30))
    wrote(engine, start)  # no audit entry, as before the write path
    with engine.connect() as conn:
        without_first = conn.execute(
            select(func.count()).where(Customer.first_order_date.is_(None))
        ).scalar_one()
    assert without_first < 300  # first-order dates were filled in the load

    step = state(engine)
    assert run_cli(engine, "rebuild-rollups").exit_code == 0
    wrote(engine, step)


def test_wp004_a_failure_inside_the_block_skips_the_ritual(shop):
    start = state(shop)
    with (
        pytest.raises(RuntimeError),
        write_transaction(shop) as conn,
        changing_orders(conn, user="mia", action="create") as change,
    ):
        change.record(1)
        raise RuntimeError("stopped")
    assert state(shop) == start
