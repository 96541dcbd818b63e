"""Filter values and labels on the tiny data set."""

from dashapp.analytics import dimensions


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
