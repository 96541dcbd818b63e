"""Filter values and labels on the tiny data set."""

from dashapp.analytics import dimensions
from dashapp.orders import delete_order
from tests.accounts import staff
from tests.tiny import seed_tiny


def test_values_to_filter_by(tiny_engine):
    with tiny_engine.connect() as conn:
        assert dimensions.categories(conn) == ["Classic Cars", "Motorcycles"]
        assert dimensions.countries(conn) == ["France", "USA"]


def test_search_is_case_insensitive_and_treats_wildcards_literally(tiny_engine):
    with tiny_engine.connect() as conn:
        assert dimensions.find_customers(conn, "ACM") == [(1, "Acme")]
        assert dimensions.find_customers(conn, "%") == []
        assert dimensions.find_products(conn, "bike") == [("BIKE", "Bike B (BIKE)")]
        assert [c for c, _ in dimensions.find_customers(conn, "")] == [1, 2, 3]


def test_labels_of_selected_values(tiny_engine):
    with tiny_engine.connect() as conn:
        assert dimensions.customer_labels(conn, [2, 3]) == {2: "Bolt", 3: "Cogs"}
        assert dimensions.product_labels(conn, ["CAR"]) == {"CAR": "Car A (CAR)"}
        assert dimensions.customer_labels(conn, []) == {}


def test_a_country_whose_orders_are_all_deleted_is_no_longer_offered(engine):
    seed_tiny(engine)
    for usa_order in (2, 3, 5):  # O2, O3 and O5 are the USA's orders (tests/tiny.py)
        delete_order(engine, usa_order, staff("bob"))
    with engine.connect() as conn:
        assert dimensions.countries(conn) == ["France"]
