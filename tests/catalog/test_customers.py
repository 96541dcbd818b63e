"""Customer editing: unique email, known country, retire instead of delete, picker search."""

import pytest
from sqlalchemy import select

from dashapp.catalog import (
    CustomerDraft,
    create_customer,
    delete_customer,
    known_countries,
    search_customers,
    update_customer,
)
from dashapp.orders import LineDraft, OrderDraft, ValidationError, create_order
from dashapp.store.models import AuditLog, Customer
from tests.accounts import staff
from tests.shop import row_counts


def test_country_is_matched_to_the_spelling_in_use_or_iso(shop):
    a = create_customer(shop, CustomerDraft(name="Delta", country="usa"), "carol")
    b = create_customer(shop, CustomerDraft(name="Echo", country="de"), "carol")
    c = create_customer(shop, CustomerDraft(name="Fox", country="South Korea"), "carol")
    with shop.connect() as conn:
        countries = dict(conn.execute(select(Customer.id, Customer.country)).all())
        choices = known_countries(conn)
    assert (countries[a], countries[b], countries[c]) == ("USA", "Germany", "South Korea")
    assert "USA" in choices and "Spain" in choices and "United States" in choices
    assert len(choices) == len(set(choices))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "BOLT@example.com"}, "email", "BOLT@example.com is already the email of Bolt"),
        (
            {"email": "not-an-email"},
            "email",
            "'not-an-email' is not an email address (name@example.com)",
        ),
        ({"country": "Narnia"}, "country", "Unknown country 'Narnia'; pick one from the list"),
        ({"country": ""}, "country", "Country is required"),
        ({"name": ""}, "name", "Name is required"),
        ({"phone": "1" * 51}, "phone", "Phone is too long: 51 characters, at most 50"),
    ],
)
def test_bad_customer_is_refused_and_changes_nothing(shop, changes, field, message):
    before = row_counts(shop)
    draft = CustomerDraft(**({"name": "Delta", "country": "France"} | changes))
    with pytest.raises(ValidationError) as exc:
        create_customer(shop, draft, "carol")
    assert [(e.field, e.message) for e in exc.value.errors] == [(field, message)]
    assert row_counts(shop) == before


def test_edit_keeps_own_email_and_is_audited(shop):
    update_customer(
        shop, 2, CustomerDraft(name="Bolt Ltd", country="USA", email="bolt@example.com"), "carol"
    )
    with shop.connect() as conn:
        assert conn.execute(select(Customer.name).where(Customer.id == 2)).scalar() == "Bolt Ltd"
        audit = conn.execute(select(AuditLog.action, AuditLog.entity, AuditLog.username)).all()
    assert audit == [("update", "customer", "carol")]


def test_customer_with_orders_is_deactivated_not_deleted(shop):
    create_order(shop, OrderDraft(1, [LineDraft("CAR", 1)]), staff("alice"))
    assert delete_customer(shop, 1, "carol") == "deactivated"
    assert delete_customer(shop, 2, "carol") == "deleted"
    with shop.connect() as conn:
        assert dict(conn.execute(select(Customer.id, Customer.active)).all()) == {
            1: False,
            3: False,
        }
        assert search_customers(conn, "") == []


def test_search_customers_by_name_or_email(shop):
    with shop.connect() as conn:
        assert [c["name"] for c in search_customers(conn, "BOLT@")] == ["Bolt"]
        assert [c["name"] for c in search_customers(conn, "cm")] == ["Acme"]
        assert search_customers(conn, "gone") == []  # inactive
        assert [c["id"] for c in search_customers(conn, None)] == [1, 2]
