"""What a sales associate typed for an order, before validation, and the exact line arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

DEFAULT_STATUS = "Pending"


def now() -> datetime:
    """The default order timestamp: local time to the second (the store keeps naive times)."""
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class LineDraft:
    """One order line as typed.

    product is a product id (int) or a SKU (str). unit_price is in currency units ("12.50");
    leave it and unit_price_cents empty to take the catalog price. discount_pct is 0-100.
    """

    product: int | str
    quantity: Any
    unit_price: Any = None
    discount_pct: Any = 0
    unit_price_cents: int | None = None


@dataclass(frozen=True)
class OrderDraft:
    """An order as typed. ordered_at None means now (on create) or unchanged (on update)."""

    customer_id: Any
    lines: Sequence[LineDraft] = ()
    ordered_at: datetime | date | str | None = None
    status: str = DEFAULT_STATUS
    channel: str | None = None
    payment_type: str | None = None
    promo: Any = False
    note: str | None = None


def line_amount_cents(quantity: int, unit_price_cents: int, discount_bp: int) -> int:
    """quantity x unit price x (1 - discount), rounded half-up to the cent, in integers."""
    # Scaled by 10000 (basis points) so the only rounding is the final one.
    scaled = quantity * unit_price_cents * (10_000 - discount_bp)
    return (scaled + 5_000) // 10_000


@dataclass(frozen=True)
class PricedLine:
    """A validated line: resolved product, exact price, discount and amount."""

    product_id: int
    sku: str
    product_name: str
    category: str
    quantity: int
    unit_price_cents: int
    discount_bp: int
    amount_cents: int
    # The product's cost at the time of sale x quantity (SPEC §2); None: the catalog has none.
    cost_cents: int | None = None


@dataclass(frozen=True)
class ValidOrder:
    """A validated order, ready to be written."""

    customer_id: int
    country: str | None
    ordered_at: datetime
    status: str
    channel: str | None
    payment_type: str | None
    promo: bool
    note: str | None
    lines: tuple[PricedLine, ...] = field(default_factory=tuple)

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def units_by_product(self) -> dict[int, int]:
        """Units per product id (what the order takes from stock unless it is cancelled)."""
        units: dict[int, int] = {}
        for line in self.lines:
            units[line.product_id] = units.get(line.product_id, 0) + line.quantity
        return units


@dataclass(frozen=True)
class SavedOrder:
    """What a save returns: the order's id, number and total."""

    id: int
    number: str
    total_cents: int

    @property
    def total(self) -> Decimal:
        return (Decimal(self.total_cents) / 100).quantize(Decimal("0.01"))
