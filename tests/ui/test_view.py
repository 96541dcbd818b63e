"""The view (filters + preset + granularity) to and from the URL; presets by hand."""

from datetime import date

import pytest

from dashapp.filters import Filters
from dashapp.ui.view import View, preset_range, view_from_controls, view_from_query, with_top

LAST = date(2024, 5, 15)


@pytest.mark.parametrize(
    "preset, expected",
    [
        ("7d", (date(2024, 5, 9), LAST)),
        ("30d", (date(2024, 4, 16), LAST)),
        ("90d", (date(2024, 2, 16), LAST)),
        ("mtd", (date(2024, 5, 1), LAST)),
        ("qtd", (date(2024, 4, 1), LAST)),
        ("ytd", (date(2024, 1, 1), LAST)),
        ("all", (None, None)),
    ],
)
def test_presets_end_at_the_latest_order(preset, expected):
    assert preset_range(preset, LAST) == expected


def test_preset_links_stay_relative_and_custom_links_keep_dates():
    live = View(Filters(countries=("France",)), preset="30d", granularity="week")
    assert live.to_query() == "country=France&range=30d&granularity=week"
    custom = View(Filters(start=date(2024, 1, 1), end=date(2024, 1, 31)), preset="custom")
    assert custom.to_query() == "start=2024-01-01&end=2024-01-31&range=custom"


def test_round_trip_and_resolution():
    view, message = view_from_query("?country=USA&range=7d&granularity=day")
    assert message is None
    assert view == View(Filters(countries=("USA",)), "7d", "day")
    assert view.resolved(LAST).filters.start == date(2024, 5, 9)


def test_dates_in_a_link_mean_a_custom_range():
    view, _ = view_from_query("start=2024-01-01&end=2024-02-01")
    assert view.preset == "custom"


def test_bad_link_falls_back_with_a_message():
    view, message = view_from_query("?start=yesterday&granularity=fortnight&range=forever")
    assert view == View()
    assert "start" in message


def test_a_control_change_keeps_the_links_channel():
    # The header has no channel control: a ?channel=Web link must survive a change of the
    # controls, and the controls' values replace the link's for the dimensions they own.
    url_view, _ = view_from_query("?channel=Web&country=USA&range=7d")
    selected = {"category": ["Motorcycles"], "country": [], "customer": [2], "status": []}
    view = view_from_controls(url_view, "30d", None, None, selected, "week")
    assert view == View(
        Filters(categories=("Motorcycles",), customers=(2,), channels=("Web",)), "30d", "week"
    )
    assert (
        view.to_query() == "category=Motorcycles&customer=2&channel=Web&range=30d&granularity=week"
    )


def test_top_n_and_ranking_travel_in_the_link():
    view, _ = view_from_query("?range=90d&top=5&top_by=units")
    assert (view.top_n, view.top_by) == (5, "units")
    assert view.to_query() == "range=90d&top=5&top_by=units"
    # The defaults (10, by revenue) stay out of the link.
    assert View(top_n=10, top_by="revenue").to_query() == ""


@pytest.mark.parametrize("top", ["4", "21", "ten", "7.5", ""])
def test_a_bad_top_n_falls_back_to_ten(top):
    view, _ = view_from_query(f"?top={top}&top_by=profit")
    assert (view.top_n, view.top_by) == (10, "revenue")


def test_moving_the_top_n_keeps_the_filters_and_a_control_change_keeps_the_top_n():
    assert (
        with_top("?country=USA&range=7d", 15, "units")
        == "?country=USA&range=7d&top=15&top_by=units"
    )
    assert with_top("?top=15", 10, "revenue") == ""
    url_view, _ = view_from_query("?top=15&top_by=units")
    view = view_from_controls(url_view, "30d", None, None, {"country": ["France"]}, "month")
    assert view.to_query() == "country=France&range=30d&top=15&top_by=units"


def test_exact_dates_pin_a_relative_range():
    view = View(Filters(countries=("USA",)), preset="90d", top_n=5)
    assert view.relative and not View().relative
    assert not View(preset="custom").relative
    # 90 days up to 15 May 2024: from 16 Feb 2024 (2024 is a leap year: 14 + 31 + 30 + 15 = 90).
    pinned = view.with_exact_dates(LAST)
    assert pinned.to_query() == "start=2024-02-16&end=2024-05-15&country=USA&range=custom&top=5"
    assert view_from_query(pinned.to_query())[0] == pinned


def test_the_place_segment_subcategory_and_ship_mode_filters_travel_in_the_link():
    query = "?state=CA&state=NY&city=San+Francisco&segment=Corporate&ship_mode=First&range=30d"
    view, message = view_from_query(query)
    assert message is None
    assert view.filters == Filters(
        states=("CA", "NY"),
        cities=("San Francisco",),
        segments=("Corporate",),
        ship_modes=("First",),
    )
    # The header's state control drops NY; the rest stay, and the link says so.
    selected = {"state": ["CA"], "region": [], "subcategory": ["Chairs"]}
    changed = view_from_controls(view, "30d", None, None, selected, "month")
    assert changed.to_query() == (
        "state=CA&city=San+Francisco&segment=Corporate&subcategory=Chairs&ship_mode=First&range=30d"
    )
    assert view_from_query(changed.to_query())[0] == changed


def test_a_hostile_place_in_a_link_is_ignored_with_the_reason():
    view, message = view_from_query("?state=%3Cscript%3Ex%3C/script%3E&country=USA")
    assert view == View()
    assert message.startswith("Ignored the link's filters: state: must be a name, not markup")
