"""Write validated orders in the caller's transaction, through the one write path
(dashapp.store.writes.changing_orders: rollups, first-order dates, audit log, data version).

An order number not stored yet is added. One that is stored (a re-export) depends on
`on_existing`:
- "update" (the default): the file's order replaces the stored one when anything differs (its
  lines, quantities, prices, amounts, status, date, customer, ship-to, ...), in the same
  transaction; an identical order is left alone and counted unchanged. The names of the
  file's products, and of customers known by email, are taken from the file; a customer known
  by name whose stored name is the file's name misread in a wrong encoding is renamed.
- "skip": stored orders are left as they are, whatever the file says.

An order entered or edited in the app (an audit entry of the app's order writers names it)
is never replaced silently: the import refuses it, as a reject of each of its lines that says
why, unless `overwrite_app_orders` is given. Such an order took stock when it was saved, so
replacing it moves stock by the difference, as an edit in the app would.

Imported orders do not move stock: the file records sales that already happened, and the
catalog's stock on hand is whatever it is today. New products start with zero stock.
The audit entry of an import holds the counts and the list of changes after, and the stored
orders it replaced before, so nothing committed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from dashapp.importer.errors import ImportFileError
from dashapp.importer.existing import (
    StoredOrder,
    app_touched,
    describe,
    existing_ids,
    file_header,
    file_line_values,
    garbled,
    read_stored,
)
from dashapp.importer.reader import (
    CUSTOMER_DETAILS,
    NO_CUSTOMER_KEY,
    CustomerData,
    LineData,
    OrderData,
)
from dashapp.importer.report import Reject
from dashapp.store.bulk import (
    deferred_indexes,
    insert_columns,
    insert_rows,
    reserve_ids,
    sqlite_load_settings,
)
from dashapp.store.models import CANCELLED, Base, Customer, Order, OrderLine, Product
from dashapp.store.rollups import TABLE_NAMES
from dashapp.store.writes import BULK_FROM, OrderChange, changing_orders

CHUNK = 1000
# New orders are written this many at a time (their lines with them): few statements, and
# the progress bar still moves every few tenths of a second.
WRITE_CHUNK = 5000
ON_EXISTING = ("update", "skip")
customers_t = Customer.__table__
products_t = Product.__table__
orders_t = Order.__table__
lines_t = OrderLine.__table__
CustomerKey = tuple[str, str]


@dataclass
class LoadCounts:
    orders_added: int = 0
    lines_added: int = 0
    orders_skipped: int = 0  # stored already and left as stored: on_existing="skip"
    orders_updated: int = 0  # stored already, replaced by the file's differing version
    orders_unchanged: int = 0  # stored already, identical in the file
    orders_refused: int = 0  # entered or edited in the app: see `rejects`
    customers_added: int = 0
    products_added: int = 0
    names_corrected: int = 0  # customers and products whose name the file corrected
    # What changed, one short text per order or name: "10108: Shipped -> Cancelled".
    changes: list[str] = field(default_factory=list)
    # The lines of refused orders, with the reason (the report lists them with the reader's).
    rejects: list[Reject] = field(default_factory=list)


@dataclass
class _Plan:
    """What a load will do, worked out before anything is written."""

    new: list[OrderData] = field(default_factory=list)
    changed: list[tuple[OrderData, StoredOrder]] = field(default_factory=list)
    customer_ids: dict[CustomerKey, int | None] = field(default_factory=dict)
    customer_renames: dict[int, tuple[str, str]] = field(default_factory=dict)  # (old, new)
    product_ids: dict[str, int] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    product_renames: dict[int, tuple[str, str]] = field(default_factory=dict)
    app_orders: dict[int, str | None] = field(default_factory=dict)  # replaced with the flag

    @property
    def writes(self) -> bool:
        return bool(self.new or self.changed or self.customer_renames or self.product_renames)


def load_orders(
    conn: Connection,
    orders: list[OrderData],
    created_by: str | None = None,
    advance: Callable[[int], object] | None = None,
    on_existing: str = "update",
    overwrite_app_orders: bool = False,
) -> LoadCounts:
    """Add the new orders and, with on_existing="update", replace the stored ones the file
    changes (see the module docstring); `advance(n)` as orders are done."""
    if on_existing not in ON_EXISTING:
        raise ValueError(f"on_existing must be one of {', '.join(ON_EXISTING)}: {on_existing!r}")
    counts = LoadCounts()
    stored_ids = existing_ids(conn, (o.order_number for o in orders))
    plan = _Plan(new=[o for o in orders if o.order_number not in stored_ids])
    existing = [o for o in orders if o.order_number in stored_ids]
    _look_up_catalog(conn, plan, orders, on_existing)
    if on_existing == "skip":
        counts.orders_skipped = len(existing)
    else:
        _compare(conn, plan, existing, stored_ids, counts, overwrite_app_orders)
    if advance and len(orders) > len(plan.new) + len(plan.changed):
        advance(len(orders) - len(plan.new) - len(plan.changed))
    if not plan.writes:
        return counts  # nothing changes: no audit entry, no new data version
    big = len(plan.new) + len(plan.changed) >= BULK_FROM
    with (
        sqlite_load_settings(conn) if big else nullcontext(),
        changing_orders(conn, user=created_by, action="import", entity="orders") as change,
    ):
        # A big file's upserts into the rollups of a big database need their pages in memory
        # (SQLite's default cache is 2 MB): 50k lines into 1M orders, CPU 8.7 s -> 7.5 s.
        _write(conn, plan, counts, change, created_by, advance)
    return counts


# --- working out what to do (reads only) -------------------------------------------------


def _look_up_catalog(
    conn: Connection, plan: _Plan, orders: list[OrderData], on_existing: str
) -> None:
    """The ids of the file's customers and products that are stored, and (update) the names
    the file corrects."""
    customers: dict[CustomerKey, CustomerData] = {}
    for order in orders:
        customers.setdefault(order.customer.key, order.customer)
    # A file without customers (--no-customers): its orders have none (customer_id NULL).
    plan.customer_ids[NO_CUSTOMER_KEY] = None
    for kind, column in (("email", customers_t.c.email), ("name", customers_t.c.name)):
        values = sorted(v for k, v in customers if k == kind)
        query = (
            select(column, customers_t.c.id, customers_t.c.name)
            .where(column.in_(bindparam("values", expanding=True)))
            .order_by(customers_t.c.id)
        )
        for i in range(0, len(values), CHUNK):
            for value, cid, name in conn.execute(query, {"values": values[i : i + CHUNK]}):
                if (kind, value) in plan.customer_ids:
                    continue  # the oldest customer of that name wins
                plan.customer_ids[(kind, value)] = cid
                wanted = customers[(kind, value)].name
                if on_existing == "update" and kind == "email" and name != wanted:
                    plan.customer_renames[cid] = (name, wanted)
    first_line = {}
    for order in orders:
        for line in order.lines:
            first_line.setdefault(line.sku, line)
    skus = sorted(first_line)
    query = select(products_t.c.sku, products_t.c.id, products_t.c.category, products_t.c.name)
    query = query.where(products_t.c.sku.in_(bindparam("skus", expanding=True)))
    for i in range(0, len(skus), CHUNK):
        for sku, pid, category, name in conn.execute(query, {"skus": skus[i : i + CHUNK]}):
            plan.product_ids[sku], plan.categories[sku] = pid, category
            named = first_line[sku].product_name
            # A name equal to the code is the reader standing in for a file without product
            # names: it corrects nothing.
            if on_existing == "update" and named != sku and name != named:
                plan.product_renames[pid] = (name, named)


def _compare(
    conn: Connection,
    plan: _Plan,
    existing: list[OrderData],
    stored_ids: dict[str, int],
    counts: LoadCounts,
    overwrite_app_orders: bool,
) -> None:
    """Sort the stored orders of the file into unchanged, changed and refused."""
    stored = read_stored(conn, [stored_ids[o.order_number] for o in existing])
    _repair_garbled_customers(conn, plan, existing, stored, stored_ids)
    changed = []
    for order in existing:
        old = stored[stored_ids[order.order_number]]
        if _same(order, old, plan):
            counts.orders_unchanged += 1
        else:
            changed.append((order, old))
    touched = app_touched(conn, [old.id for _, old in changed])
    for order, old in changed:
        if old.id in touched and not overwrite_app_orders:
            counts.orders_refused += 1
            who = f" by {touched[old.id]}" if touched[old.id] else ""
            reason = (
                f"order {order.order_number} was entered or edited in the app{who}; the file "
                "differs from it, and an import does not overwrite such an order unless told "
                "to (--overwrite-app-orders)"
            )
            counts.rejects += [Reject(line.csv_line, reason) for line in order.lines]
            continue
        if old.id in touched:
            plan.app_orders[old.id] = touched[old.id]
        plan.changed.append((order, old))
        customer_id = plan.customer_ids.get(order.customer.key)
        counts.changes.append(describe(order.order_number, old, order, customer_id))


def _repair_garbled_customers(
    conn: Connection,
    plan: _Plan,
    existing: list[OrderData],
    stored: dict[int, StoredOrder],
    stored_ids: dict[str, int],
) -> None:
    """A customer known by name that the file spells differently, where the stored order's
    customer is the file's name misread in a wrong encoding, is that customer renamed (the
    fixed copy of a file first imported garbled), not a new customer."""
    candidates: dict[CustomerKey, set[int]] = {}
    for order in existing:
        key = order.customer.key
        if key[0] == "name" and key not in plan.customer_ids:
            old = stored[stored_ids[order.order_number]]
            candidates.setdefault(key, set()).add(old.customer_id)
    if not candidates:
        return
    ids = sorted({cid for cids in candidates.values() for cid in cids})
    query = select(customers_t.c.id, customers_t.c.name).where(
        customers_t.c.id.in_(bindparam("ids", expanding=True))
    )
    names: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        names.update(conn.execute(query, {"ids": ids[i : i + CHUNK]}).all())
    claimed: dict[int, CustomerKey] = {}
    for key, cids in sorted(candidates.items()):
        # Several garbled copies of one name: the oldest takes it, the others' orders move.
        fits = sorted(cid for cid in cids if garbled(names[cid], key[1]))
        if fits and fits[0] not in claimed:
            claimed[fits[0]] = key
    for cid, key in claimed.items():
        plan.customer_ids[key] = cid
        plan.customer_renames[cid] = (names[cid], key[1])


def _same(order: OrderData, old: StoredOrder, plan: _Plan) -> bool:
    if plan.customer_ids.get(order.customer.key) != old.customer_id:
        return False
    if file_header(order) != old.header or len(order.lines) != len(old.lines):
        return False
    return all(
        line.line_number == s.line_number
        and line.sku == s.sku
        and file_line_values(line) == s.values
        for line, s in zip(order.lines, old.lines, strict=True)
    )


# --- writing -----------------------------------------------------------------------------

# New orders' lines go into the rollups this many orders at a time: one pass over many
# orders sums each rollup key once, and memory stays bounded on a very large file.
ADD_BATCH = 50_000
# The write path moves the rollups of replaced orders order by order, in Python (about 0.3 ms
# per line); a rebuild recomputes them from every stored line in set-based SQL (some 100x less
# per line). An import replacing lines that are at least this share of what will be stored
# rebuilds them instead.
REBUILD_SHARE = 0.5


def _write(
    conn: Connection,
    plan: _Plan,
    counts: LoadCounts,
    change: OrderChange,
    created_by: str | None,
    advance: Callable[[int], object] | None,
) -> None:
    written = plan.new + [order for order, _ in plan.changed]
    rebuild = _rebuild_is_cheaper(conn, written)
    counts.customers_added = _create_customers(conn, plan, written)
    counts.products_added = _create_products(conn, plan, written)
    _rename(conn, plan, counts)
    before = {old.order_number: old.snapshot() for _, old in plan.changed}
    # A file large beside the database (a first import) rebuilds every rollup after it, and on
    # SQLite builds the order tables' indexes once after its rows, as the demo load does,
    # instead of updating them row by row (PostgreSQL would lock readers out of the tables
    # until the commit; SQLite's readers keep their snapshot).
    deferred = [orders_t, lines_t, *(Base.metadata.tables[t] for t in sorted(TABLE_NAMES))]
    defer = rebuild and conn.dialect.name == "sqlite"
    with deferred_indexes(conn, deferred) if defer else nullcontext():
        if plan.changed:
            _replace(conn, plan, None if rebuild else change)
            counts.orders_updated = len(plan.changed)
            if advance:
                advance(len(plan.changed))
        added: list[int] = []
        for start in range(0, len(plan.new), WRITE_CHUNK):
            chunk = plan.new[start : start + WRITE_CHUNK]
            order_ids = _insert_orders(conn, chunk, plan, created_by)
            counts.lines_added += _insert_lines(conn, chunk, order_ids, plan)
            counts.orders_added += len(chunk)
            added += order_ids
            if len(added) >= ADD_BATCH and not rebuild:
                change.added(added)
                added = []
            if advance:
                advance(len(chunk))
        if rebuild:
            change.all_changed()
        elif added:
            change.added(added)
    change.record(
        before={"orders": before} if before else None,
        after={
            "orders": counts.orders_added,
            "lines": counts.lines_added,
            "customers": counts.customers_added,
            "products": counts.products_added,
            "orders_updated": counts.orders_updated,
            "orders_unchanged": counts.orders_unchanged,
            "changes": counts.changes,
        },
    )


def _rebuild_is_cheaper(conn: Connection, written: list[OrderData]) -> bool:
    """Whether the file's lines are at least REBUILD_SHARE of the lines there will be (the
    first import into an empty or young database); the highest line id stands for the count,
    which SQLite would have to scan for."""
    incoming = sum(len(order.lines) for order in written)
    stored = conn.execute(select(func.max(lines_t.c.id))).scalar_one() or 0
    return incoming >= REBUILD_SHARE * (stored + incoming)


def _create_customers(conn: Connection, plan: _Plan, written: list[OrderData]) -> int:
    """Create the customers of the written orders that are not stored; how many."""
    missing: dict[CustomerKey, CustomerData] = {}
    for order in written:
        if order.customer.key not in plan.customer_ids:
            missing.setdefault(order.customer.key, order.customer)
    ids = reserve_ids(conn, customers_t, len(missing)) if missing else []
    if ids is not None:
        # Ids reserved, rows staged (dashapp.store.bulk): no RETURNING, no dict per row.
        columns = ("id", "name", "email", *CUSTOMER_DETAILS)
        staged = [
            (cid, c.name, c.email, *map(c.details.get, CUSTOMER_DETAILS))
            for cid, c in zip(ids, missing.values(), strict=True)
        ]
        insert_rows(conn, customers_t, columns, staged)
        plan.customer_ids.update(zip(missing, ids, strict=True))
        return len(missing)
    rows = [{"name": c.name, "email": c.email, **_details(c)} for c in missing.values()]
    for i in range(0, len(rows), CHUNK):
        # RETURNING the natural key, not sort_by_parameter_order: SQLite would then insert
        # row by row.
        returned = conn.execute(
            insert(customers_t).returning(
                customers_t.c.id, customers_t.c.name, customers_t.c.email
            ),
            rows[i : i + CHUNK],
        )
        for cid, name, email in returned:
            plan.customer_ids[("email", email) if email else ("name", name)] = cid
    return len(rows)


def _details(customer: CustomerData) -> dict[str, str | None]:
    # Every row of an executemany needs the same keys.
    return {k: customer.details.get(k) for k in CUSTOMER_DETAILS}


def _create_products(conn: Connection, plan: _Plan, written: list[OrderData]) -> int:
    """Create the products of the written orders that are not stored, from their first
    line; how many."""
    first_line = {}
    for order in written:
        for line in order.lines:
            if line.sku not in plan.product_ids:
                first_line.setdefault(line.sku, line)
    ids = reserve_ids(conn, products_t, len(first_line)) if first_line else []
    if ids is not None:
        columns = ("id", *PRODUCT_COLUMNS)
        staged = [
            (pid, *_product_row(line)) for pid, line in zip(ids, first_line.values(), strict=True)
        ]
        insert_rows(conn, products_t, columns, staged)
        plan.product_ids.update(zip(first_line, ids, strict=True))
        plan.categories.update((sku, line.category) for sku, line in first_line.items())
        return len(first_line)
    rows = [
        {
            "sku": line.sku,
            "name": line.product_name,
            "category": line.category,
            "sub_category": line.sub_category,
            # The MSRP is the list price when the file has one, else the price paid.
            "list_price_cents": line.msrp_cents
            if line.msrp_cents is not None
            else line.unit_price_cents,
            "msrp_cents": line.msrp_cents,
            "stock_on_hand": 0,
        }
        for line in first_line.values()
    ]
    for i in range(0, len(rows), CHUNK):
        returned = conn.execute(
            insert(products_t).returning(products_t.c.id, products_t.c.sku, products_t.c.category),
            rows[i : i + CHUNK],
        )
        for pid, sku, category in returned:
            plan.product_ids[sku], plan.categories[sku] = pid, category
    return len(rows)


PRODUCT_COLUMNS = (
    "sku", "name", "category", "sub_category", "list_price_cents", "msrp_cents", "stock_on_hand",
)  # fmt: skip


def _product_row(line: LineData) -> tuple:
    """A new product from its first line, in PRODUCT_COLUMNS order; the MSRP is the list price
    when the file has one, else the price paid."""
    list_price = line.msrp_cents if line.msrp_cents is not None else line.unit_price_cents
    return (line.sku, line.product_name, line.category, line.sub_category, list_price,
            line.msrp_cents, 0)  # fmt: skip


def _rename(conn: Connection, plan: _Plan, counts: LoadCounts) -> None:
    """Give customers and products the names the file corrects (on_existing="update")."""
    for table, renames, what in (
        (customers_t, plan.customer_renames, "customer"),
        (products_t, plan.product_renames, "product"),
    ):
        if not renames:
            continue
        conn.execute(
            update(table).where(table.c.id == bindparam("row_id")),
            [{"row_id": rid, "name": new} for rid, (_, new) in sorted(renames.items())],
        )
        counts.names_corrected += len(renames)
        counts.changes += [f"{what} {old!r} -> {new!r}" for old, new in renames.values()]


def _insert_orders(
    conn: Connection, chunk: list[OrderData], plan: _Plan, created_by: str | None
) -> list[int]:
    """Insert the orders' headers; their ids, in order. The ids are reserved first where the
    backend allows (dashapp.store.bulk), so the rows go in without RETURNING."""
    ids = reserve_ids(conn, orders_t, len(chunk))
    if ids is None:
        rows = [{**_header_row(o, plan), "created_by": created_by} for o in chunk]
        returned = conn.execute(
            insert(orders_t).returning(orders_t.c.order_number, orders_t.c.id), rows
        )
        by_number = dict(returned.all())
        return [by_number[o.order_number] for o in chunk]
    customer_ids = plan.customer_ids
    ordered_at = [o.ordered_at for o in chunk]
    # The columns _header_row gives, column by column (no dict or tuple per order).
    insert_columns(
        conn,
        orders_t,
        {
            "id": ids,
            "order_number": [o.order_number for o in chunk],
            "customer_id": [customer_ids[o.customer.key] for o in chunk],
            "ordered_at": ordered_at,
            "order_date": [moment.date() for moment in ordered_at],
            "status": [o.status for o in chunk],
            "country": [o.country for o in chunk],
            "channel": [o.channel for o in chunk],
            "payment_type": [o.payment_type for o in chunk],
            "promo": [o.promo for o in chunk],
            "total_cents": [o.total_cents for o in chunk],
            "ship_region": [o.ship_region for o in chunk],
            "ship_state": [o.ship_state for o in chunk],
            "ship_city": [o.ship_city for o in chunk],
            "ship_postal_code": [o.ship_postal_code for o in chunk],
            "segment": [o.segment for o in chunk],
            "created_by": [created_by] * len(chunk),
        },
        order_by=("order_date", "id"),  # into the date-led indexes in date order
    )
    return ids


def _header_row(order: OrderData, plan: _Plan) -> dict:
    return {
        "order_number": order.order_number,
        "customer_id": plan.customer_ids[order.customer.key],
        "ordered_at": order.ordered_at,
        "order_date": order.ordered_at.date(),
        "status": order.status,
        "country": order.country,
        "channel": order.channel,
        "payment_type": order.payment_type,
        "promo": order.promo,
        "total_cents": order.total_cents,
        # Optional in the reader (None where the file has no such column).
        "ship_region": getattr(order, "ship_region", None),
        "ship_state": getattr(order, "ship_state", None),
        "ship_city": getattr(order, "ship_city", None),
        "ship_postal_code": getattr(order, "ship_postal_code", None),
        "segment": getattr(order, "segment", None),
    }


def _insert_lines(
    conn: Connection, orders: list[OrderData], order_ids: list[int], plan: _Plan
) -> int:
    """Insert the orders' lines, column by column (dashapp.store.bulk: per-row work in
    SQLAlchemy cost more than SQLite's own insert)."""
    lines = [line for order in orders for line in order.lines]
    sizes = [len(order.lines) for order in orders]

    def per_line(values: list) -> list:
        """An order's value repeated on each of its lines."""
        return [v for v, n in zip(values, sizes, strict=True) for _ in range(n)]

    customer_ids = plan.customer_ids
    product_ids, categories = plan.product_ids, plan.categories
    skus = [line.sku for line in lines]
    insert_columns(
        conn,
        lines_t,
        {
            "order_id": per_line(order_ids),
            "line_number": [line.line_number for line in lines],
            "product_id": list(map(product_ids.__getitem__, skus)),
            "quantity": [line.quantity for line in lines],
            "unit_price_cents": [line.unit_price_cents for line in lines],
            "discount_bp": [line.discount_bp for line in lines],
            "amount_cents": [line.amount_cents for line in lines],
            "order_date": per_line([o.ordered_at.date() for o in orders]),
            "status": per_line([o.status for o in orders]),
            "customer_id": per_line([customer_ids[o.customer.key] for o in orders]),
            "country": per_line([o.country for o in orders]),
            # Category as the catalog has it at sale time (the file's, new products).
            "category": list(map(categories.__getitem__, skus)),
            "cost_cents": [line.cost_cents for line in lines],
            "ship_date": [line.ship_date for line in lines],
            "ship_mode": [line.ship_mode for line in lines],
        },
        # Lines land in order_lines' date-led indexes in date order (ids follow it).
        order_by=("order_date", "order_id", "line_number"),
    )
    return len(lines)


def _replace(conn: Connection, plan: _Plan, change: OrderChange | None) -> None:
    """Replace the changed orders' headers and lines by the file's; the rollups move by the
    difference (changing_orders; change None: the caller rebuilds them), and stock too for
    orders the app had saved."""
    ids = [old.id for _, old in plan.changed]
    if change is not None:
        change.will_change(ids)
    if plan.app_orders:
        _move_app_stock(conn, plan)
    for i in range(0, len(ids), CHUNK):
        conn.execute(delete(lines_t).where(lines_t.c.order_id.in_(ids[i : i + CHUNK])))
    conn.execute(
        update(orders_t).where(orders_t.c.id == bindparam("row_id")),
        [{**_header_row(order, plan), "row_id": old.id} for order, old in plan.changed],
    )
    for i in range(0, len(plan.changed), CHUNK):
        chunk = plan.changed[i : i + CHUNK]
        _insert_lines(conn, [o for o, _ in chunk], [old.id for _, old in chunk], plan)


def _move_app_stock(conn: Connection, plan: _Plan) -> None:
    """Orders saved in the app hold their units from stock: replacing one moves stock from
    what it held to what the file's version takes, as an edit in the app would."""
    from dashapp.orders.stock import move_stock  # the app's order domain, only when needed
    from dashapp.orders.validate import held_units
    from dashapp.validation import ValidationError

    for order, old in plan.changed:
        if old.id not in plan.app_orders:
            continue
        takes: dict[int, int] = {}
        if order.status != CANCELLED:
            for line in order.lines:
                pid = plan.product_ids[line.sku]
                takes[pid] = takes.get(pid, 0) + line.quantity
        try:
            move_stock(conn, held_units(conn, old.id), takes)
        except ValidationError as exc:
            raise ImportFileError(
                f"Order {order.order_number} cannot replace the one saved in the app: "
                f"{exc}. Nothing was imported."
            ) from None
