"""Checking an order draft against the catalog, the customers and the stock."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, or_, select

from dashapp.orders.drafts import (
    LineDraft,
    OrderDraft,
    PricedLine,
    ValidOrder,
    line_amount_cents,
    now,
)
from dashapp.store.models import CANCELLED, ORDER_STATUSES, Customer, Order, OrderLine, Product
from dashapp.validation import (
    MAX_MONEY_CENTS,
    FieldError,
    InputError,
    ValidationError,
    clean_text,
    is_blank,
    parse_bool,
    parse_int,
    parse_money_cents,
    parse_percent_bp,
)

MAX_LINES = 500
MAX_ID = 2**31 - 1
customers = Customer.__table__
products = Product.__table__
orders = Order.__table__
order_lines = OrderLine.__table__


def validate_order(
    conn: Connection, draft: OrderDraft, *, order_id: int | None = None
) -> list[FieldError]:
    """Every problem with a draft (empty when it can be saved).

    With order_id, the draft replaces that order: the stock it already holds counts as available.
    """
    return _check(conn, draft, order_id)[1]


def resolve_order(
    conn: Connection, draft: OrderDraft, *, order_id: int | None = None
) -> ValidOrder:
    """The validated order, or ValidationError listing every problem."""
    order, errors = _check(conn, draft, order_id)
    if errors or order is None:
        raise ValidationError(errors)
    return order


def held_units(conn: Connection, order_id: int) -> dict[int, int]:
    """Units per product that an existing order holds from stock (none when it is cancelled)."""
    rows = conn.execute(
        select(order_lines.c.product_id, order_lines.c.quantity, order_lines.c.status).where(
            order_lines.c.order_id == order_id
        )
    )
    held: dict[int, int] = {}
    for product_id, quantity, status in rows:
        if status != CANCELLED:
            held[product_id] = held.get(product_id, 0) + quantity
    return held


def _check(
    conn: Connection, draft: OrderDraft, order_id: int | None
) -> tuple[ValidOrder | None, list[FieldError]]:
    errors: list[FieldError] = []
    existing = None
    if order_id is not None:
        existing = conn.execute(select(orders).where(orders.c.id == order_id)).first()
        if existing is None:
            return None, [FieldError("order", f"Unknown order {order_id}")]

    customer = _customer(conn, draft.customer_id, existing, errors)
    status = draft.status.strip() if isinstance(draft.status, str) else draft.status
    if status not in ORDER_STATUSES:
        errors.append(
            FieldError(
                "status", f"Unknown status {status!r}; use one of {', '.join(ORDER_STATUSES)}"
            )
        )
    ordered_at = _ordered_at(draft.ordered_at, existing, errors)
    texts = {}
    for name, label, limit in (
        ("channel", "Channel", 30),
        ("payment_type", "Payment type", 30),
        ("note", "Note", 500),
    ):
        texts[name] = _field(errors, name, clean_text, getattr(draft, name), label, limit)
    promo = _field(errors, "promo", parse_bool, draft.promo, "Promo")

    held = held_units(conn, order_id) if order_id is not None else {}
    sold = costs_at_sale(conn, order_id) if order_id is not None else {}
    lines = _lines(conn, draft.lines, held, sold, errors)
    if lines is not None and status != CANCELLED and status in ORDER_STATUSES:
        _check_stock(conn, draft, lines, held, errors)
    if errors or customer is None or lines is None:
        return None, errors
    return (
        ValidOrder(
            customer_id=customer.id,
            country=customer.country,
            ordered_at=ordered_at,
            status=status,
            channel=texts["channel"],
            payment_type=texts["payment_type"],
            promo=bool(promo),
            note=texts["note"],
            lines=tuple(lines),
        ),
        errors,
    )


def _field(errors: list[FieldError], name: str, parser, raw: Any, *args, line=None, **kw) -> Any:
    """Run one parser; on bad input record the error against the field and return None."""
    try:
        return parser(raw, *args, **kw)
    except InputError as exc:
        errors.append(FieldError(name, str(exc), line))
        return None


def _customer(conn: Connection, raw: Any, existing, errors: list[FieldError]):
    if is_blank(raw):
        errors.append(FieldError("customer_id", "Choose a customer"))
        return None
    cid = _field(errors, "customer_id", parse_int, raw, "Customer", minimum=1, maximum=MAX_ID)
    if cid is None:
        return None
    row = conn.execute(select(customers).where(customers.c.id == cid)).first()
    if row is None:
        errors.append(FieldError("customer_id", f"Unknown customer {cid}"))
        return None
    # An inactive customer keeps the orders they have, but gets no new ones.
    if not row.active and (existing is None or existing.customer_id != cid):
        errors.append(FieldError("customer_id", f"Customer {row.name} is inactive"))
        return None
    return row


def _ordered_at(raw: Any, existing, errors: list[FieldError]) -> datetime:
    if is_blank(raw):
        return existing.ordered_at if existing is not None else now()
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        value = datetime.combine(raw, datetime.min.time())
    else:
        try:
            value = datetime.fromisoformat(str(raw).strip())
        except ValueError:
            errors.append(
                FieldError("ordered_at", "Enter the date as YYYY-MM-DD or YYYY-MM-DD HH:MM")
            )
            return now()
    if value.tzinfo is not None:
        # The store keeps local wall-clock times.
        value = value.astimezone().replace(tzinfo=None)
    if not 1900 <= value.year <= 2999:
        errors.append(FieldError("ordered_at", "The date must be between 1900 and 2999"))
    return value.replace(microsecond=0)


def costs_at_sale(conn: Connection, order_id: int) -> dict[int, tuple[int | None, int]]:
    """Per product of a stored order: its lines' cost (None when one has none) and units, so
    an edit keeps the cost the order was sold at."""
    rows = conn.execute(
        select(order_lines.c.product_id, order_lines.c.quantity, order_lines.c.cost_cents).where(
            order_lines.c.order_id == order_id
        )
    )
    sold: dict[int, tuple[int | None, int]] = {}
    for product_id, quantity, cost in rows:
        total, units = sold.get(product_id, (0, 0))
        sold[product_id] = (
            None if total is None or cost is None else total + cost,
            units + quantity,
        )
    return sold


def _line_cost(product, quantity: int, sold: tuple[int | None, int] | None) -> int | None:
    """A line's cost: the product's cost at the time of sale x quantity. A product the order
    already had keeps the unit cost it was sold at (rounded half up to the cent); a new one
    takes the catalog's cost now; None where the cost is unknown."""
    if sold is not None and sold[1] > 0:
        cost, units = sold
        return None if cost is None else (2 * cost * quantity + units) // (2 * units)
    return None if product.cost_cents is None else product.cost_cents * quantity


def _lines(
    conn: Connection,
    drafts,
    held: dict[int, int],
    sold: dict[int, tuple[int | None, int]],
    errors: list[FieldError],
) -> list[PricedLine] | None:
    drafts = list(drafts or ())
    if not drafts:
        errors.append(FieldError("lines", "Add at least one line"))
        return None
    if len(drafts) > MAX_LINES:
        errors.append(FieldError("lines", f"An order can have at most {MAX_LINES} lines"))
        return None
    catalog = _products(conn, drafts)
    priced: list[PricedLine] = []
    for i, line in enumerate(drafts):
        product = _product(line, catalog, held, errors, i)
        quantity = _field(
            errors, "quantity", parse_int, line.quantity, "Quantity", line=i, minimum=1
        )
        price = _unit_price(line, product, errors, i)
        discount = _field(
            errors, "discount_pct", parse_percent_bp, line.discount_pct, "Discount", line=i
        )
        if product is None or quantity is None or price is None or discount is None:
            continue
        priced.append(
            PricedLine(
                product_id=product.id,
                sku=product.sku,
                product_name=product.name,
                category=product.category,
                quantity=quantity,
                unit_price_cents=price,
                discount_bp=discount,
                amount_cents=line_amount_cents(quantity, price, discount),
                cost_cents=_line_cost(product, quantity, sold.get(product.id)),
            )
        )
    return priced if len(priced) == len(drafts) else None


def _products(conn: Connection, drafts: list[LineDraft]) -> dict[int | str, Any]:
    """The catalog rows the lines name, keyed by id and by SKU (one query)."""
    ids = [
        d.product for d in drafts if isinstance(d.product, int) and not isinstance(d.product, bool)
    ]
    skus = [d.product.strip() for d in drafts if isinstance(d.product, str) and d.product.strip()]
    if not ids and not skus:
        return {}
    rows = conn.execute(
        select(products).where(or_(products.c.id.in_(ids), products.c.sku.in_(skus)))
    ).all()
    found: dict[int | str, Any] = {}
    for row in rows:
        found[row.id] = row
        found[row.sku] = row
    return found


def _product(line: LineDraft, catalog, held: dict[int, int], errors: list[FieldError], i: int):
    key = line.product.strip() if isinstance(line.product, str) else line.product
    if key is None or key == "" or isinstance(key, bool):
        errors.append(FieldError("product", "Choose a product", i))
        return None
    row = catalog.get(key)
    if row is None:
        errors.append(FieldError("product", f"Unknown product {key!r}", i))
        return None
    # Lines the order already has may keep a product retired since; new ones may not.
    if not row.active and row.id not in held:
        errors.append(FieldError("product", f"{row.name} is inactive and cannot be ordered", i))
        return None
    return row


def _unit_price(line: LineDraft, product, errors: list[FieldError], i: int) -> int | None:
    if line.unit_price_cents is not None:
        cents = line.unit_price_cents
        if isinstance(cents, bool) or not isinstance(cents, int):
            errors.append(FieldError("unit_price", "Unit price must be a number, e.g. 12.50", i))
            return None
        if not 0 <= cents <= MAX_MONEY_CENTS:
            errors.append(FieldError("unit_price", "Unit price must be 0 or more", i))
            return None
        return cents
    if is_blank(line.unit_price):
        # Prefilled from the catalog when the associate leaves it empty.
        return product.list_price_cents if product is not None else None
    return _field(errors, "unit_price", parse_money_cents, line.unit_price, "Unit price", line=i)


def _check_stock(
    conn: Connection,
    draft: OrderDraft,
    lines: list[PricedLine],
    held: dict[int, int],
    errors: list[FieldError],
) -> None:
    """Refuse more units than are in stock (plus what this order already holds)."""
    wanted: dict[int, int] = {}
    first_line: dict[int, int] = {}
    for i, line in enumerate(lines):
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
        first_line.setdefault(line.product_id, i)
    rows = conn.execute(
        select(
            products.c.id, products.c.name, products.c.stock_on_hand, products.c.allow_backorder
        ).where(products.c.id.in_(list(wanted)))
    )
    for pid, name, stock, backorder in rows:
        available = max(stock, 0) + held.get(pid, 0)
        if not backorder and wanted[pid] > available:
            errors.append(FieldError("quantity", only_left(available, name), first_line[pid]))


def only_left(available: int, product_name: str) -> str:
    """The message for an order that wants more than the stock."""
    return f"Only {available:,} left of {product_name}"
