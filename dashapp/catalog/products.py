"""Products: add, edit, and retire (deactivated when they have orders, deleted otherwise)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, exists, select

from dashapp.catalog.common import (
    CatalogTable,
    Collector,
    money,
    retire_row,
    save_row,
    taken_by,
)
from dashapp.store.models import OrderLine, Product
from dashapp.validation import (
    MAX_QUANTITY,
    clean_text,
    is_blank,
    parse_bool,
    parse_int,
    parse_money_cents,
)

products = Product.__table__
MAX_STOCK = 1_000_000_000


@dataclass(frozen=True)
class ProductDraft:
    """A product as typed in the catalog grid; money in currency units ("12.50")."""

    sku: Any
    name: Any
    category: Any
    list_price: Any
    sub_category: Any = None
    cost: Any = None
    msrp: Any = None
    stock_on_hand: Any = 0
    reorder_point: Any = 0
    lead_time_days: Any = 7
    allow_backorder: Any = False
    active: Any = True
    # A category (sub-category) not in the catalog yet is only added when the user chose
    # "New category" explicitly: a typo such as "Clasic Cars" is refused, not created.
    new_category: Any = False
    new_sub_category: Any = False


def validate_product(
    conn: Connection, draft: ProductDraft, product_id: int | None = None
) -> tuple[dict, Collector]:
    """The column values for a draft, and the errors found (SKU unique, price >= 0, ...)."""
    c = Collector()
    values = dict(
        sku=c.parse("sku", clean_text, draft.sku, "SKU", 64, required=True),
        name=c.parse("name", clean_text, draft.name, "Name", 200, required=True),
        category=c.parse("category", clean_text, draft.category, "Category", 100, required=True),
        sub_category=c.parse("sub_category", clean_text, draft.sub_category, "Sub-category", 100),
        list_price_cents=c.parse("list_price", parse_money_cents, draft.list_price, "Price"),
        cost_cents=_optional_money(c, "cost", draft.cost, "Cost"),
        msrp_cents=_optional_money(c, "msrp", draft.msrp, "MSRP"),
        stock_on_hand=c.parse(
            "stock_on_hand",
            parse_int,
            draft.stock_on_hand,
            "Stock",
            minimum=-MAX_STOCK,
            maximum=MAX_STOCK,
        ),
        reorder_point=c.parse(
            "reorder_point", parse_int, draft.reorder_point, "Reorder point", maximum=MAX_QUANTITY
        ),
        lead_time_days=c.parse(
            "lead_time_days", parse_int, draft.lead_time_days, "Lead time", maximum=365
        ),
        allow_backorder=c.parse(
            "allow_backorder", parse_bool, draft.allow_backorder, "Allow backorder"
        ),
        active=c.parse("active", parse_bool, draft.active, "Active"),
    )
    if values["category"]:
        new_category = c.parse("category", parse_bool, draft.new_category or False, "New category")
        values["category"] = _known_or_new(
            c, conn, "category", values["category"], new_category, "category"
        )
        if values["sub_category"]:
            # Sub-categories are picked within their category; a new category's are new too.
            confirmed = new_category or c.parse(
                "sub_category", parse_bool, draft.new_sub_category or False, "New sub-category"
            )
            values["sub_category"] = _known_or_new(
                c,
                conn,
                "sub_category",
                values["sub_category"],
                confirmed,
                "sub-category",
                products.c.category == values["category"],
            )
    # Backorders are what take stock below zero; without them it must stay >= 0.
    if (values["stock_on_hand"] or 0) < 0 and values["allow_backorder"] is False:
        c.add("stock_on_hand", "Stock must be 0 or more unless backorders are allowed")
    if values["sku"]:
        other = taken_by(conn, products, products.c.sku, values["sku"], product_id)
        if other is not None:
            c.add("sku", f"SKU {values['sku']} is already used by {other.name}")
    return values, c


def create_product(engine: Engine, draft: ProductDraft, user: str | None) -> int:
    """Add a product; ValidationError (nothing written) on bad input."""
    return save_row(_PRODUCTS, engine, None, draft, user)


def update_product(engine: Engine, product_id: int, draft: ProductDraft, user: str | None) -> None:
    """Replace a product's fields; ValidationError (nothing written) on bad input."""
    save_row(_PRODUCTS, engine, product_id, draft, user)


def delete_product(
    engine: Engine, product_id: int, user: str | None
) -> Literal["deleted", "deactivated"]:
    """Delete a product nobody ordered; one with orders is deactivated so history stays whole."""
    return retire_row(_PRODUCTS, engine, product_id, user)


def product_snapshot(row: Any) -> dict:
    """A product row as plain data for the audit log."""
    return {
        "sku": row.sku,
        "name": row.name,
        "category": row.category,
        "sub_category": row.sub_category,
        "list_price": money(row.list_price_cents),
        "cost": money(row.cost_cents),
        "msrp": money(row.msrp_cents),
        "stock_on_hand": row.stock_on_hand,
        "reorder_point": row.reorder_point,
        "lead_time_days": row.lead_time_days,
        "allow_backorder": bool(row.allow_backorder),
        "active": bool(row.active),
    }


_PRODUCTS = CatalogTable(
    products,
    entity="product",
    validate=validate_product,
    snapshot=product_snapshot,
    unique=("sku", "This SKU is already used"),
    in_use=lambda product_id: exists().where(OrderLine.__table__.c.product_id == product_id),
)


def categories(conn: Connection) -> dict[str, list[str]]:
    """Every category in the catalog with its sub-categories, sorted: the grid's pick lists."""
    rows = conn.execute(
        select(products.c.category, products.c.sub_category)
        .distinct()
        .order_by(products.c.category, products.c.sub_category)
    )
    out: dict[str, list[str]] = {}
    for category, sub in rows:
        subs = out.setdefault(category, [])
        if sub:
            subs.append(sub)
    return out


def _known_or_new(
    c: Collector, conn: Connection, field: str, value: str, confirmed: Any, noun: str, *where
) -> str:
    """The catalog's spelling of `value` when it is known (any case), `value` itself when the
    user confirmed it as new, else an error that suggests the nearest known one."""
    column = products.c[field]
    known = conn.execute(select(column).distinct().where(column.is_not(None), *where)).scalars()
    known = list(known)
    same = next((k for k in known if k.lower() == value.lower()), None)
    if same is not None:
        return same
    if confirmed is True:
        return value
    near = difflib.get_close_matches(value, known, n=1, cutoff=0.75)
    hint = f" Did you mean {near[0]}?" if near else ""
    c.add(
        field,
        f"{value} is not a {noun} yet.{hint} Pick one from the list, or choose "
        f"New {noun} to add it",
    )
    return value


def _optional_money(c: Collector, field: str, raw: Any, label: str) -> int | None:
    return None if is_blank(raw) else c.parse(field, parse_money_cents, raw, label)
