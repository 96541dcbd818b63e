"""Where the page filters apply (issue 18): the panel's class per section, and what each
section declares."""

from dashapp.ui import admin, anomalies, catalog, forecast, insight, orders, overview, pivot
from dashapp.ui.shell import FILTER_FIELDS, LISTED_CONTROLS, scope_class


def test_a_section_reading_every_filter_hides_nothing():
    assert scope_class(FILTER_FIELDS) == "filter-scope"


def test_a_section_reading_no_filter_has_no_panel():
    assert scope_class(()) == "filter-scope no-filters"


def test_fields_a_section_does_not_read_are_hidden_one_by_one():
    fields = ("dates", "country", "customer", "status", *LISTED_CONTROLS)
    assert scope_class(fields) == "filter-scope hide-category hide-product hide-granularity"
    assert scope_class(("dates", "state")) == (
        "filter-scope hide-category hide-product hide-country hide-customer hide-status"
        " hide-region hide-city hide-segment hide-subcategory hide-ship_mode hide-granularity"
    )


def test_the_pivot_and_the_forecast_read_the_new_dimensions():
    # Both read the lines through the one translator, so every new filter applies there.
    for section in (pivot.SECTION, forecast.SECTION):
        assert set(LISTED_CONTROLS) <= set(section.filters), section.key


def test_the_catalog_admin_and_anomalies_take_no_page_filters():
    for section in (*catalog.SECTIONS, admin.SECTION, anomalies.SECTION):
        assert section.filters == (), section.key


def test_the_forecast_shows_one_category_picker_its_own():
    assert "category" not in forecast.SECTION.filters
    assert "product" not in forecast.SECTION.filters
    assert "dates" in forecast.SECTION.filters
    assert "forecast's controls" in forecast.SECTION.filters_note


def test_analytics_sections_take_every_filter_and_orders_says_what_they_cover():
    assert overview.SECTION.filters == FILTER_FIELDS
    assert insight.SECTION.filters == FILTER_FIELDS
    assert orders.SECTION.filters == FILTER_FIELDS
    assert "order history" in orders.SECTION.filters_note


def test_customer_list_and_customer_insight_are_told_apart():
    labels = [s.label for s in (*catalog.SECTIONS, insight.SECTION)]
    assert labels == ["Products", "Customer list", "Customer insight"]
    # The addresses stay as they were: bookmarks and shared links keep working.
    assert [s.path for s in (*catalog.SECTIONS, insight.SECTION)] == [
        "/products",
        "/customers",
        "/insight",
    ]
