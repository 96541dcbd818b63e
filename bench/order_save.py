"""Order-save benchmark: what one typical order costs to save through the app's write path
(create, edit, cancel, delete: stock, rollups, first-order dates, audit, data version), beside
the floor measured in the same run: the plain INSERTs of the same order and its lines, in a
write transaction of their own, with nothing else kept up to date.

    python -m bench.order_save --database-url URL [--saves 200]

Each cycle creates one order of two lines (the customer of the median order, the two products
with the most stock, dated on the last order day), edits it (one more unit and a third line),
cancels it and deletes it, so the database ends as it began (the audit log apart). The floor's
rows are deleted again, untimed. Writes bench/results/order_save-ORDERS-BACKEND.json.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import date, datetime, time
from time import perf_counter

from sqlalchemy import Engine, delete, func, insert, select

from bench.measure import Run, Stats, add_database_argument, open_database, row
from dashapp.auth import Account
from dashapp.orders import (
    LineDraft,
    OrderDraft,
    create_order,
    delete_order,
    set_status,
    update_order,
)
from dashapp.store.db import write_transaction
from dashapp.store.models import CANCELLED, Order, OrderLine, Product

orders = Order.__table__
order_lines = OrderLine.__table__
products = Product.__table__
ACTOR = Account(id=0, username="bench", role="manager")
OPERATIONS = ("create", "update", "cancel", "delete")


def typical_order(engine: Engine) -> tuple[OrderDraft, OrderDraft]:
    """The order each cycle creates, and the edit it then makes to it."""
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(orders)).scalar_one()
        customer, last_day = conn.execute(
            select(orders.c.customer_id, select(func.max(orders.c.order_date)).scalar_subquery())
            .order_by(orders.c.id)
            .offset(n // 2)
            .limit(1)
        ).one()
        pids = conn.scalars(
            select(products.c.id)
            .where(products.c.active)
            .order_by(products.c.stock_on_hand.desc(), products.c.id)
            .limit(3)
        ).all()
    at = datetime.combine(_as_date(last_day), time(12, 0))
    lines = [LineDraft(pids[0], 1), LineDraft(pids[1], 2)]
    created = OrderDraft(customer, lines, ordered_at=at, note="bench.order_save")
    edited = OrderDraft(
        customer,
        [LineDraft(pids[0], 2), lines[1], LineDraft(pids[2], 1)],
        ordered_at=at,
        note="bench.order_save, edited",
    )
    return created, edited


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value[:10])


def plain_insert(engine: Engine, draft: OrderDraft, prices: dict[int, tuple[int, str]]) -> int:
    """The floor: the order's header and lines inserted, committed, nothing else."""
    day = draft.ordered_at.date()
    with write_transaction(engine) as conn:
        order_id = conn.execute(
            insert(orders).values(
                order_number=f"bench-{uuid.uuid4().hex}",
                customer_id=draft.customer_id,
                ordered_at=draft.ordered_at,
                order_date=day,
                status="Pending",
                total_cents=sum(prices[ln.product][0] * ln.quantity for ln in draft.lines),
                note=draft.note,
                created_by=ACTOR.username,
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(order_lines),
            [
                dict(
                    order_id=order_id,
                    line_number=n,
                    product_id=ln.product,
                    quantity=ln.quantity,
                    unit_price_cents=prices[ln.product][0],
                    discount_bp=0,
                    amount_cents=prices[ln.product][0] * ln.quantity,
                    order_date=day,
                    status="Pending",
                    customer_id=draft.customer_id,
                    country=None,
                    category=prices[ln.product][1],
                )
                for n, ln in enumerate(draft.lines, start=1)
            ],
        )
    return order_id


def remove_plain(engine: Engine, order_id: int) -> None:
    with write_transaction(engine) as conn:
        conn.execute(delete(order_lines).where(order_lines.c.order_id == order_id))
        conn.execute(delete(orders).where(orders.c.id == order_id))


def remove_leftovers(engine: Engine) -> None:
    """Delete, through the app, the orders an interrupted run left behind."""
    with engine.connect() as conn:
        found = conn.scalars(
            select(orders.c.id).where(orders.c.note.like("bench.order_save%"))
        ).all()
        plain = conn.scalars(select(orders.c.id).where(orders.c.order_number.like("bench-%"))).all()
    for oid in found:
        delete_order(engine, oid, ACTOR)
    for oid in plain:
        remove_plain(engine, oid)


def measure(engine: Engine, saves: int, warmup: int = 5) -> dict[str, Stats]:
    """Samples per operation and for the floor, interleaved cycle by cycle."""
    created, edited = typical_order(engine)
    with engine.connect() as conn:
        prices = {
            pid: (price, category)
            for pid, price, category in conn.execute(
                select(products.c.id, products.c.list_price_cents, products.c.category).where(
                    products.c.id.in_([ln.product for ln in edited.lines])
                )
            )
        }
    samples: dict[str, list[float]] = {name: [] for name in (*OPERATIONS, "floor")}

    def timed(name: str, work, keep: bool):
        t0 = perf_counter()
        result = work()
        if keep:
            samples[name].append((perf_counter() - t0) * 1000)
        return result

    for i in range(warmup + saves):
        keep = i >= warmup
        saved = timed("create", lambda: create_order(engine, created, ACTOR), keep)
        oid = saved.id
        timed("update", lambda oid=oid: update_order(engine, oid, edited, ACTOR), keep)
        timed("cancel", lambda oid=oid: set_status(engine, oid, CANCELLED, ACTOR), keep)
        timed("delete", lambda oid=oid: delete_order(engine, oid, ACTOR), keep)
        plain_id = timed("floor", lambda: plain_insert(engine, created, prices), keep)
        remove_plain(engine, plain_id)
    return {name: Stats(tuple(values)) for name, values in samples.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.order_save", description=__doc__)
    add_database_argument(parser)
    parser.add_argument("--saves", type=int, default=200, help="timed cycles (200)")
    args = parser.parse_args(argv)
    engine = open_database(args.database_url, parser)
    remove_leftovers(engine)
    run = Run("order_save", engine)
    print(run.header(), flush=True)
    stats = measure(engine, args.saves)
    floor = stats["floor"]
    rows = [
        row(
            "save one order",
            name,
            stats[name],
            floor_median_ms=round(floor.median_ms, 3),
            floor_ratio=round(stats[name].median_ms / floor.median_ms, 1),
        )
        for name in OPERATIONS
    ]
    rows.append(row("floor", "plain INSERT of the order and its lines", floor))
    path = run.write(
        rows,
        saves=args.saves,
        note="create/update/cancel/delete through dashapp.orders (two lines, three after the "
        "edit); floor = the same order's header and lines inserted and committed in a write "
        "transaction with no rollups, first-order dates, audit or data version; ratio = "
        "median / floor median",
    )
    print(f"\nSaving one order, {run.orders:,} orders on {run.backend}, {args.saves} cycles")
    print(f"{'':28}{'median ms':>10}{'p95 ms':>10}{'floor ms':>10}{'x floor':>9}")
    for r in rows:
        ratio = f"{r['floor_ratio']:.1f}x" if "floor_ratio" in r else ""
        floor_ms = f"{r['floor_median_ms']:.2f}" if "floor_median_ms" in r else ""
        print(
            f"{r['name'][:27]:28}{r['median_ms']:>10.2f}{r['p95_ms']:>10.2f}{floor_ms:>10}{ratio:>9}"
        )
    print(f"\nWritten to {path}")


if __name__ == "__main__":
    main()
