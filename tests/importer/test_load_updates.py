"""Re-imports of a changing export (issue 21, item 1): the file's version of a stored order
replaces it when it differs, identical orders are left alone, and the rollups, stock and audit
log follow; orders saved in the app are refused unless the caller allows overwriting them.

The export sequence, worked out by hand (prices in currency units):
  v1  10107 Acme 2024-01-10 Shipped: P1 2 x 10.00 = 20.00, P2 1 x 59.50 = 59.50,
                                     P3 5 x 10.00 = 50.00                   total 129.50
      10108 Bolt 2024-01-11 Shipped: P1 3 x 10.00 = 30.00                   total  30.00
      revenue 159.50, units 2 + 1 + 5 + 3 = 11
  v2  10107: P3 5 -> 8 units (80.00) and a new line P4 5 x 50.00 = 250.00:
             20.00 + 59.50 + 80.00 + 250.00 = 409.50 (3 -> 4 lines)
      10108 as in v1; new 10109 Acme 2024-01-12 Shipped: P2 2 x 59.50 = 119.00
      revenue 409.50 + 30.00 + 119.00 = 558.50, units (2 + 1 + 8 + 5) + 3 + 2 = 21
  v3  10108 is Cancelled (same lines), the rest as in v2
      revenue 409.50 + 119.00 = 528.50, units 16 + 2 = 18, 2 orders not cancelled
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import func, insert, select

from dashapp.auth import Account
from dashapp.importer import loader
from dashapp.importer.loader import load_orders
from dashapp.importer.reader import CustomerData, LineData, OrderData
from dashapp.orders import LineDraft, OrderDraft, create_order
from dashapp.store import rollups, writes
from dashapp.store.db import write_transaction
from dashapp.store.models import AuditLog, Customer, Order, OrderLine, Product, RollupProduct

PRICES = {"P1": 1000, "P2": 5950, "P3": 1000, "P4": 5000}


def line(n: int, sku: str, quantity: int) -> LineData:
    price = PRICES[sku]
    return LineData(
        csv_line=n + 1, line_number=n, sku=sku, product_name=f"Product {sku}",
        category="Cars", sub_category=None, msrp_cents=None, quantity=quantity,
        unit_price_cents=price, discount_bp=0, amount_cents=price * quantity,
    )  # fmt: skip


def order(number: str, customer: str, day: int, lines: list, status: str = "Shipped"):
    return OrderData(
        order_number=number, ordered_at=datetime(2024, 1, day), status=status,
        country="France", customer=CustomerData(customer, None, {}), payment_type=None,
        channel=None, promo=False, lines=lines,
    )  # fmt: skip


def v1() -> list[OrderData]:
    return [
        order("10107", "Acme", 10, [line(1, "P1", 2), line(2, "P2", 1), line(3, "P3", 5)]),
        order("10108", "Bolt", 11, [line(1, "P1", 3)]),
    ]


def v2() -> list[OrderData]:
    return [
        order(
            "10107",
            "Acme",
            10,
            [line(1, "P1", 2), line(2, "P2", 1), line(3, "P3", 8), line(4, "P4", 5)],
        ),
        order("10108", "Bolt", 11, [line(1, "P1", 3)]),
        order("10109", "Acme", 12, [line(1, "P2", 2)]),
    ]


def v3() -> list[OrderData]:
    orders = v2()
    orders[1].status = "Cancelled"
    return orders


@pytest.fixture(params=["incremental", "bulk", "rebuild"])
def rollup_path(request, monkeypatch):
    """The three ways the loader keeps the rollups: moved order by order by the write path,
    new orders added set-based (a file of many orders), or rebuilt (a file large beside the
    database; a tiny database always is)."""
    monkeypatch.setattr(loader, "REBUILD_SHARE", 0.0 if request.param == "rebuild" else 2.0)
    if request.param == "bulk":
        monkeypatch.setattr(writes, "BULK_FROM", 1)
    return request.param


def load(engine, orders, **options):
    with write_transaction(engine) as conn:
        return load_orders(conn, orders, "importer", **options)


def figures(engine) -> dict:
    """Revenue (cents) and units of the lines not cancelled, from order_lines and from a
    rollup, with the rollups' own check."""
    lines = OrderLine.__table__
    with engine.connect() as conn:
        live = lines.c.status != "Cancelled"
        revenue, units = conn.execute(
            select(func.sum(lines.c.amount_cents), func.sum(lines.c.quantity)).where(live)
        ).one()
        rollup = RollupProduct.__table__
        rolled = conn.execute(select(func.sum(rollup.c.revenue_cents))).scalar_one()
        return {
            "revenue": int(revenue or 0),
            "units": int(units or 0),
            "rollup_revenue": int(rolled or 0),
            "rollup_problems": [str(m) for m in rollups.check(conn)],
        }


def import_entries(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(
            select(AuditLog.before, AuditLog.after)
            .where(AuditLog.action == "import")
            .order_by(AuditLog.id)
        ).all()


def test_v1_v2_v3_corrections_and_cancellation(engine, rollup_path):
    first = load(engine, v1())
    assert (first.orders_added, first.lines_added) == (2, 4)
    assert figures(engine) == {
        "revenue": 15950, "units": 11, "rollup_revenue": 15950, "rollup_problems": []
    }  # fmt: skip

    second = load(engine, v2())
    assert (second.orders_added, second.orders_updated, second.orders_unchanged) == (1, 1, 1)
    assert second.orders_skipped == 0
    assert second.changes == ["10107: 3 -> 4 lines, total 129.50 -> 409.50"]
    # The example: revenue is what the file says, not 129.50 for 10107.
    assert figures(engine) == {
        "revenue": 55850, "units": 21, "rollup_revenue": 55850, "rollup_problems": []
    }  # fmt: skip

    third = load(engine, v3())
    assert (third.orders_added, third.orders_updated, third.orders_unchanged) == (0, 1, 2)
    assert third.changes == ["10108: Shipped -> Cancelled"]
    assert figures(engine) == {
        "revenue": 52850, "units": 18, "rollup_revenue": 52850, "rollup_problems": []
    }  # fmt: skip

    with engine.connect() as conn:
        stored = dict(conn.execute(select(Order.order_number, Order.total_cents)).all())
        assert stored == {"10107": 40950, "10108": 3000, "10109": 11900}
        statuses = conn.execute(
            select(OrderLine.status).join(Order).where(Order.order_number == "10108")
        ).scalars()
        assert list(statuses) == ["Cancelled"]
        # Imported history does not move stock: products made by the import start at 0.
        assert set(conn.execute(select(Product.stock_on_hand)).scalars()) == {0}
        assert conn.execute(select(func.count()).select_from(Customer)).scalar_one() == 2

    # One audit entry per import; an update keeps what it replaced.
    entries = import_entries(engine)
    assert len(entries) == 3
    before, after = json.loads(entries[1].before), json.loads(entries[1].after)
    assert before["orders"]["10107"]["total"] == "129.50"
    assert [ln[2] for ln in before["orders"]["10107"]["lines"]] == [2, 1, 5]
    assert after["orders_updated"] == 1 and after["orders_unchanged"] == 1
    assert json.loads(entries[2].before)["orders"]["10108"]["status"] == "Shipped"

    # The same file again changes nothing, and writes no audit entry.
    again = load(engine, v3())
    assert (again.orders_added, again.orders_updated, again.orders_unchanged) == (0, 0, 3)
    assert again.changes == []
    assert len(import_entries(engine)) == 3
    assert figures(engine)["revenue"] == 52850


def test_skip_keeps_the_stored_orders(engine):
    load(engine, v1())
    second = load(engine, v2(), on_existing="skip")
    assert (second.orders_added, second.orders_skipped, second.orders_updated) == (1, 2, 0)
    assert second.changes == []
    # 10107 stays at 129.50: 129.50 + 30.00 + 119.00 = 278.50, units 8 + 3 + 2 = 13
    assert figures(engine) == {
        "revenue": 27850, "units": 13, "rollup_revenue": 27850, "rollup_problems": []
    }  # fmt: skip


def test_unknown_on_existing_is_refused(engine):
    with pytest.raises(ValueError, match="on_existing"):
        load(engine, v1(), on_existing="replace")


def test_update_corrects_garbled_customer_and_product_names(engine):
    # First imported garbled (cp1252 read as cp850), then the fixed copy: same orders.
    garbled = [order("20001", "Bõckerei M³ller", 10, [line(1, "P1", 1)])]
    garbled[0].lines[0].product_name = "Caf‚ cr³me"
    load(engine, garbled)
    fixed = [order("20001", "Bäckerei Müller", 10, [line(1, "P1", 1)])]
    fixed[0].lines[0].product_name = "Café crème"
    counts = load(engine, fixed)
    assert (counts.orders_unchanged, counts.orders_updated, counts.customers_added) == (1, 0, 0)
    assert counts.names_corrected == 2
    with engine.connect() as conn:
        assert list(conn.execute(select(Customer.name)).scalars()) == ["Bäckerei Müller"]
        assert list(conn.execute(select(Product.name)).scalars()) == ["Café crème"]


def test_a_file_without_product_names_keeps_the_stored_names(engine):
    load(engine, [order("20002", "Acme", 10, [line(1, "P1", 1)])])  # P1 named "Product P1"
    unnamed = [order("20002", "Acme", 10, [line(1, "P1", 1)])]
    unnamed[0].lines[0].product_name = "P1"  # what the reader puts where the file has no name
    counts = load(engine, unnamed)
    assert (counts.orders_unchanged, counts.names_corrected, counts.changes) == (1, 0, [])
    with engine.connect() as conn:
        assert list(conn.execute(select(Product.name)).scalars()) == ["Product P1"]


def test_a_different_customer_name_is_a_new_customer(engine):
    # "Bolt" is not "Acme" misread: the order moves to a new customer, Acme is kept.
    load(engine, [order("30001", "Acme", 10, [line(1, "P1", 1)])])
    counts = load(engine, [order("30001", "Bolt", 10, [line(1, "P1", 1)])])
    assert (counts.orders_updated, counts.customers_added) == (1, 1)
    assert counts.changes == ["30001: customer -> Bolt"]
    with engine.connect() as conn:
        assert sorted(conn.execute(select(Customer.name)).scalars()) == ["Acme", "Bolt"]


def _app_order(engine) -> tuple[str, int]:
    """An order saved in the app: 2 units of a product with 10 in stock (8 left)."""
    with engine.begin() as conn:
        cid = conn.execute(insert(Customer).values(name="Acme")).inserted_primary_key[0]
        conn.execute(
            insert(Product).values(
                sku="P1", name="Product P1", category="Cars", list_price_cents=1000,
                stock_on_hand=10,
            )
        )  # fmt: skip
    actor = Account(id=1, username="sam", role="manager")
    draft = OrderDraft(cid, [LineDraft("P1", 2)], ordered_at=datetime(2024, 1, 10))
    saved = create_order(engine, draft, actor)
    return saved.number, 8


def _stock(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(Product.stock_on_hand)).scalar_one()


def test_an_order_saved_in_the_app_is_refused(engine):
    number, stock = _app_order(engine)
    assert _stock(engine) == stock
    # The file says 5 units (5 x 10.00 = 50.00) where the app saved 2 (20.00).
    counts = load(engine, [order(number, "Acme", 10, [line(1, "P1", 5)])])
    assert (counts.orders_updated, counts.orders_refused) == (0, 1)
    assert len(counts.rejects) == 1 and counts.rejects[0].line == 2
    assert "entered or edited in the app by sam" in counts.rejects[0].reason
    assert figures(engine)["revenue"] == 2000
    assert _stock(engine) == 8
    assert import_entries(engine) == []


def test_an_order_saved_in_the_app_is_replaced_when_allowed(engine, rollup_path):
    number, _ = _app_order(engine)
    # As saved (Pending, no country), but 5 units where the app saved 2.
    changed = order(number, "Acme", 10, [line(1, "P1", 5)], status="Pending")
    changed.country = None
    counts = load(engine, [changed], overwrite_app_orders=True)
    assert (counts.orders_updated, counts.orders_refused) == (1, 0)
    assert counts.changes == [f"{number}: total 20.00 -> 50.00"]
    # It held 2 units and now takes 5: stock 8 - 3 = 5.
    assert _stock(engine) == 5
    assert figures(engine) == {
        "revenue": 5000, "units": 5, "rollup_revenue": 5000, "rollup_problems": []
    }  # fmt: skip


def test_update_takes_the_files_name_of_a_customer_known_by_email(engine):
    first = order("40001", "ACME Corp", 10, [line(1, "P1", 1)])
    first.customer = CustomerData("ACME Corp", "buyer@acme.example", {})
    load(engine, [first])
    again = order("40001", "Acme Corporation", 10, [line(1, "P1", 1)])
    again.customer = CustomerData("Acme Corporation", "buyer@acme.example", {})
    counts = load(engine, [again])
    assert (counts.orders_unchanged, counts.names_corrected) == (1, 1)
    assert counts.changes == ["customer 'ACME Corp' -> 'Acme Corporation'"]
    # skip leaves names as they are
    load(engine, [first], on_existing="skip")
    with engine.connect() as conn:
        assert conn.execute(select(Customer.name)).scalar_one() == "Acme Corporation"
