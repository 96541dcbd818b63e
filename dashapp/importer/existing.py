"""Orders of a file that are stored already: what is stored, whether the file's differs, how
to say what changed, and which ones the app has entered or edited.

An order is compared field by field with what the file would store: the header (customer,
date, status, ship-to country and geography, segment, channel, payment, promo) and every line
(number, product, quantity, price, discount, amount, cost, ship date and mode). Any difference
makes the file's version replace the stored one (dashapp.importer.loader).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, bindparam, select

from dashapp.store.models import AuditLog, Order, OrderLine, Product

CHUNK = 1000
orders_t = Order.__table__
lines_t = OrderLine.__table__
products_t = Product.__table__
audit_t = AuditLog.__table__

# Header fields compared, as (OrderData attribute, orders column); customer_id apart.
HEADER_FIELDS = (
    ("ordered_at", "ordered_at"),
    ("status", "status"),
    ("country", "country"),
    ("channel", "channel"),
    ("payment_type", "payment_type"),
    ("promo", "promo"),
    ("ship_region", "ship_region"),
    ("ship_state", "ship_state"),
    ("ship_city", "ship_city"),
    ("ship_postal_code", "ship_postal_code"),
    ("segment", "segment"),
)
LINE_FIELDS = (
    "quantity",
    "unit_price_cents",
    "discount_bp",
    "amount_cents",
    "cost_cents",
    "ship_date",
    "ship_mode",
)
# The audit actions of the app's own order writers (dashapp.orders.write) on entity "order".
APP_ACTIONS = ("create", "update", "status")


@dataclass
class StoredLine:
    line_number: int
    sku: str
    product_id: int
    values: tuple  # LINE_FIELDS, in order


@dataclass
class StoredOrder:
    id: int
    order_number: str
    customer_id: int
    header: tuple  # HEADER_FIELDS, in order
    total_cents: int
    lines: list[StoredLine]

    def snapshot(self) -> dict:
        """What the audit log keeps of the order an import replaced (money in currency)."""
        header = dict(zip((c for _, c in HEADER_FIELDS), self.header, strict=True))
        return {
            "customer_id": self.customer_id,
            **{k: v for k, v in header.items() if v is not None},
            "total": money(self.total_cents),
            "lines": [
                [
                    line.line_number,
                    line.sku,
                    line.values[0],
                    money(line.values[1]),
                    line.values[2],
                    money(line.values[3]),
                ]
                for line in self.lines
            ],  # fmt: skip
        }


def existing_ids(conn: Connection, numbers: Iterable[str]) -> dict[str, int]:
    """{order number: id} of the numbers already stored."""
    wanted = sorted(set(numbers))
    found: dict[str, int] = {}
    query = select(orders_t.c.order_number, orders_t.c.id).where(
        orders_t.c.order_number.in_(bindparam("numbers", expanding=True))
    )
    for i in range(0, len(wanted), CHUNK):
        found.update(conn.execute(query, {"numbers": wanted[i : i + CHUNK]}).all())
    return found


def read_stored(conn: Connection, ids: Sequence[int]) -> dict[int, StoredOrder]:
    """The stored orders of these ids with their lines, by id."""
    header_columns = [orders_t.c[c] for _, c in HEADER_FIELDS]
    headers = select(
        orders_t.c.id,
        orders_t.c.order_number,
        orders_t.c.customer_id,
        orders_t.c.total_cents,
        *header_columns,
    ).where(orders_t.c.id.in_(bindparam("ids", expanding=True)))
    lines = (
        select(
            lines_t.c.order_id,
            lines_t.c.line_number,
            products_t.c.sku,
            lines_t.c.product_id,
            *(lines_t.c[f] for f in LINE_FIELDS),
        )
        .join(products_t, products_t.c.id == lines_t.c.product_id)
        .where(lines_t.c.order_id.in_(bindparam("ids", expanding=True)))
        .order_by(lines_t.c.order_id, lines_t.c.line_number)
    )
    stored: dict[int, StoredOrder] = {}
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), CHUNK):
        params = {"ids": wanted[i : i + CHUNK]}
        for row in conn.execute(headers, params):
            stored[row[0]] = StoredOrder(row[0], row[1], row[2], _header(row[4:]), int(row[3]), [])
        for row in conn.execute(lines, params):
            stored[row[0]].lines.append(StoredLine(row[1], row[2], row[3], _line_values(row[4:])))
    return stored


def _header(values: Sequence) -> tuple:
    # The same Python types whatever the backend returns (SQLite's promo may be 0/1).
    values = list(values)
    values[5] = bool(values[5])
    return tuple(values)


def _line_values(values: Sequence) -> tuple:
    values = list(values)
    values[5] = _as_date(values[5])
    return tuple(values)


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def file_header(order) -> tuple:  # noqa: ANN001 - reader.OrderData
    """The file order's HEADER_FIELDS, as the stored header reads them."""
    return tuple(
        bool(order.promo) if attr == "promo" else getattr(order, attr, None)
        for attr, _ in HEADER_FIELDS
    )


def file_line_values(line) -> tuple:  # noqa: ANN001 - reader.LineData
    return tuple(getattr(line, f, None) for f in LINE_FIELDS)


def describe(number: str, stored: StoredOrder, order, customer_id: int | None) -> str:  # noqa: ANN001
    """A short text of what changed, e.g. "10107: 3 -> 4 lines, total 129.50 -> 409.50"."""
    before = dict(zip((a for a, _ in HEADER_FIELDS), stored.header, strict=True))
    after = dict(zip((a for a, _ in HEADER_FIELDS), file_header(order), strict=True))
    parts = []
    if before["status"] != after["status"]:
        parts.append(f"{before['status']} -> {after['status']}")
    if len(stored.lines) != len(order.lines):
        parts.append(f"{len(stored.lines)} -> {len(order.lines)} lines")
    total = sum(line.amount_cents for line in order.lines)
    if stored.total_cents != total:
        parts.append(f"total {money(stored.total_cents)} -> {money(total)}")
    elif len(stored.lines) == len(order.lines) and _lines_differ(stored, order):
        parts.append("lines changed")
    if before["ordered_at"] != after["ordered_at"]:
        parts.append(f"date {_when(before['ordered_at'])} -> {_when(after['ordered_at'])}")
    if stored.customer_id != customer_id:
        parts.append(f"customer -> {order.customer.name}")
    for attr in ("country", "ship_region", "ship_state", "ship_city", "ship_postal_code"):
        if before[attr] != after[attr]:
            parts.append(f"{attr.replace('_', ' ')} {before[attr] or '-'} -> {after[attr] or '-'}")
    rest = [a for a in ("channel", "payment_type", "promo", "segment") if before[a] != after[a]]
    if rest:
        parts.append(", ".join(a.replace("_", " ") for a in rest) + " changed")
    return f"{number}: " + (", ".join(parts) or "lines changed")


def _lines_differ(stored: StoredOrder, order) -> bool:  # noqa: ANN001
    return [(s.line_number, s.sku, s.values) for s in stored.lines] != [
        (line.line_number, line.sku, file_line_values(line)) for line in order.lines
    ]


def _when(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="minutes").removesuffix(" 00:00")


def money(cents: int) -> str:
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))


def app_touched(conn: Connection, ids: Sequence[int]) -> dict[int, str | None]:
    """{order id: user} of these orders that were entered or edited in the app (an audit entry
    of the app's order writers names them); an import's own entry is on "orders", not these."""
    found: dict[int, str | None] = {}
    query = select(audit_t.c.entity_id, audit_t.c.username).where(
        audit_t.c.entity == "order",
        audit_t.c.action.in_(APP_ACTIONS),
        audit_t.c.entity_id.in_(bindparam("ids", expanding=True)),
    )
    wanted = sorted({str(i) for i in ids})
    for i in range(0, len(wanted), CHUNK):
        for entity_id, user in conn.execute(query, {"ids": wanted[i : i + CHUNK]}):
            found.setdefault(int(entity_id), user)
    return found


# Wrong decodings that garble a name: (how the bytes were written, how they were read).
_MISREADS = (
    ("cp1252", "cp850"),
    ("cp1252", "cp437"),
    ("cp1252", "latin-1"),
    ("cp1252", "utf-8"),
    ("utf-8", "cp1252"),
    ("utf-8", "latin-1"),
    ("utf-8", "cp850"),
    ("latin-1", "cp850"),
    ("latin-1", "utf-8"),
)


def garbled(stored: str, correct: str) -> bool:
    """Whether `stored` is `correct` misread in a wrong encoding ("Bõckerei M³ller" for
    "Bäckerei Müller": cp1252 read as cp850), so that it is the same name, repaired."""
    if stored == correct or correct.isascii():
        return False
    for written, read in _MISREADS:
        try:
            if correct.encode(written).decode(read, errors="replace") == stored:
                return True
        except UnicodeEncodeError:
            continue
    return False
