"""Reading one cell: money, quantities, discounts, statuses, flags and bounded text.

Each function returns the value or raises RowError with a sentence a person understands.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dashapp.importer.errors import RowError
from dashapp.store.models import ORDER_STATUSES
from dashapp.validation import InputError, parse_bool

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+")
_STATUSES = {re.sub(r"[^a-z]", "", s.lower()): s for s in ORDER_STATUSES}


def parse_decimal(text: str, what: str) -> Decimal:
    """A number as written in exports: '1234.5', '1,234.50', '1.234,50', '$12', '12,5'."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    s = s.lstrip("$€£¥")
    if "," in s and "." in s:
        # The later of the two separators is the decimal point.
        thousands = "." if s.rfind(",") > s.rfind(".") else ","
        s = s.replace(thousands, "").replace(",", ".")
    elif "," in s:
        s = s.replace(",", "") if _THOUSANDS.fullmatch(s) else s.replace(",", ".")
    if not _NUMBER.fullmatch(s):
        raise RowError(f"{what} {text.strip()!r} is not a number")
    try:
        return Decimal(s)
    except InvalidOperation:
        raise RowError(f"{what} {text.strip()!r} is not a number") from None


def parse_money(text: str, what: str) -> Decimal:
    """A non-negative amount of money (exact Decimal; rounded to the cent by `to_cents`)."""
    value = parse_decimal(text, what)
    if value < 0:
        raise RowError(f"{what} {text.strip()} is negative")
    return value


def to_cents(value: Decimal) -> int:
    """Round half-up to the cent, as integer cents."""
    return int((value * 100).quantize(Decimal(1), ROUND_HALF_UP))


def parse_quantity(text: str) -> int:
    """A positive whole number ('3' or '3.0')."""
    try:
        value = parse_decimal(text, "quantity")
    except RowError:
        value = None
    if value is None or value <= 0 or value != value.to_integral_value():
        raise RowError(f"quantity {text.strip()!r} is not a positive whole number")
    return int(value)


def parse_discount(text: str) -> int:
    """A discount as basis points: '0.1', '10%' and '10' all mean 10 % (1000 bp)."""
    s = text.strip()
    if not s:
        return 0
    value = parse_decimal(s.removesuffix("%"), "discount")
    if s.endswith("%") or value > 1:
        value = value / 100
    if not 0 <= value <= 1:
        raise RowError(f"discount {s!r} is not between 0 and 100 %")
    return int((value * 10000).quantize(Decimal(1), ROUND_HALF_UP))


def parse_status(text: str) -> str:
    """One of the seven order statuses, matched ignoring case, spaces and underscores."""
    status = _STATUSES.get(re.sub(r"[^a-z]", "", text.lower()))
    if status is None:
        raise RowError(
            f"unknown status {text.strip()!r} (expected one of {', '.join(ORDER_STATUSES)})"
        )
    return status


def parse_flag(text: str, what: str) -> bool:
    """A yes/no flag, read as every other surface reads one (dashapp.validation.parse_bool)."""
    try:
        return parse_bool(text, what)
    except InputError:
        raise RowError(f"{what} {text.strip()!r} is not yes/no (1/0, true/false)") from None


def parse_line_number(text: str) -> int:
    """An order line number: a positive whole number."""
    s = text.strip()
    if not s.isdigit() or int(s) <= 0:
        raise RowError(f"line number {s!r} is not a positive whole number")
    return int(s)


def bounded(text: str | None, what: str, limit: int) -> str | None:
    """Text kept verbatim (HTML or SQL included, it is only ever data), None when blank."""
    if text is None:
        return None
    s = text.strip()
    if not s:
        return None
    if len(s) > limit:
        raise RowError(f"{what} is {len(s)} characters long; at most {limit} are allowed")
    return s
