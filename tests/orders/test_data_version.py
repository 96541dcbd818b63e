"""The data version changes after every committed write, and only then."""

import pytest

from dashapp.catalog import CustomerDraft, ProductDraft, create_customer, create_product
from dashapp.orders import (
    LineDraft,
    OrderDraft,
    ValidationError,
    create_order,
    data_version,
    delete_order,
    set_status,
    update_order,
)
from tests.accounts import staff


def version(engine) -> str:
    with engine.connect() as conn:
        return data_version(conn)


def test_every_write_moves_the_version(shop):
    seen = [version(shop)]
    saved = create_order(shop, OrderDraft(1, [LineDraft("CAR", 1)]), staff("a"))
    seen.append(version(shop))
    update_order(shop, saved.id, OrderDraft(1, [LineDraft("CAR", 2)]), staff("a"))
    seen.append(version(shop))
    set_status(shop, saved.id, "Cancelled", staff("a"))
    seen.append(version(shop))
    delete_order(shop, saved.id, staff("a"))
    seen.append(version(shop))
    create_product(
        shop, ProductDraft(sku="N", name="N", category="C", list_price=1, new_category=True), "a"
    )
    seen.append(version(shop))
    create_customer(shop, CustomerDraft(name="N", country="Italy"), "a")
    seen.append(version(shop))
    assert len(set(seen)) == len(seen)
    with pytest.raises(ValidationError):
        create_order(shop, OrderDraft(1, [LineDraft("CAR", 0)]), staff("a"))
    assert version(shop) == seen[-1]
