"""After the run, the database against what the clients were told: every created order is
there exactly once with the lines that were sent, nothing refused or failed was written, stock
moved by exactly the created orders and never went negative, and the store is intact."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from bench.load.simulated import SentOrder
from dashapp.store.models import Order, OrderLine, Product

orders_t, lines_t, products_t = Order.__table__, OrderLine.__table__, Product.__table__


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def stock_levels(conn: Connection) -> dict[int, int]:
    return dict(conn.execute(select(products_t.c.id, products_t.c.stock_on_hand)).all())


def check_database(
    conn: Connection,
    run_id: str,
    sent: list[SentOrder],
    stock_before: dict[int, int],
) -> list[Check]:
    """Every check, passed or not, with what it found."""
    checks: list[Check] = []
    prefix = f"load-{run_id}-"
    stored = conn.execute(
        select(orders_t.c.id, orders_t.c.note, orders_t.c.total_cents).where(
            orders_t.c.note.like(f"{prefix}%")
        )
    ).all()
    by_ref: dict[str, list] = defaultdict(list)
    for row in stored:
        by_ref[row.note].append(row)
    created = [o for o in sent if o.created]
    not_created = [o for o in sent if not o.created]

    missing = [o.ref for o in created if len(by_ref.get(o.ref, ())) == 0]
    doubled = [o.ref for o in created if len(by_ref.get(o.ref, ())) > 1]
    wrong_id = [
        o.ref
        for o in created
        if len(by_ref.get(o.ref, ())) == 1 and by_ref[o.ref][0].id != o.order_id
    ]
    checks.append(
        Check(
            "every order answered 201 is stored exactly once",
            not (missing or doubled or wrong_id),
            f"{len(created)} created; missing {len(missing)}, duplicated {len(doubled)}, "
            f"other id than answered {len(wrong_id)}",
        )
    )
    written = [o.ref for o in not_created if by_ref.get(o.ref)]
    checks.append(
        Check(
            "no refused or failed order was written",
            not written,
            f"{len(not_created)} not created; {len(written)} of them found in the database",
        )
    )
    sent_refs = {o.ref for o in sent}
    strays = [ref for ref in by_ref if ref not in sent_refs]
    checks.append(Check("no order the clients did not send", not strays, f"{len(strays)} unknown"))

    ids = [row.id for rows in by_ref.values() for row in rows]
    stored_lines = _lines_of(conn, ids)
    mismatched = []
    for o in created:
        want = [
            (
                line.product_id,
                line.quantity,
                line.unit_price_cents,
                line.discount_bp,
                line.amount_cents,
            )
            for line in o.lines
        ]
        if stored_lines.get(o.order_id) != want:
            mismatched.append(o.ref)
    checks.append(
        Check(
            "each created order has exactly the lines sent (product, qty, price, discount, amount)",
            not mismatched,
            f"{len(mismatched)} differ",
        )
    )
    sent_cents = sum(o.amount_cents for o in created)
    stored_cents = sum(line[4] for o_lines in stored_lines.values() for line in o_lines)
    answered_cents = sum(int(o.total * 100) for o in created if o.total is not None)
    checks.append(
        Check(
            "sum of stored line amounts = what the clients sent = the totals they were answered",
            sent_cents == stored_cents == answered_cents,
            f"sent {_money(sent_cents)}, stored {_money(stored_cents)}, "
            f"answered {_money(answered_cents)}",
        )
    )

    orphans = conn.execute(
        select(func.count())
        .select_from(lines_t)
        .where(~select(orders_t.c.id).where(orders_t.c.id == lines_t.c.order_id).exists())
    ).scalar_one()
    empty = conn.execute(
        select(func.count())
        .select_from(orders_t)
        .where(~select(lines_t.c.id).where(lines_t.c.order_id == orders_t.c.id).exists())
    ).scalar_one()
    line_sum = (
        select(func.coalesce(func.sum(lines_t.c.amount_cents), 0))
        .where(lines_t.c.order_id == orders_t.c.id)
        .scalar_subquery()
    )
    off_total = conn.execute(
        select(func.count()).select_from(orders_t).where(orders_t.c.total_cents != line_sum)
    ).scalar_one()
    checks.append(
        Check(
            "no half-written order anywhere (lines without order, order without lines, "
            "total != its lines)",
            orphans == empty == off_total == 0,
            f"{orphans} orphan lines, {empty} empty orders, {off_total} totals off",
        )
    )

    taken: Counter[int] = Counter()
    for o in created:
        for line in o.lines:
            taken[line.product_id] += line.quantity
    after = stock_levels(conn)
    moved_wrong = [
        pid for pid, before in stock_before.items() if after.get(pid) != before - taken[pid]
    ]
    negative = conn.execute(
        select(func.count())
        .select_from(products_t)
        .where(products_t.c.stock_on_hand < 0, ~products_t.c.allow_backorder)
    ).scalar_one()
    checks.append(
        Check(
            "stock moved by exactly the created orders, and none is negative",
            not moved_wrong and negative == 0,
            f"{sum(taken.values())} units taken; {len(moved_wrong)} products off, "
            f"{negative} negative",
        )
    )
    if conn.dialect.name == "sqlite":
        integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalar_one()
        fk = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        checks.append(
            Check(
                "SQLite integrity_check and foreign_key_check",
                integrity == "ok" and not fk,
                f"integrity_check: {integrity}; {len(fk)} foreign key violations",
            )
        )
    return checks


def _lines_of(conn: Connection, order_ids: list[int]) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = defaultdict(list)
    for start in range(0, len(order_ids), 500):
        rows = conn.execute(
            select(
                lines_t.c.order_id,
                lines_t.c.product_id,
                lines_t.c.quantity,
                lines_t.c.unit_price_cents,
                lines_t.c.discount_bp,
                lines_t.c.amount_cents,
            )
            .where(lines_t.c.order_id.in_(order_ids[start : start + 500]))
            .order_by(lines_t.c.order_id, lines_t.c.line_number)
        )
        for row in rows:
            out[row.order_id].append(tuple(row)[1:])
    return dict(out)


def _money(cents: int) -> str:
    return f"{cents / 100:,.2f}"
