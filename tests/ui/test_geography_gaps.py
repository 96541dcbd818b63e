"""Issue 19's geography gaps without a browser: the header's state and city lists narrowed by
the chosen region and state, the revenue trend's point naming its period for the drill, and
the state drill saying why it shows bars where Plotly has no state shapes."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashapp.analytics import geography
from dashapp.analytics.drill import DrillError
from dashapp.analytics.geography import PlaceDrill, narrowed
from dashapp.filters import Filters
from dashapp.store import rollups
from dashapp.ui.drill import trend_period
from dashapp.ui.geography import map_note
from dashapp.ui.shell import _within
from tests.conftest import seeded_on_each_backend
from tests.store.test_order_dimension_rollups import seed_dimension_shop


def _seed(engine) -> None:
    with engine.begin() as conn:
        seed_dimension_shop(conn)
        rollups.rebuild(conn)


places_shop = seeded_on_each_backend("places_shop", _seed, "The dimension shop, read-only.")

# (region, state, city): a state in two regions, and a city name in two states.
FOUND = [
    ("Central", "TX", "Austin"),
    ("East", "NY", "Buffalo"),
    ("East", "NY", "Springfield"),
    ("South", "TX", "Houston"),
    ("West", "CA", "Los Angeles"),
    ("West", "OR", "Springfield"),
    ("", "", "Nowhere City"),  # a city without region or state
]


def test_states_and_cities_inside_the_chosen_region_and_state():
    assert narrowed(FOUND, "state", regions=("East",)) == ["NY"]
    assert narrowed(FOUND, "state", regions=("Central", "South")) == ["TX"]
    assert narrowed(FOUND, "city", regions=("West",)) == ["Los Angeles", "Springfield"]
    assert narrowed(FOUND, "city", states=("TX",)) == ["Austin", "Houston"]
    # Region and state together: the cities in both (Oregon is West, not East: none).
    assert narrowed(FOUND, "city", regions=("East",), states=("OR",)) == []
    assert narrowed(FOUND, "city", regions=("West",), states=("OR",)) == ["Springfield"]
    # Nothing chosen: every one ('' left out).
    assert narrowed(FOUND, "state") == ["CA", "NY", "OR", "TX"]


def test_the_stored_places_and_the_header_lists(places_shop):
    with places_shop.connect() as conn:
        found = geography.places(conn)
    # Order 4 has no ship-to at all: not a place.
    assert found == [
        ("East", "NY", "Buffalo"),
        ("East", "NY", "New York"),
        ("West", "CA", "Los Angeles"),
    ]
    stored = {"state": ["CA", "NY"], "city": ["Buffalo", "Los Angeles", "New York"]}
    assert _within(places_shop, "city", Filters(states=("CA",)), stored) == ["Los Angeles"]
    assert _within(places_shop, "state", Filters(regions=("East",)), stored) == ["NY"]
    assert _within(places_shop, "city", Filters(regions=("East",)), stored) == [
        "Buffalo",
        "New York",
    ]
    # A state chosen leaves the state list whole (one may pick a second), and no choice
    # leaves the cities as stored.
    assert _within(places_shop, "state", Filters(states=("CA",)), stored) == ["CA", "NY"]
    assert _within(places_shop, "city", Filters(), stored) == stored["city"]


def test_a_trend_point_names_its_period():
    half_year = Filters(start=date(2024, 1, 1), end=date(2024, 6, 30))
    click = {"points": [{"x": "2024-03-01", "y": 1200.0, "curveNumber": 0}]}
    assert trend_period(click, "month", half_year) == (
        (date(2024, 3, 1), date(2024, 3, 31)),
        "March 2024",
    )
    # Asked by year over half a year, the trend draws months (fitting_granularity: one
    # year and two quarters are under its 5 points, six months are not).
    assert trend_period({"points": [{"x": "2024-05-01"}]}, "year", half_year) == (
        (date(2024, 5, 1), date(2024, 5, 31)),
        "May 2024",
    )
    # By week: the week of Monday 4 March.
    assert trend_period({"points": [{"x": "2024-03-04"}]}, "week", half_year) == (
        (date(2024, 3, 4), date(2024, 3, 10)),
        "week of 4 Mar 2024",
    )
    for forged in ({}, {"points": "x"}, {"points": [{"x": "March"}]}, {"points": [7]}):
        with pytest.raises(DrillError):
            trend_period(forged, "month", half_year)


def _drill(country: str, level: str, places: list[str]) -> PlaceDrill:
    df = pd.DataFrame(
        [(p, 100, 1, 1) for p in places], columns=["place", "revenue_cents", "orders", "customers"]
    )
    return PlaceDrill(country, level, df, len(df))


def test_the_state_drill_says_why_there_is_no_map():
    assert map_note(_drill("United States", "state", ["CA", "New York"])) == ""  # a map
    assert map_note(_drill("United States", "city", ["Buffalo"])) == ""  # cities: bars
    assert map_note(_drill("Australia", "state", ["NSW", "VIC"])) == (
        "No state map for Australia: the built-in maps have state shapes for the United "
        "States only, so its states are shown as bars."
    )
    assert map_note(_drill("USA", "state", ["CA", "Puerto Rico"])).startswith(
        "No state map: some states are neither a US state code nor a name"
    )
