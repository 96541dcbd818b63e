"""The order form as data: grid rows for lines, the draft built from the form, and the
validation errors laid out next to the lines and fields they belong to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dash import html

from dashapp.orders import LineDraft, OrderDraft
from dashapp.validation import FieldError

# The header fields of the form, each with a message slot under it ("lines" sits by the picker).
HEADER_FIELDS = ["customer_id", "ordered_at", "status", "channel", "payment_type", "note", "lines"]
FIELD_LABELS = {
    "customer_id": "Customer",
    "ordered_at": "Date",
    "status": "Status",
    "channel": "Channel",
    "payment_type": "Payment",
    "note": "Note",
    "promo": "Promo",
    "lines": "Lines",
    "order": "Order",
    "product": "product",
    "quantity": "quantity",
    "unit_price": "unit price",
    "discount_pct": "discount",
}


def line_row(key: str, product: dict) -> dict:
    """A new grid line for a catalog product: one unit at the catalog price, no discount."""
    return {
        "key": key,
        "product_id": product["id"],
        "sku": product["sku"],
        "name": product["name"],
        "quantity": 1,
        "unit_price": float(Decimal(product["list_price_cents"]) / 100),
        "discount_pct": 0,
        "error": "",
    }


def next_key(rows: list[dict]) -> str:
    """A row id not used by any line yet (the grid keeps edits attached to it)."""
    used = [int(r["key"]) for r in rows if str(r.get("key", "")).isdigit()]
    return str(max(used, default=0) + 1)


def _text(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def draft_from_form(
    customer: Any,
    when: str | None,
    status: str | None,
    channel: str | None,
    payment: str | None,
    note: str | None,
    rows: list[dict],
) -> OrderDraft:
    """The draft exactly as typed; the domain validates every field."""
    lines = [
        LineDraft(
            product=str(row.get("sku") or "").strip(),
            quantity=row.get("quantity"),
            # Empty price: the catalog price. str() keeps what was typed (12.5, not 12.4999..).
            unit_price=None if row.get("unit_price") in (None, "") else str(row["unit_price"]),
            discount_pct=0 if row.get("discount_pct") in (None, "") else row["discount_pct"],
        )
        for row in rows
    ]
    return OrderDraft(
        customer_id=customer,
        lines=lines,
        ordered_at=_text(when),
        status=status or "",
        channel=_text(channel),
        payment_type=_text(payment),
        note=_text(note),
    )


def error_text(error: FieldError) -> str:
    """'Line 2 · quantity: Quantity must be at least 1', or 'Customer: Choose a customer'."""
    label = FIELD_LABELS.get(error.field, error.field)
    if error.line is None:
        return f"{label}: {error.message}"
    return f"Line {error.line + 1} · {label}: {error.message}"


def error_summary(errors: list[FieldError]) -> list:
    """The errors as a list under the alert's first sentence."""
    return [html.Ul([html.Li(error_text(e)) for e in errors], className="mb-0 mt-1")]


def lines_with_errors(rows: list[dict], errors: list[FieldError]) -> list[dict]:
    """The rows with each line's messages in its Check cell (cleared where there are none)."""
    by_line: dict[int, list[str]] = {}
    for e in errors:
        if e.line is not None:
            by_line.setdefault(e.line, []).append(
                f"{FIELD_LABELS.get(e.field, e.field)}: {e.message}"
            )
    return [{**row, "error": " · ".join(by_line.get(i, []))} for i, row in enumerate(rows)]
