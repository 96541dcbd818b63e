"""Categories are picked, not typed into existence (issue 18, item 5): a category or
sub-category the catalog does not hold yet is added only when the user chose "New category";
a typo is refused with the nearest known one, and nothing is written.

The shop (tests/shop.py) holds Classic Cars, Motorcycles, Ships and Planes, no sub-categories."""

import pytest
from sqlalchemy import select

from dashapp.catalog import ProductDraft, categories, create_product, update_product
from dashapp.orders import ValidationError
from dashapp.store.models import Product
from tests.shop import row_counts


def draft(**kw) -> ProductDraft:
    return ProductDraft(**({"sku": "VAN", "name": "Van E", "list_price": "1"} | kw))


def stored(shop, sku: str) -> tuple:
    with shop.connect() as conn:
        row = conn.execute(select(Product).where(Product.sku == sku)).one()
    return row.category, row.sub_category


def test_a_typo_is_refused_with_the_nearest_category_and_nothing_written(shop):
    before = row_counts(shop)
    with pytest.raises(ValidationError) as exc:
        create_product(shop, draft(category="Clasic Cars"), "carol")
    assert [(e.field, e.message) for e in exc.value.errors] == [
        (
            "category",
            "Clasic Cars is not a category yet. Did you mean Classic Cars? Pick one from the "
            "list, or choose New category to add it",
        )
    ]
    assert row_counts(shop) == before


def test_an_edit_cannot_move_a_product_to_an_unconfirmed_category(shop):
    car = ProductDraft(sku="CAR", name="Car A", category="Trucks", list_price="100")
    with pytest.raises(ValidationError, match="Trucks is not a category yet. Pick one"):
        update_product(shop, 1, car, "carol")
    assert stored(shop, "CAR") == ("Classic Cars", None)


def test_a_known_category_in_another_case_takes_the_catalog_spelling(shop):
    create_product(shop, draft(category="classic CARS"), "carol")
    assert stored(shop, "VAN") == ("Classic Cars", None)


def test_new_category_adds_it_with_its_sub_category(shop):
    create_product(shop, draft(category="Trucks", sub_category="1:18", new_category=True), "c")
    assert stored(shop, "VAN") == ("Trucks", "1:18")
    with shop.connect() as conn:
        assert categories(conn) == {
            "Classic Cars": [],
            "Motorcycles": [],
            "Planes": [],
            "Ships": [],
            "Trucks": ["1:18"],
        }


def test_a_sub_category_is_picked_within_its_category(shop):
    create_product(shop, draft(category="Trucks", sub_category="1:18", new_category=True), "c")
    # "1:18" is a sub-category of Trucks, not of Planes: new there, so it must be confirmed.
    plane = draft(sku="JET", category="Planes", sub_category="1:18")
    with pytest.raises(ValidationError, match="1:18 is not a sub-category yet"):
        create_product(shop, plane, "c")
    create_product(shop, ProductDraft(**(plane.__dict__ | {"new_sub_category": True})), "c")
    assert stored(shop, "JET") == ("Planes", "1:18")
    # Known within Trucks: no confirmation needed, any case.
    create_product(shop, draft(sku="LORRY", category="trucks", sub_category="1:18"), "c")
    assert stored(shop, "LORRY") == ("Trucks", "1:18")


def test_a_forged_confirmation_is_read_strictly(shop):
    with pytest.raises(ValidationError, match="New category must be yes or no"):
        create_product(shop, draft(category="Trucks", new_category="maybe"), "c")
    with pytest.raises(ValidationError, match="Trucks is not a category yet"):
        create_product(shop, draft(category="Trucks", new_category="false"), "c")
