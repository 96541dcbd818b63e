"""Catalog grid blocks and line lookups on the tiny set (CAR id 1 100.00, BIKE id 2 50.00;
customers Acme/France, Bolt/USA, Cogs/USA)."""

import pytest

from dashapp.catalog.listing import ListingError, customer_block, product_block
from dashapp.catalog.search import products_by_key


def test_product_block_sorted_and_counted(tiny_engine):
    with tiny_engine.connect() as conn:
        rows, total = product_block(conn, None, 0, 10, [{"colId": "list_price", "sort": "asc"}])
    assert total == 2
    assert [(r["sku"], r["list_price_cents"]) for r in rows] == [("BIKE", 5000), ("CAR", 10000)]


def test_product_block_searches_any_case_and_pages(tiny_engine):
    with tiny_engine.connect() as conn:
        assert [r["sku"] for r in product_block(conn, "classic", 0, 10)[0]] == ["CAR"]
        # Second block of one row, in id order: BIKE (id 2); the total counts every match.
        rows, total = product_block(conn, "", 1, 1)
    assert ([r["sku"] for r in rows], total) == (["BIKE"], 2)


def test_customer_block_search_by_country_and_wildcards_are_literal(tiny_engine):
    with tiny_engine.connect() as conn:
        rows, total = customer_block(conn, "usa", 0, 10, [{"colId": "name", "sort": "desc"}])
        assert ([r["name"] for r in rows], total) == (["Cogs", "Bolt"], 2)
        assert customer_block(conn, "%", 0, 10) == ([], 0)


def test_unknown_sort_is_refused(tiny_engine):
    with tiny_engine.connect() as conn, pytest.raises(ListingError):
        product_block(conn, None, 0, 10, [{"colId": "list_price_cents; --", "sort": "asc"}])


def test_products_by_key_finds_ids_and_exact_skus_only(tiny_engine):
    with tiny_engine.connect() as conn:
        found = products_by_key(conn, ids=[1], skus=["BIKE", "bike", "NOPE"])
        assert products_by_key(conn) == {}
    assert found[1]["sku"] == "CAR" and found["CAR"]["id"] == 1
    assert found["BIKE"]["list_price_cents"] == 5000
    assert "bike" not in found and "NOPE" not in found
