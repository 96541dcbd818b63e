"""The catalog and the customer list as CSV, streamed through the one CSV writer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Select, select

from dashapp.csv_writer import money, stream_csv
from dashapp.store.models import Customer, Product

products = Product.__table__
customers = Customer.__table__


PRODUCT_HEADER = [
    "sku",
    "name",
    "category",
    "sub_category",
    "list_price",
    "cost",
    "msrp",
    "stock_on_hand",
    "reorder_point",
    "lead_time_days",
    "allow_backorder",
    "active",
]


def export_products_csv(conn: Connection, *, include_inactive: bool = True) -> Iterator[str]:
    """The catalog as CSV, by SKU."""
    stmt = products_query(include_inactive=include_inactive)

    def cells(r: Any) -> list[Any]:
        return [
            r.sku,
            r.name,
            r.category,
            r.sub_category or "",
            money(r.list_price_cents),
            money(r.cost_cents),
            money(r.msrp_cents),
            r.stock_on_hand,
            r.reorder_point,
            r.lead_time_days,
            _yes_no(r.allow_backorder),
            _yes_no(r.active),
        ]

    return stream_csv(conn, stmt, PRODUCT_HEADER, cells)


CUSTOMER_FIELDS = [
    "name",
    "contact_first_name",
    "contact_last_name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "country",
    "territory",
    "segment",
]
CUSTOMER_HEADER = ["id", *CUSTOMER_FIELDS, "first_order_date", "active"]


def export_customers_csv(conn: Connection, *, include_inactive: bool = True) -> Iterator[str]:
    """The customers as CSV, by id."""
    stmt = customers_query(include_inactive=include_inactive)

    def cells(r: Any) -> list[Any]:
        first = r.first_order_date.isoformat() if r.first_order_date else ""
        values = [getattr(r, f) or "" for f in CUSTOMER_FIELDS]
        return [r.id, *values, first, _yes_no(r.active)]

    return stream_csv(conn, stmt, CUSTOMER_HEADER, cells)


def products_query(*, include_inactive: bool = True) -> Select:
    """The products an export holds, by SKU (CSV and XLSX read the same)."""
    stmt = select(products).order_by(products.c.sku)
    return stmt if include_inactive else stmt.where(products.c.active)


def customers_query(*, include_inactive: bool = True) -> Select:
    """The customers an export holds, by id (CSV and XLSX read the same)."""
    stmt = select(customers).order_by(customers.c.id)
    return stmt if include_inactive else stmt.where(customers.c.active)


def _yes_no(flag: Any) -> str:
    return "yes" if flag else "no"
