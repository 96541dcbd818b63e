"""Field-level validation shared by order entry and the catalog: typed errors that name the
offending field (and order line), and parsers that turn what a person typed into exact values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

# Keep products of quantity x price far inside BIGINT and quantities inside INTEGER.
MAX_QUANTITY = 1_000_000
MAX_MONEY_CENTS = 10_000_000_000  # 100 million in currency units
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FieldError:
    """One problem with one field; `line` is the 0-based order line index, None for the header."""

    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line + 1}, " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}"

    def as_json(self) -> dict:
        """The error as the UI and the API report it."""
        return {"field": self.field, "line": self.line, "message": self.message}


class ValidationError(ValueError):
    """Input refused; `errors` lists every problem. Nothing was written when it is raised."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)

    def for_field(self, field: str, line: int | None = None) -> list[FieldError]:
        """The errors of one field (of one line)."""
        return [e for e in self.errors if e.field == field and e.line == line]


class InputError(ValueError):
    """Raised by the parsers below with a message meant for the person who typed the value."""


def _decimal(raw: Any, label: str, example: str) -> Decimal:
    if isinstance(raw, bool):
        raise InputError(f"{label} must be a number, e.g. {example}")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        # str() gives the shortest repr (12.5, not 12.4999...), which is what was typed.
        value = Decimal(str(raw))
    elif isinstance(raw, str):
        text = raw.strip().replace(" ", "").lstrip("$€£")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InputError(f"{label} must be a number, e.g. {example}") from None
    else:
        raise InputError(f"{label} must be a number, e.g. {example}")
    if not value.is_finite():
        raise InputError(f"{label} must be a number, e.g. {example}")
    return value


def is_blank(raw: Any) -> bool:
    """True for None and strings of whitespace (an empty grid cell)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_int(raw: Any, label: str, *, minimum: int = 0, maximum: int = MAX_QUANTITY) -> int:
    """A whole number within [minimum, maximum]."""
    if is_blank(raw):
        raise InputError(f"{label} is required")
    value = _decimal(raw, label, "3")
    if value != value.to_integral_value():
        raise InputError(f"{label} must be a whole number")
    number = int(value)
    if number < minimum:
        bound = "greater than 0" if minimum == 1 else f"at least {minimum}"
        raise InputError(f"{label} must be {bound}")
    if number > maximum:
        raise InputError(f"{label} must be at most {maximum:,}")
    return number


def parse_money_cents(raw: Any, label: str) -> int:
    """An amount in currency units ("12.50", Decimal, 12.5) as integer cents, >= 0."""
    if is_blank(raw):
        raise InputError(f"{label} is required")
    value = _decimal(raw, label, "12.50")
    if value < 0:
        raise InputError(f"{label} must be 0 or more")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise InputError(f"{label} can have at most 2 decimal places")
    if cents > MAX_MONEY_CENTS:
        raise InputError(f"{label} must be at most {MAX_MONEY_CENTS // 100:,}")
    return int(cents)


def parse_percent_bp(raw: Any, label: str) -> int:
    """A percentage 0-100 ("12.5", "12.5 %") as basis points (1250); blank means 0."""
    if is_blank(raw):
        return 0
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("%")
    value = _decimal(raw, label, "10")
    if not 0 <= value <= 100:
        raise InputError(f"{label} must be between 0 and 100 %")
    bp = value * 100
    if bp != bp.to_integral_value():
        raise InputError(f"{label} can have at most 2 decimal places")
    return int(bp)


def clean_text(raw: Any, label: str, max_length: int, *, required: bool = False) -> str | None:
    """Trimmed text kept verbatim (HTML or SQL included: it is data, shown as plain text)."""
    if is_blank(raw):
        if required:
            raise InputError(f"{label} is required")
        return None
    if not isinstance(raw, str | int):
        raise InputError(f"{label} must be text")
    text = str(raw).strip()
    if _CONTROL.search(text):
        raise InputError(f"{label} contains control characters")
    if len(text) > max_length:
        raise InputError(f"{label} is too long: {len(text)} characters, at most {max_length}")
    return text


def parse_bool(raw: Any, label: str) -> bool:
    """A yes/no flag from a checkbox, a grid cell, a JSON body, a CSV cell or the command line:
    the one strict reading, because bool("false") is True. An empty cell is no."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in BOOL_WORDS:
        return BOOL_WORDS[raw.strip().lower()]
    raise InputError(f"{label} must be yes or no (true/false, 1/0, on/off)")


BOOL_WORDS = {w: True for w in ("true", "yes", "y", "t", "on", "1")}
BOOL_WORDS |= {w: False for w in ("false", "no", "n", "f", "off", "0", "")}


MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER columns


def record_id(raw: Any, what: str) -> int:
    """A row id sent by a client (a page store, a selected grid row): a whole number from 1 to
    MAX_ID, else an InputError saying so, so a forged or huge id never reaches the database."""
    ok = isinstance(raw, int | str) and not isinstance(raw, bool)
    text = str(raw).strip() if ok else ""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
        shown = repr(raw) if len(repr(raw)) <= 40 else repr(raw)[:37] + "..."
        raise InputError(f"{shown} is not {what} id (a whole number from 1 to {MAX_ID:,})")
    return int(text)


def selected_id(rows: Any, what: str) -> int:
    """The id of the first selected grid row (see record_id)."""
    first = rows[0] if isinstance(rows, list) and rows else None
    return record_id(first.get("id") if isinstance(first, dict) else None, what)
