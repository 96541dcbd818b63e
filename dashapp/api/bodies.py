"""Request bodies: the shape check the API owes before the domain validates the values.

The order-entry validation (dashapp.orders) parses values as a person types them in the grid;
this module only makes sure a JSON body has that grid's shape: an object with known fields,
lines as a list of objects, and scalars where scalars belong.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from dashapp.api.errors import bad_parameter
from dashapp.api.schemas import LINE_FIELDS, ORDER_FIELDS

MAX_LINES_IN_BODY = 500
MAX_INTEGER = 2**31 - 1
_SCALARS = (str, int, float, bool, type(None))


def known_field(key: str, allowed: Collection[str], name: str | None = None) -> None:
    """400 for a body field the endpoint does not take (reported as `name`, or `key`), listing
    the ones it does."""
    if key not in allowed:
        raise bad_parameter(name or key, f"unknown field; expected {', '.join(sorted(allowed))}")


def _check_fields(obj: Any, allowed: frozenset[str], where: str) -> dict:
    if not isinstance(obj, dict):
        raise bad_parameter(where, "expected a JSON object")
    for key, item in obj.items():
        name = f"{where}.{key}" if where != "body" else key
        known_field(key, allowed, name)
        if key != "lines" and not isinstance(item, _SCALARS):
            raise bad_parameter(name, "expected a single value")
        # No id, quantity or price comes near this; beyond 64 bits the database cannot bind it.
        if isinstance(item, int) and abs(item) > MAX_INTEGER:
            raise bad_parameter(name, f"must be between -{MAX_INTEGER} and {MAX_INTEGER}")
        # PostgreSQL cannot store or compare text with a NUL byte in it.
        if isinstance(item, str) and "\x00" in item:
            raise bad_parameter(name, "must not contain a NUL character")
    # null means "not given": every field's default is what an empty grid cell means.
    return {k: v for k, v in obj.items() if v is not None}


def order_draft(body: Any):
    """An OrderDraft from a JSON body; 400 naming the field when the shape is wrong."""
    from dashapp.orders import LineDraft, OrderDraft

    fields = _check_fields(body, ORDER_FIELDS, "body")
    raw_lines = fields.pop("lines", None)
    if not isinstance(raw_lines, list):
        raise bad_parameter("lines", "expected a list of order lines")
    if len(raw_lines) > MAX_LINES_IN_BODY:
        raise bad_parameter("lines", f"at most {MAX_LINES_IN_BODY} lines")
    lines = []
    for i, raw in enumerate(raw_lines):
        line = _check_fields(raw, LINE_FIELDS, f"lines[{i}]")
        if "product" not in line or "quantity" not in line:
            raise bad_parameter(f"lines[{i}]", "needs product and quantity")
        lines.append(LineDraft(**line))
    if "customer_id" not in fields:
        raise bad_parameter("customer_id", "is required")
    return OrderDraft(lines=tuple(lines), **fields)
