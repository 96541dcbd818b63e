"""Customers: add, edit, and retire (deactivated when they have orders, deleted otherwise)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, exists

from dashapp.catalog.common import CatalogTable, Collector, retire_row, save_row, taken_by
from dashapp.catalog.countries import canonical_country
from dashapp.store.models import Customer, Order
from dashapp.validation import clean_text, parse_bool

customers = Customer.__table__
# Deliberately loose: one @, something before it, a dotted domain after it, no spaces.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_TEXT_FIELDS = (
    ("contact_first_name", "Contact first name", 100),
    ("contact_last_name", "Contact last name", 100),
    ("phone", "Phone", 50),
    ("address_line1", "Address line 1", 200),
    ("address_line2", "Address line 2", 200),
    ("city", "City", 100),
    ("state", "State", 100),
    ("postal_code", "Postal code", 30),
    ("territory", "Territory", 50),
    ("segment", "Segment", 50),
)


@dataclass(frozen=True)
class CustomerDraft:
    """A customer as typed in the customers grid."""

    name: Any
    country: Any
    email: Any = None
    contact_first_name: Any = None
    contact_last_name: Any = None
    phone: Any = None
    address_line1: Any = None
    address_line2: Any = None
    city: Any = None
    state: Any = None
    postal_code: Any = None
    territory: Any = None
    segment: Any = None
    active: Any = True


def validate_customer(
    conn: Connection, draft: CustomerDraft, customer_id: int | None = None
) -> tuple[dict, Collector]:
    """The column values for a draft, and the errors found (email unique, known country, ...)."""
    c = Collector()
    values: dict[str, Any] = dict(
        name=c.parse("name", clean_text, draft.name, "Name", 200, required=True),
        email=c.parse("email", clean_text, draft.email, "Email", 254),
        active=c.parse("active", parse_bool, draft.active, "Active"),
    )
    for field, label, limit in _TEXT_FIELDS:
        values[field] = c.parse(field, clean_text, getattr(draft, field), label, limit)
    country = c.parse("country", clean_text, draft.country, "Country", 100, required=True)
    if country:
        values["country"] = canonical_country(conn, country)
        if values["country"] is None:
            c.add("country", f"Unknown country {country!r}; pick one from the list")
    email = values["email"]
    if email:
        if not _EMAIL.match(email):
            c.add("email", f"{email!r} is not an email address (name@example.com)")
        else:
            other = taken_by(conn, customers, customers.c.email, email, customer_id)
            if other is not None:
                c.add("email", f"{email} is already the email of {other.name}")
    return values, c


def create_customer(engine: Engine, draft: CustomerDraft, user: str | None) -> int:
    """Add a customer; ValidationError (nothing written) on bad input."""
    return save_row(_CUSTOMERS, engine, None, draft, user)


def update_customer(
    engine: Engine, customer_id: int, draft: CustomerDraft, user: str | None
) -> None:
    """Replace a customer's fields. Existing orders keep the country they were shipped to."""
    save_row(_CUSTOMERS, engine, customer_id, draft, user)


def delete_customer(
    engine: Engine, customer_id: int, user: str | None
) -> Literal["deleted", "deactivated"]:
    """Delete a customer without orders; one with orders is deactivated instead."""
    return retire_row(_CUSTOMERS, engine, customer_id, user)


def customer_snapshot(row: Any) -> dict:
    """A customer row as plain data for the audit log."""
    fields = ["name", "email", "country", *(f for f, _, _ in _TEXT_FIELDS)]
    snap = {f: getattr(row, f) for f in fields}
    snap["active"] = bool(row.active)
    return snap


_CUSTOMERS = CatalogTable(
    customers,
    entity="customer",
    validate=validate_customer,
    snapshot=customer_snapshot,
    unique=("email", "This email is already used"),
    in_use=lambda customer_id: exists().where(Order.__table__.c.customer_id == customer_id),
)
