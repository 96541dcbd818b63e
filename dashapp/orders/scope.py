"""Who may read or change which order (SPEC §6), checked by the order functions themselves so
that every surface (page callbacks, API, CLI) gets the same answer.

Roles holding "view:all" (admin, manager, viewer) see every order; a sales user sees only the
orders they entered (orders.created_by). Changing an order also needs "orders:write".
"""

from __future__ import annotations

from typing import Any

from dashapp.auth import Account
from dashapp.validation import InputError

MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER columns


class OrderAccessError(PermissionError):
    """The acting account may not read or change this order; nothing was read or changed."""


class NotYourOrder(OrderAccessError):
    """A sales user asked for an order someone else entered."""

    def __init__(self, label: str) -> None:
        super().__init__(
            f"{label} is not your order: a sales user sees and changes only the orders they "
            "entered. Nothing was changed."
        )


def order_id(raw: Any) -> int:
    """An order id from a request (a page store, a URL): a whole number 1..MAX_ID, else a
    clear InputError, so a forged or mistyped id never reaches the database."""
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
        shown = repr(raw) if len(repr(raw)) <= 40 else repr(raw)[:37] + "..."
        raise InputError(f"{shown} is not an order id (a whole number from 1 to {MAX_ID:,})")
    return int(text)


def sees_every_order(account: Account) -> bool:
    """Whether the account's role sees the whole business, not just its own orders."""
    return account.can("view:all")


def check_read(account: Account | None, created_by: str | None, label: str) -> None:
    """Refuse reading an order the account may not see."""
    if account is None or not account.can("view"):
        raise OrderAccessError("Sign in to see orders.")
    if not sees_every_order(account) and created_by != account.username:
        raise NotYourOrder(label)


def check_write(account: Account | None, created_by: str | None, label: str) -> None:
    """Refuse changing an order the account may not change (role, then ownership)."""
    check_writer(account)
    check_read(account, created_by, label)


def check_writer(account: Account | None) -> None:
    """Refuse any order write to an account whose role cannot enter orders."""
    if account is None:
        raise OrderAccessError("Sign in to enter or change orders.")
    if not account.can("orders:write"):
        raise OrderAccessError(
            f"Your role ({account.role}) cannot enter or change orders. Nothing was changed."
        )
