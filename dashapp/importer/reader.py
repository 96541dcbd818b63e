"""Rows to orders: parse each row into canonical values, validate it, group lines into orders.

A row with a problem is rejected with its CSV line number and the reason, and so is every
other line of its order, so no half order is ever imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from dashapp.importer.dates import DateFormat
from dashapp.importer.errors import RowError
from dashapp.importer.formats import Layout
from dashapp.importer.report import Reject
from dashapp.importer.values import (
    bounded,
    parse_discount,
    parse_flag,
    parse_line_number,
    parse_money,
    parse_quantity,
    parse_status,
    to_cents,
)
from dashapp.store.models import Customer, Order, Product

DEFAULT_STATUS = "Shipped"
DEFAULT_CATEGORY = "Uncategorized"
# Customer columns a file may carry besides the name (same names as the model's columns).
CUSTOMER_DETAILS = (
    "contact_first_name", "contact_last_name", "phone", "address_line1", "address_line2",
    "city", "state", "postal_code", "country", "territory", "segment",
)  # fmt: skip
_TEXT_COLUMNS = {
    "order_id": Order.order_number,
    "customer": Customer.name,
    "customer_email": Customer.email,
    "sku": Product.sku,
    "product_name": Product.name,
    "category": Product.category,
    "sub_category": Product.sub_category,
    "payment_type": Order.payment_type,
    "channel": Order.channel,
    **{name: getattr(Customer, name) for name in CUSTOMER_DETAILS},
}
LIMITS = {name: col.property.columns[0].type.length for name, col in _TEXT_COLUMNS.items()}
_LABELS = {"order_id": "order id", "customer_email": "email", "sku": "product code"}
# A mapped column that must have a value on every row (blank is not "unknown").
_REQUIRED_WHEN_MAPPED = {"quantity", "line_number"}
T = TypeVar("T")


@dataclass(slots=True)
class CustomerData:
    name: str
    email: str | None
    details: dict[str, str]

    @property
    def key(self) -> tuple[str, str]:
        """Customers are the same when their emails match, or (without email) their names."""
        return ("email", self.email) if self.email else ("name", self.name)


@dataclass(slots=True)
class LineData:
    csv_line: int
    line_number: int | None
    sku: str
    product_name: str
    category: str
    sub_category: str | None
    msrp_cents: int | None
    quantity: int
    unit_price_cents: int
    discount_bp: int
    amount_cents: int
    # Optional per-line facts of retail exports (issue 21 #13); None when the file lacks them.
    cost_cents: int | None = None  # amount - profit when the file gives a profit column
    ship_date: date | None = None
    ship_mode: str | None = None


@dataclass(slots=True)
class OrderData:
    order_number: str
    ordered_at: datetime
    status: str
    country: str | None
    customer: CustomerData
    payment_type: str | None
    channel: str | None
    promo: bool
    lines: list[LineData]
    # Where this order was shipped and the customer's segment as written on it (issue 21 #14);
    # the customer record keeps its first row's values, these keep each order's own.
    ship_region: str | None = None
    ship_state: str | None = None
    ship_city: str | None = None
    ship_postal_code: str | None = None
    segment: str | None = None

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


@dataclass
class ReadResult:
    orders: list[OrderData]
    rejects: list[Reject]
    rows_read: int


@dataclass
class _Group:
    """The rows of one order seen so far."""

    first: OrderData | None = None
    first_line: int = 0
    csv_lines: list[int] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    numbers: dict[int, int] = field(default_factory=dict)  # line number -> CSV line


def _order_number(values: list[str], layout: Layout) -> str | None:
    i = layout.indexes["order_id"]
    return values[i].strip() or None if i < len(values) else None


def read_orders(
    rows: Iterable[tuple[int, list[str]]], layout: Layout, date_format: DateFormat | None
) -> ReadResult:
    """Parse and validate every row; complete orders come back, the rest as rejects."""
    groups: dict[str, _Group] = {}
    rejects: list[Reject] = []
    count = 0
    for csv_line, values in rows:
        count += 1
        order, errors = _parse_row(values, layout, date_format, csv_line)
        number = order.order_number if order else _order_number(values, layout)
        if not number:
            rejects.append(Reject(csv_line, "; ".join(errors) or "missing order id"))
            continue
        group = groups.setdefault(number, _Group())
        group.csv_lines.append(csv_line)
        if order is not None:
            errors += _conflicts(order, group)
        if errors:
            group.errors.append((csv_line, "; ".join(errors)))
        elif group.first is None:
            group.first, group.first_line = order, csv_line
        else:
            group.first.lines.extend(order.lines)
    orders: list[OrderData] = []
    for number, group in groups.items():
        if group.errors:
            rejects += _rejected_order(number, group)
        else:
            orders.append(_numbered(group.first))
    rejects.sort(key=lambda r: r.line)
    return ReadResult(orders, rejects, count)


class _Row:
    """One CSV row being read; every problem found is added to `errors`."""

    def __init__(self, values: list[str], layout: Layout, csv_line: int) -> None:
        self.values, self.layout, self.csv_line = values, layout, csv_line
        self.errors: list[str] = []

    def has(self, name: str) -> bool:
        return name in self.layout.indexes

    def cell(self, name: str) -> str | None:
        """The stripped value of a field's column; None when unmapped or blank."""
        i = self.layout.indexes.get(name)
        if i is None or i >= len(self.values):
            return None
        return self.values[i].strip() or None

    def text(self, name: str, required: bool = False) -> str | None:
        """Bounded text (the limit of the column it is stored in)."""
        if not required and name not in self.layout.indexes:
            return None  # the common case for the optional customer columns: keep it cheap
        raw = self.cell(name)
        label = _LABELS.get(name, name.replace("_", " "))
        if raw is None:
            if required:
                self.errors.append(f"missing {label}")
            return None
        try:
            return bounded(raw, label, LIMITS[name])
        except RowError as exc:
            self.errors.append(str(exc))
            return None

    def parsed(self, name: str, parse: Callable[[str], T], default: T | None = None) -> T | None:
        """A parsed value, `default` when blank; a blank in a column that needs a value is
        an error."""
        raw = self.cell(name)
        if raw is None:
            if self.has(name) and name in _REQUIRED_WHEN_MAPPED:
                self.errors.append(f"missing {_LABELS.get(name, name.replace('_', ' '))}")
            return default
        try:
            return parse(raw)
        except RowError as exc:
            self.errors.append(str(exc))
            return default


def _parse_row(
    values: list[str], layout: Layout, date_format: DateFormat | None, csv_line: int
) -> tuple[OrderData | None, list[str]]:
    """The row as a one-line order, or None with the list of its problems."""
    if len(values) > layout.width:
        # More values than columns: an unquoted delimiter shifted the row, so none is trusted.
        return None, [f"the row has {len(values)} values but the header has {layout.width} columns"]
    row = _Row(values, layout, csv_line)
    number = row.text("order_id", required=True)
    ordered_at = _order_date(row.cell("order_date"), date_format, row.errors)
    customer_name = row.text("customer", required=True)
    email = row.text("customer_email")
    if email and "@" not in email:
        row.errors.append(f"email {email!r} is not an email address")
    details = {k: v for k in CUSTOMER_DETAILS if (v := row.text(k)) is not None}
    status = row.parsed("status", parse_status, DEFAULT_STATUS)
    promo = row.parsed("promo", lambda s: parse_flag(s, "promo flag"), False)
    payment_type, channel = row.text("payment_type"), row.text("channel")
    line = _line(row)
    if row.errors or line is None:
        return None, row.errors
    customer = CustomerData(customer_name, email, details)
    order = OrderData(
        number, ordered_at, status, details.get("country"), customer,
        payment_type, channel, promo, [line],
    )  # fmt: skip
    return order, []


def _order_date(raw: str | None, date_format: DateFormat | None, errors: list[str]):
    if raw is None:
        errors.append("missing order date")
        return None
    parsed = date_format.parse(raw) if date_format else None
    if parsed is None:
        expected = f" (this file's dates are {date_format.name})" if date_format else ""
        errors.append(f"order date {raw!r} is not a date{expected}")
    return parsed


def _line(row: _Row) -> LineData | None:
    """The order line of a row, or None when it has problems (added to `row.errors`)."""
    category = row.text("category") or DEFAULT_CATEGORY
    if row.layout.per_order:
        # One order of one line; the product stands for the category (SKU "CAT-<CATEGORY>").
        sku, name, quantity = _category_sku(category), category, 1
    else:
        sku, name = row.text("sku"), row.text("product_name")
        if sku is None and name is not None and len(name) <= LIMITS["sku"]:
            sku = name  # no code column: the name is the code
        if sku is None and name is None:
            row.errors.append("missing product")
        elif sku is None:
            row.errors.append(f"product name is too long to serve as code (> {LIMITS['sku']})")
        name = name or sku
        # Without a quantity column each row is one unit at the line amount.
        quantity = row.parsed("quantity", parse_quantity, None if row.has("quantity") else 1)
    line_number = row.parsed("line_number", parse_line_number)
    discount_bp = row.parsed("discount", parse_discount, 0)
    price = row.parsed("unit_price", lambda s: parse_money(s, "unit price"))
    amount = row.parsed("amount", lambda s: parse_money(s, "amount"))
    msrp = row.parsed("msrp", lambda s: parse_money(s, "MSRP"))
    if amount is None and price is None and not row.errors:
        row.errors.append(
            "missing amount" if row.layout.per_order else "missing amount and unit price"
        )
    if row.errors:
        return None
    factor = Decimal(10000 - discount_bp) / 10000
    if amount is None:
        amount = price * quantity * factor
    if price is None:
        # Only the line amount is known: the price before discount that gives it.
        price = amount / (quantity * factor) if factor else Decimal(0)
    return LineData(
        row.csv_line, line_number, sku, name, category, row.text("sub_category"),
        None if msrp is None else to_cents(msrp),
        quantity, to_cents(price), discount_bp, to_cents(amount),
    )  # fmt: skip


def _category_sku(category: str) -> str:
    slug = re.sub(r"[^0-9A-Z]+", "-", category.upper()).strip("-") or "UNCATEGORIZED"
    return f"CAT-{slug}"[: LIMITS["sku"]]


def _conflicts(order: OrderData, group: _Group) -> list[str]:
    """Disagreements between this row and the first good line of the same order."""
    first = group.first
    if first is None:
        return _duplicate_line(order, group)
    where = f"line {group.first_line} of the same order"
    problems = []
    if order.ordered_at != first.ordered_at:
        problems.append(
            f"order date {_when(order.ordered_at)} differs from {where} ({_when(first.ordered_at)})"
        )
    if order.customer.key != first.customer.key:
        problems.append(
            f"customer {order.customer.name!r} differs from {where} ({first.customer.name!r})"
        )
    if order.status != first.status:
        problems.append(f"status {order.status!r} differs from {where} ({first.status!r})")
    if order.country != first.country:
        problems.append(f"country {order.country!r} differs from {where} ({first.country!r})")
    return problems + _duplicate_line(order, group)


def _duplicate_line(order: OrderData, group: _Group) -> list[str]:
    number = order.lines[0].line_number
    if number is None:
        return []
    if number in group.numbers:
        return [f"line number {number} of order {order.order_number} already on line "
                f"{group.numbers[number]}"]  # fmt: skip
    group.numbers[number] = order.lines[0].csv_line
    return []


def _when(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="minutes").removesuffix(" 00:00")


def _rejected_order(number: str, group: _Group) -> list[Reject]:
    bad = [line for line, _ in group.errors]
    if len(group.csv_lines) == 1:
        return [Reject(line, reason) for line, reason in group.errors]
    out = [
        Reject(line, f"{reason} (so order {number} is not imported)")
        for line, reason in group.errors
    ]
    shown = ", ".join(str(n) for n in bad[:5]) + (", ..." if len(bad) > 5 else "")
    why = f"order {number} is not imported because line {shown} was rejected"
    out += [Reject(line, why) for line in group.csv_lines if line not in set(bad)]
    return out


def _numbered(order: OrderData) -> OrderData:
    """Lines in line-number order; numbered in file order when the file has no numbers."""
    if order.lines[0].line_number is None:
        for n, line in enumerate(order.lines, start=1):
            line.line_number = n
    else:
        order.lines.sort(key=lambda line: line.line_number)
    return order
