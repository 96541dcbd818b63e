"""Catalog editing: validation, unique SKU, retire instead of delete, audit, picker search."""

import json

import pytest
from sqlalchemy import select

from dashapp.catalog import (
    ProductDraft,
    create_product,
    delete_product,
    search_products,
    update_product,
)
from dashapp.orders import LineDraft, OrderDraft, ValidationError, create_order
from dashapp.store.models import AuditLog, Product
from tests.accounts import staff
from tests.shop import row_counts

NEW = ProductDraft(
    sku="VAN",
    name="Van E",
    category="Trucks",
    list_price="19.99",
    stock_on_hand=4,
    new_category=True,  # "Trucks" is not in the shop's catalog yet
)


def test_create_and_edit_product_with_audit(shop):
    pid = create_product(shop, NEW, "carol")
    update_product(shop, pid, NEW.__class__(**(NEW.__dict__ | {"list_price": "21"})), "carol")
    with shop.connect() as conn:
        row = conn.execute(select(Product).where(Product.id == pid)).one()
        audit = conn.execute(select(AuditLog).order_by(AuditLog.id)).all()
    assert (row.sku, row.list_price_cents, row.stock_on_hand, row.active) == ("VAN", 2100, 4, True)
    assert [(a.action, a.entity, a.entity_id) for a in audit] == [
        ("create", "product", str(pid)),
        ("update", "product", str(pid)),
    ]
    assert json.loads(audit[1].before)["list_price"] == "19.99"
    assert json.loads(audit[1].after)["list_price"] == "21.00"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"sku": "car"}, "sku", "SKU car is already used by Car A"),
        ({"sku": "  "}, "sku", "SKU is required"),
        ({"name": None}, "name", "Name is required"),
        ({"list_price": "-1"}, "list_price", "Price must be 0 or more"),
        ({"list_price": "ten"}, "list_price", "Price must be a number, e.g. 12.50"),
        ({"stock_on_hand": "1.5"}, "stock_on_hand", "Stock must be a whole number"),
        (
            {"stock_on_hand": -1},
            "stock_on_hand",
            "Stock must be 0 or more unless backorders are allowed",
        ),
        ({"reorder_point": -1}, "reorder_point", "Reorder point must be at least 0"),
        ({"name": "n" * 201}, "name", "Name is too long: 201 characters, at most 200"),
    ],
)
def test_bad_product_is_refused_and_changes_nothing(shop, changes, field, message):
    before = row_counts(shop)
    with pytest.raises(ValidationError) as exc:
        create_product(shop, ProductDraft(**(NEW.__dict__ | changes)), "carol")
    assert [(e.field, e.message) for e in exc.value.errors] == [(field, message)]
    assert row_counts(shop) == before


def test_renaming_a_sku_onto_another_is_refused(shop):
    draft = ProductDraft(sku="BIKE", name="Car A", category="Classic Cars", list_price="100")
    with pytest.raises(ValidationError, match="SKU BIKE is already used by Bike B"):
        update_product(shop, 1, draft, "carol")
    # Keeping its own SKU is fine.
    update_product(shop, 1, ProductDraft(**(draft.__dict__ | {"sku": "CAR"})), "carol")


def test_product_with_orders_is_deactivated_not_deleted(shop):
    create_order(shop, OrderDraft(1, [LineDraft("CAR", 1)]), staff("alice"))
    assert delete_product(shop, 1, "carol") == "deactivated"
    assert delete_product(shop, 2, "carol") == "deleted"
    with shop.connect() as conn:
        rows = dict(conn.execute(select(Product.sku, Product.active)).all())
    assert rows == {"CAR": False, "BOAT": False, "PLANE": True}
    with pytest.raises(ValidationError, match="Car A is inactive"):
        create_order(shop, OrderDraft(1, [LineDraft("CAR", 1)]), staff("alice"))


def test_search_products_is_active_only_and_case_insensitive(shop):
    create_product(
        shop,
        ProductDraft(
            sku="XB", name="Axe Bike", category="Tools", list_price="1", new_category=True
        ),
        "c",
    )
    with shop.connect() as conn:
        assert [p["sku"] for p in search_products(conn, "oa")] == []  # BOAT is inactive
        assert [p["sku"] for p in search_products(conn, "car a")] == ["CAR"]  # "Car A"
        assert [p["sku"] for p in search_products(conn, "")] == ["XB", "BIKE", "CAR", "PLANE"]
        assert search_products(conn, "%") == []  # a wildcard is a literal character
        assert len(search_products(conn, "", limit=1)) == 1
        # "Bike B" starts with "bi", so it comes before "Axe Bike", which only contains it.
        assert [p["sku"] for p in search_products(conn, "BI")] == ["BIKE", "XB"]
