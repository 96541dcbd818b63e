"""Rows to orders, column by column: every cell of a column is read with the column's one
decided format, each distinct value once; then the rows are grouped into orders.

A row with a problem is rejected with its CSV line number and the reason, and so is every
other line of its order, so no half order is ever imported. Rows that repeat an earlier row of
the same order exactly are found here too (see `read_orders`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from dashapp.importer.dates import DateFormat
from dashapp.importer.errors import NeedsAnswer, RowError
from dashapp.importer.formats import NO_CUSTOMER, Layout
from dashapp.importer.numbers import NumberFormat
from dashapp.importer.report import Reject
from dashapp.importer.values import parse_flag, parse_line_number, parse_status, to_cents
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
    "ship_city": Customer.city,
    "ship_state": Customer.state,
    "ship_postal_code": Customer.postal_code,
    "ship_region": Customer.territory,
}
LIMITS = {name: col.property.columns[0].type.length for name, col in _TEXT_COLUMNS.items()}
LIMITS["ship_mode"] = 50
_LABELS = {"order_id": "order id", "customer_email": "email", "sku": "product code"}
NUMBER_FIELDS = ("quantity", "unit_price", "amount", "discount", "msrp", "cost", "profit")
_NUMBER_LABELS = {"unit_price": "unit price", "msrp": "MSRP"}
US_NUMBERS = NumberFormat(".", ",")
# "917 1st St, Dallas, TX 75001" (the street may be left out; ZIP+4 allowed).
_US_ADDRESS = re.compile(
    r"(?:(?P<street>.+?),\s*)?(?P<city>[^,\d][^,]*?),\s*(?P<state>[A-Z]{2})\s+"
    r"(?P<zip>\d{5}(?:-\d{4})?)"
)


# The key of an order's customer in a file imported without customers (--no-customers):
# the loader stores such orders without one (customer_id NULL), never as a customer.
NO_CUSTOMER_KEY = ("none", "")


@dataclass(slots=True)
class CustomerData:
    name: str
    email: str | None
    details: dict[str, str]
    known: bool = True  # False: the file has no customers (NO_CUSTOMER_KEY)

    @property
    def key(self) -> tuple[str, str]:
        """Customers are the same when their emails match, or (without email) their names."""
        if not self.known:
            return NO_CUSTOMER_KEY
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


@dataclass(frozen=True)
class ReadPlan:
    """How to read one file's cells, decided once for the whole file."""

    layout: Layout
    date_format: DateFormat | None = None
    numbers: dict[str, NumberFormat] = field(default_factory=dict)  # per number field
    duplicates: str = "keep"  # or "drop" exact duplicate rows
    no_customers: bool = False


@dataclass
class ReadResult:
    orders: list[OrderData]
    rejects: list[Reject]
    rows_read: int
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (line, line it repeats)
    duplicates_dropped: bool = False
    rounded_lines: int = 0  # line amounts with more than two decimals
    return_lines: int = 0  # lines with a negative quantity or amount (credit notes)
    rounding_cents: Decimal = Decimal(0)  # stored minus exact, in cents, over those lines
    addresses_parsed: int = 0


@dataclass
class _Group:
    """The rows of one order seen so far."""

    first: OrderData | None = None
    first_line: int = 0
    signature: tuple = ()
    csv_lines: list[int] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    numbers: dict[int, int] = field(default_factory=dict)  # line number -> CSV line


class _Bad:
    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


# A file's columns read with the same formats are kept between reads (`read_orders`' `kept`)
# up to this many entries, then forgotten all at once.
KEPT_COLUMNS = 400


class _Cells:
    """The file as columns of raw cells; every problem found is added to `errors[row]`.

    With `kept` (a dict kept for the file between reads), each field's column read with the
    same formats (`formats`) is taken from it, its problems added again in the same order."""

    def __init__(
        self,
        cells: list[list[str]],
        layout: Layout,
        kept: dict | None = None,
        formats: tuple = (),
        columns: list[tuple[str, ...]] | None = None,
    ) -> None:
        self.cells, self.layout, self.n = cells, layout, len(cells)
        self.errors: dict[int, list[str]] = {}
        self._columns: list[tuple[str, ...]] | None = columns
        self.kept, self.formats = kept, formats

    def has(self, name: str) -> bool:
        return name in self.layout.indexes

    def raw(self, name: str) -> tuple[str, ...]:
        if self._columns is None:
            self._columns = self.kept.get("columns") if self.kept is not None else None
            if self._columns is None:
                self._columns = list(zip(*self.cells, strict=True)) if self.cells else []
                if self.kept is not None:
                    self.kept["columns"] = self._columns
        return self._columns[self.layout.indexes[name]]

    def column(
        self,
        name: str,
        parse: Callable[[str], Any],
        default: Any = None,
        missing: str | None = None,
    ) -> list[Any]:
        """Each row's value of a field: `parse` of the stripped cell, `default` when the field
        is unmapped, blank or unreadable; a blank is an error when `missing` says so."""
        if name not in self.layout.indexes:
            return [default] * self.n
        key = (name, self.layout.indexes[name], self.formats, default, missing)
        hit = self.kept.get(key) if self.kept is not None else None
        if hit is not None:
            values, problems = hit
            for row, message in problems:
                self.errors.setdefault(row, []).append(message)
            return list(values)  # the caller may change its copy (_products does)
        raw = self.raw(name)
        read: dict[str, Any] = {}
        bad = False
        for cell in set(raw):
            text = cell.strip()
            if not text:
                read[cell] = _Bad(missing) if missing else default
                bad = bad or missing is not None
                continue
            try:
                read[cell] = parse(text)
            except RowError as exc:
                read[cell] = _Bad(str(exc))
                bad = True
        values = list(map(read.__getitem__, raw))
        problems = []
        if bad:
            for row, value in enumerate(values):
                if type(value) is _Bad:
                    self.errors.setdefault(row, []).append(value.message)
                    problems.append((row, value.message))
                    values[row] = default
        if self.kept is not None:
            if len(self.kept) >= KEPT_COLUMNS:
                self.kept.clear()
            self.kept[key] = (list(values), problems)
        return values

    def text(self, name: str, required: bool = False, default: str | None = None) -> list:
        """Bounded text (the limit of the column it is stored in), kept verbatim."""
        label = _LABELS.get(name, name.replace("_", " "))
        limit = LIMITS[name]

        def bounded(text: str) -> str:
            if len(text) > limit:
                raise RowError(
                    f"{label} is {len(text)} characters long; at most {limit} are allowed"
                )
            return text

        missing = f"missing {label}" if required else None
        if required and not self.has(name):
            return self._all_missing(missing)
        return self.column(name, bounded, default, missing)

    def _all_missing(self, message: str) -> list[None]:
        for row in range(self.n):
            self.errors.setdefault(row, []).append(message)
        return [None] * self.n

    def add(self, rows: Iterable[int], message: str | Callable[[int], str]) -> None:
        for row in rows:
            text = message(row) if callable(message) else message
            self.errors.setdefault(row, []).append(text)


def transposed(rows: Iterable[tuple[int, list[str]]], width: int) -> list[tuple[str, ...]]:
    """The rows' cells column by column, each row cut or padded with blanks to `width`
    (as `read_orders` reads them)."""
    cells = [
        values if len(values) == width else (values + [""] * width)[:width] for _, values in rows
    ]
    return list(zip(*cells, strict=True)) if cells else [()] * width


def read_orders(
    rows: Iterable[tuple[int, list[str]]],
    plan: ReadPlan,
    kept: dict | None = None,
    columns: list[tuple[str, ...]] | None = None,
) -> ReadResult:
    """Parse and validate every row; complete orders come back, the rest as rejects.

    `kept`: a dict the caller keeps for these rows between reads (the upload page reads a
    file again for every mapping or answer): the columns it read before with the same formats
    are taken from it, so a changed mapping reads only the columns it changes. `columns`:
    the rows' `transposed` cells, when the caller has them already.

    Exact duplicates (a row equal, in every column the import reads, to an earlier row of the
    same order) are kept or dropped as `plan.duplicates` says, and listed in the result. The
    pipeline asks (`duplicates_question`) when the user has not said: either silent choice is
    wrong for some files (a till that scanned an item twice sold it twice; an export that wrote
    a row twice did not), and the revenue differs by their amount.
    """
    layout = plan.layout
    width = layout.width
    csv_lines: list[int] = []
    cells: list[list[str]] = []
    too_wide: dict[int, str] = {}
    for csv_line, values in rows:
        if len(values) != width:
            if len(values) > width:
                # An unquoted delimiter shifted the row, so none of its values is trusted.
                too_wide[len(cells)] = (
                    f"the row has {len(values)} values but the header has {width} columns"
                )
                values = values[:width]
            else:
                values = values + [""] * (width - len(values))
        csv_lines.append(csv_line)
        cells.append(values)
    formats = (plan.date_format, tuple(sorted(plan.numbers.items())))
    table = _Cells(cells, layout, kept, formats, columns)
    columns = _read_columns(table, plan)
    for row, message in too_wide.items():
        table.errors[row] = [message]
    duplicates = _duplicates(table, plan)
    result = _group(table, columns, csv_lines, duplicates, plan)
    result.duplicates = [(csv_lines[r], csv_lines[first]) for r, first in duplicates.items()]
    result.duplicates_dropped = plan.duplicates == "drop"
    return result


def _read_columns(t: _Cells, plan: ReadPlan) -> dict[str, list]:
    """Every field's column of values, errors recorded in the order the reasons are given."""
    layout, fmt = plan.layout, plan.date_format
    number = {
        f: plan.numbers.get(f, US_NUMBERS).parser(_NUMBER_LABELS.get(f, f)) for f in NUMBER_FIELDS
    }
    c: dict[str, list] = {}
    c["order_id"] = t.text("order_id", required=True)
    c["order_key"] = [s.strip() for s in t.raw("order_id")] if t.has("order_id") else [""] * t.n
    c["ordered_at"] = (
        t.column("order_date", _date_reader(fmt, "order date"), missing="missing order date")
        if t.has("order_date")
        else t._all_missing("missing order date")
    )
    c["customer_known"] = not (plan.no_customers and not t.has("customer"))
    c["customer"] = (
        t.text("customer", required=True) if c["customer_known"] else [NO_CUSTOMER] * t.n
    )
    c["email"] = t.column("customer_email", _email)
    for name in CUSTOMER_DETAILS:
        c[name] = t.text(name) if t.has(name) else None
    c["status"] = t.column("status", parse_status, DEFAULT_STATUS)
    c["promo"] = t.column("promo", lambda s: parse_flag(s, "promo flag"), False)
    c["payment_type"], c["channel"] = t.text("payment_type"), t.text("channel")
    c["category"] = t.text("category", default=DEFAULT_CATEGORY)
    if layout.per_order:
        c["sku"] = [_category_sku(cat or DEFAULT_CATEGORY) for cat in c["category"]]
        c["product_name"] = c["category"]
        c["quantity"] = [1] * t.n
    else:
        c["sku"], c["product_name"] = _products(t)
        quantity = _quantity_reader(number["quantity"])
        c["quantity"] = t.column(
            "quantity", quantity, None if t.has("quantity") else 1, "missing quantity"
        )
    c["line_number"] = t.column("line_number", parse_line_number, None, "missing line number")
    c["discount_bp"] = t.column("discount", _discount_reader(number["discount"]), 0)
    # Signed: a negative price, amount or cost is a credit note's (see _as_return).
    c["price"] = t.column(
        "unit_price", _money_reader(number["unit_price"], "unit price", signed=True)
    )
    c["amount"] = t.column("amount", _money_reader(number["amount"], "amount", signed=True))
    c["msrp"] = t.column("msrp", _money_reader(number["msrp"], "MSRP"))
    neither = "missing amount" if layout.per_order else "missing amount and unit price"
    amount, price = c["amount"], c["price"]
    t.add(
        [r for r in range(t.n) if amount[r] is None and price[r] is None and r not in t.errors],
        neither,
    )
    c["cost"] = t.column("cost", _money_reader(number["cost"], "cost", signed=True))
    c["profit"] = t.column("profit", _money_reader(number["profit"], "profit", signed=True))
    c["ship_date"] = t.column("ship_date", _date_reader(fmt, "ship date", as_date=True))
    for name in ("ship_mode", "ship_city", "ship_state", "ship_postal_code", "ship_region"):
        c[name] = t.text(name) if t.has(name) else None
    c["sub_category"] = t.text("sub_category")
    return c


def _products(t: _Cells) -> tuple[list, list]:
    sku, name = t.text("sku"), t.text("product_name")
    limit = LIMITS["sku"]
    for row in range(t.n):
        if sku[row] is None:
            if name[row] is not None and len(name[row]) <= limit:
                sku[row] = name[row]  # no code column: the name is the code
            elif name[row] is None:
                t.add([row], "missing product")
            else:
                t.add([row], f"product name is too long to serve as code (> {limit})")
        if name[row] is None:
            name[row] = sku[row]
    return sku, name


def _email(text: str) -> str:
    if len(text) > LIMITS["customer_email"]:
        raise RowError(
            f"email is {len(text)} characters long; at most {LIMITS['customer_email']} are allowed"
        )
    if "@" not in text:
        raise RowError(f"email {text!r} is not an email address")
    return text


def _date_reader(fmt: DateFormat | None, what: str, as_date: bool = False):
    expected = f" (this file's dates are {fmt.name})" if fmt else ""

    def read(text: str):
        parsed = fmt.parse(text) if fmt else None
        if parsed is None:
            raise RowError(f"{what} {text!r} is not a date{expected}")
        return parsed.date() if as_date else parsed

    return read


class Money(NamedTuple):
    """An amount read from a cell: exact, in cents (rounded half-up), what rounding added
    (stored minus exact, in cents; 0 when exact), and in ten-thousandths when that is whole."""

    exact: Decimal
    cents: int
    residual: Decimal | int
    units: int | None

    @classmethod
    def of(cls, exact: Decimal) -> Money:
        scaled = exact.scaleb(2)
        whole = int(scaled)
        if whole == scaled:
            return cls(exact, whole, 0, whole * 100)
        cents = int(scaled.quantize(_ONE, ROUND_HALF_UP))
        units = exact.scaleb(4)
        return cls(exact, cents, cents - scaled, int(units) if units == int(units) else None)


def _money_reader(number: Callable[[str], Decimal], what: str, signed: bool = False):
    def read(text: str) -> Money:
        value = number(text)
        if value < 0 and not signed:
            raise RowError(f"{what} {text} is negative")
        return Money.of(value)

    return read


def _quantity_reader(number: Callable[[str], Decimal]):
    def read(text: str) -> int:
        try:
            value = number(text)
        except RowError:
            value = None
        # A negative quantity is a return (a credit note); nothing is sold in 0 units.
        if value is None or value == 0 or value != value.to_integral_value():
            raise RowError(f"quantity {text!r} is not a whole number other than 0")
        return int(value)

    return read


def _discount_reader(number: Callable[[str], Decimal]):
    """A discount as basis points: '0.1', '10%' and '10' all mean 10 % (1000 bp)."""

    def read(text: str) -> int:
        value = number(text.removesuffix("%").strip())
        if text.endswith("%") or value > 1:
            value = value / 100
        if not 0 <= value <= 1:
            raise RowError(f"discount {text!r} is not between 0 and 100 %")
        return to_cents(value * 100)

    return read


def _duplicates(t: _Cells, plan: ReadPlan) -> dict[int, int]:
    """Rows (without errors) equal to an earlier row in every mapped column -> that row."""
    names = sorted(set(plan.layout.indexes), key=plan.layout.indexes.__getitem__)
    keys = zip(*(t.raw(name) for name in names), strict=True)
    first: dict[Any, int] = {}
    found: dict[int, int] = {}
    errors = t.errors
    for row, key in enumerate(keys):
        if row in errors:
            continue
        earlier = first.setdefault(key, row)
        if earlier != row:
            found[row] = earlier
    return found


def duplicates_question(result: ReadResult) -> NeedsAnswer:
    """The question exact duplicates raise when the user has not said keep or drop."""
    found = result.duplicates
    shown = ", ".join(f"line {line} repeats line {first}" for line, first in found[:3])
    shown += ", ..." if len(found) > 3 else ""
    return NeedsAnswer(
        f"{len(found):,} {'rows repeat' if len(found) > 1 else 'row repeats'} an earlier "
        f"row of the same order in every column ({shown}). Keep them (separate sales of the "
        "same item) or drop them (the export wrote them twice)?",
        "--duplicates",
        ("keep", "drop"),
    )


def _group(
    t: _Cells,
    c: dict[str, list],
    csv_lines: list[int],
    duplicates: dict[int, int],
    plan: ReadPlan,
) -> ReadResult:
    groups: dict[str, _Group] = {}
    rejects: list[Reject] = []
    errors = t.errors
    drop = plan.duplicates == "drop"
    details_of = _Details(t, c)
    result = ReadResult([], rejects, t.n)
    none = [None] * t.n
    rows = zip(
        csv_lines, c["order_key"], c["ordered_at"], c["email"], c["customer"], c["status"],
        c["country"] or none, c["line_number"], c["sku"], c["product_name"], c["category"],
        c["sub_category"], c["quantity"], c["discount_bp"], c["price"], c["amount"],
        c["msrp"], c["cost"], c["profit"],
        c["ship_date"], c["ship_mode"] or none, strict=True,
    )  # fmt: skip
    for row, (
        csv_line, number, ordered_at, email, customer, status, country, line_number, sku, name,
        category, sub_category, quantity, discount_bp, price, amount, msrp, cost, profit,
        ship_date, ship_mode,
    ) in enumerate(rows):  # fmt: skip
        if drop and row in duplicates:
            continue
        row_errors = errors.get(row)
        if not number:
            rejects.append(Reject(csv_line, "; ".join(row_errors or ["missing order id"])))
            continue
        group = groups.get(number)
        if group is None:
            group = groups[number] = _Group()
        group.csv_lines.append(csv_line)
        if row_errors:
            group.errors.append((csv_line, "; ".join(row_errors)))
            continue
        # A credit note's line: a negative quantity, amount or price (spelled out: this runs
        # once per line).
        if (
            quantity < 0
            or (price is not None and price.exact < 0)
            or (amount is not None and amount.exact < 0)
        ):
            quantity, price, amount, cost = _as_return(quantity, price, amount, cost)
            result.return_lines += 1
        elif cost is not None and cost.exact < 0:
            group.errors.append((csv_line, f"cost {cost.exact} is negative on a sale"))
            continue
        if amount is None:
            amount = Money.of(price.exact * quantity * (10000 - discount_bp) / 10000)
        if amount.residual:
            result.rounded_lines += 1
            result.rounding_cents += amount.residual
        amount_cents = amount.cents
        price_cents = _price_cents(amount, quantity, discount_bp) if price is None else price.cents
        if cost is not None:
            cost_cents = cost.cents
        elif profit is not None:
            cost_cents = amount_cents - profit.cents  # cost = amount - profit
        else:
            cost_cents = None
        # A kept duplicate (line number None) is numbered after the order's lines.
        line = LineData(
            csv_line, None if row in duplicates else line_number, sku, name,
            category or DEFAULT_CATEGORY, sub_category, msrp and msrp.cents, quantity,
            price_cents, discount_bp, amount_cents, cost_cents, ship_date, ship_mode,
        )  # fmt: skip
        who = ("email", email) if email else ("name", customer)
        signature = (ordered_at, who, status, country)
        if group.first is None:
            problems = _duplicate_line(number, line, group)
        else:
            problems = []
            if signature != group.signature:
                problems = _conflicts(signature, group, customer)
            problems += _duplicate_line(number, line, group)
        if problems:
            group.errors.append((csv_line, "; ".join(problems)))
        elif group.first is None:
            group.first = _order(c, row, number, line, details_of(row))
            group.first_line, group.signature = csv_line, signature
        else:
            group.first.lines.append(line)
    for number, group in groups.items():
        if group.errors:
            rejects += _rejected_order(number, group)
        elif group.first is not None:
            result.orders.append(_numbered(group.first))
    rejects.sort(key=lambda r: r.line)
    result.addresses_parsed = details_of.parsed
    return result


_ONE = Decimal(1)


def _as_return(quantity: int, price: Money | None, amount: Money | None, cost: Money | None):
    """A return as stored (SPEC §2): negative units, amount and cost, the item's price >= 0,
    whichever of them the file wrote negative."""

    def negative(m: Money | None) -> Money | None:
        return None if m is None else Money.of(-abs(m.exact))

    positive = None if price is None else Money.of(abs(price.exact))
    return -abs(quantity), positive, negative(amount), negative(cost)


def _price_cents(amount: Money, quantity: int, discount_bp: int) -> int:
    """The price before discount that gives the line amount, in cents, rounded half-up."""
    if discount_bp >= 10000:
        return 0
    if amount.units is None or amount.units < 0:
        return Money.of(amount.exact / (quantity * Decimal(10000 - discount_bp) / 10000)).cents
    # price = amount / (quantity x (10000 - bp) / 10000); in cents, in integers:
    numerator, denominator = amount.units * 100, quantity * (10000 - discount_bp)
    return (2 * numerator + denominator) // (2 * denominator)


class _Details:
    """A row's customer details, the address column split into city, state and postal code
    when it reads like a US address and the file has no such columns of its own."""

    def __init__(self, t: _Cells, c: dict[str, list]) -> None:
        self.columns = [(name, c[name]) for name in CUSTOMER_DETAILS if c[name] is not None]
        self.split = c["address_line1"] is not None and not any(
            t.has(n) for n in ("city", "state", "postal_code")
        )
        self.addresses: dict[str, dict[str, str] | None] = {}
        self.parsed = 0

    def __call__(self, row: int) -> dict[str, str]:
        details = {name: v for name, values in self.columns if (v := values[row]) is not None}
        if self.split and "address_line1" in details:
            parts = self._address(details["address_line1"])
            if parts:
                details.update(parts)
                self.parsed += 1
        return details

    def _address(self, text: str) -> dict[str, str] | None:
        if text not in self.addresses:
            m = _US_ADDRESS.fullmatch(text)
            parts = None
            if m and len(m["city"]) <= LIMITS["city"]:
                parts = {"city": m["city"].strip(), "state": m["state"], "postal_code": m["zip"]}
                if m["street"]:
                    parts["address_line1"] = m["street"].strip()
                else:
                    parts["address_line1"] = text
            self.addresses[text] = parts
        return self.addresses[text]


def _order(c: dict[str, list], row: int, number: str, line: LineData, details: dict) -> OrderData:
    email = c["email"][row]
    customer = CustomerData(c["customer"][row], email, details, c["customer_known"])

    def pick(own: str, fallback: str) -> str | None:
        values = c[own]
        return (
            values[row] if values is not None and values[row] is not None else details.get(fallback)
        )

    return OrderData(
        number, c["ordered_at"][row], c["status"][row], details.get("country"), customer,
        c["payment_type"][row], c["channel"][row], c["promo"][row], [line],
        ship_region=pick("ship_region", "territory"), ship_state=pick("ship_state", "state"),
        ship_city=pick("ship_city", "city"),
        ship_postal_code=pick("ship_postal_code", "postal_code"),
        segment=details.get("segment"),
    )  # fmt: skip


def _category_sku(category: str) -> str:
    slug = re.sub(r"[^0-9A-Z]+", "-", category.upper()).strip("-") or "UNCATEGORIZED"
    return f"CAT-{slug}"[: LIMITS["sku"]]


def _conflicts(signature: tuple, group: _Group, customer: str | None) -> list[str]:
    """Disagreements between this row and the first good line of the same order."""
    first = group.first
    assert first is not None
    ordered_at, who, status, country = signature
    where = f"line {group.first_line} of the same order"
    problems = []
    if ordered_at != first.ordered_at:
        problems.append(
            f"order date {_when(ordered_at)} differs from {where} ({_when(first.ordered_at)})"
        )
    if who != group.signature[1]:
        problems.append(f"customer {customer!r} differs from {where} ({first.customer.name!r})")
    if status != first.status:
        problems.append(f"status {status!r} differs from {where} ({first.status!r})")
    if country != first.country:
        problems.append(f"country {country!r} differs from {where} ({first.country!r})")
    return problems


def _duplicate_line(number: str, line: LineData, group: _Group) -> list[str]:
    if line.line_number is None:
        return []
    if line.line_number in group.numbers:
        return [f"line number {line.line_number} of order {number} already on line "
                f"{group.numbers[line.line_number]}"]  # fmt: skip
    group.numbers[line.line_number] = line.csv_line
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
    """Lines in line-number order; numbered in file order when the file has no numbers, and a
    kept duplicate after the numbered lines."""
    numbered = [line for line in order.lines if line.line_number is not None]
    if not numbered:
        for n, line in enumerate(order.lines, start=1):
            line.line_number = n
        return order
    numbered.sort(key=lambda line: line.line_number)
    extra = [line for line in order.lines if line.line_number is None]
    top = numbered[-1].line_number
    for n, line in enumerate(extra, start=top + 1):
        line.line_number = n
    order.lines = numbered + extra
    return order
