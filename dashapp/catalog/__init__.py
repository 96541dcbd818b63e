"""The catalog and the customer list: validated editing, retirement, and picker searches."""

from dashapp.catalog.countries import canonical_country, known_countries
from dashapp.catalog.customers import (
    CustomerDraft,
    create_customer,
    delete_customer,
    update_customer,
    validate_customer,
)
from dashapp.catalog.products import (
    ProductDraft,
    categories,
    create_product,
    delete_product,
    update_product,
    validate_product,
)
from dashapp.catalog.search import search_customers, search_products

__all__ = [
    "CustomerDraft",
    "ProductDraft",
    "canonical_country",
    "categories",
    "create_customer",
    "create_product",
    "delete_customer",
    "delete_product",
    "known_countries",
    "search_customers",
    "search_products",
    "update_customer",
    "update_product",
    "validate_customer",
    "validate_product",
]
