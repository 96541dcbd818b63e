"""Who may read or change which order (SPEC §6), checked by the order functions themselves so
that every surface (page callbacks, API, CLI) gets the same answer.

Roles holding "view:all" (admin, manager, viewer) see every order; a sales user sees only the
orders they entered (orders.created_by). Changing an order also needs "orders:write".
"""

from __future__ import annotations

from typing import Any

from dashapp.auth import Account
from dashapp.validation import record_id


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
    """An order id from a request (a page store, a URL): a whole number 1..2**31-1, else a
    clear InputError, so a forged or mistyped id never reaches the database."""
    return record_id(raw, "an order")


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
