"""A chart's cross-filter click reaches the view sync through the XFILTER_CLICK store (the
charts mounting no longer call the view sync at all, issue 17); a forged relay body changes
nothing."""

from __future__ import annotations

import pytest

from dashapp.ui import ids
from tests.sites import tiny_site
from tests.web.forge import forge

COUNTRY_BAR = ids.xfilter(ids.COUNTRY_BAR)


@pytest.fixture
def client(new_engine):
    return tiny_site(new_engine("relay"), demo=True).server.test_client()


def click(client, relayed, countries: tuple[str, ...] = ()):
    """The view sync as the page calls it when the relay store changes, with `countries`
    selected in the URL and the header."""
    search = "".join(f"&country={c}" for c in countries).replace("&", "?", 1)
    return forge(
        client,
        f"{ids.XFILTER_CLICK}.data",
        {
            f"{ids.URL}.search": search,
            f"{ids.COUNTRY}.value": list(countries),
            f"{ids.VIEW}.data": {"filters": search[1:], "preset": "all"},
        },
        output=f"{ids.VIEW}.data",
        matches={"filter-chip": []},
        trigger_value=relayed,
    )


def test_a_relayed_click_on_a_country_bar_filters_by_that_country(client):
    relayed = {"chart": COUNTRY_BAR, "click": {"points": [{"customdata": ["France"]}]}, "at": 1}
    answer = click(client, relayed)
    assert answer.status_code == 200
    assert answer.get_json()["response"][ids.VIEW]["data"]["filters"] == "country=France"


def test_clicking_the_selected_country_again_removes_it(client):
    relayed = {"chart": COUNTRY_BAR, "click": {"points": [{"customdata": ["France"]}]}, "at": 2}
    answer = click(client, relayed, countries=("France",))
    assert answer.get_json()["response"][ids.VIEW]["data"]["filters"] == ""


def test_a_relayed_click_on_the_geography_drill_filters_by_the_place_it_names(client):
    click_data = {"points": [{"customdata": ["CA", "state"]}]}
    relayed = {"chart": ids.xfilter(ids.PLACE_BAR), "click": click_data, "at": 3}
    answer = click(client, relayed)
    assert answer.get_json()["response"][ids.VIEW]["data"]["filters"] == "state=CA"


@pytest.mark.parametrize(
    "relayed",
    [
        None,
        "country=France",
        {"chart": {"type": "xfilter", "dim": "created_by"}, "click": {"points": [{"label": "1"}]}},
        {"chart": COUNTRY_BAR, "click": "France"},
        {"chart": COUNTRY_BAR, "click": {"points": []}},
        # Points that are not a list of dicts, and values no filter takes (a control
        # character, an overlong name, a customer id that is not one, a number for a name).
        {"chart": COUNTRY_BAR, "click": {"points": ["x"]}},
        {"chart": COUNTRY_BAR, "click": {"points": "x"}},
        {"chart": COUNTRY_BAR, "click": {"points": {"0": {"customdata": ["France"]}}}},
        {"chart": COUNTRY_BAR, "click": {"points": [{"customdata": ["a\x00b"]}]}},
        {"chart": COUNTRY_BAR, "click": {"points": [{"customdata": ["F" * 5000]}]}},
        {"chart": COUNTRY_BAR, "click": {"points": [{"customdata": [{"name": "France"}]}]}},
        {"chart": ids.xfilter(ids.TOP_CUSTOMERS), "click": {"points": [{"customdata": "abc"}]}},
        {"chart": ids.xfilter(ids.TOP_CUSTOMERS), "click": {"points": [{"customdata": 1.5e40}]}},
        {"chart": ids.xfilter(ids.TOP_CUSTOMERS), "click": {"points": [{"customdata": True}]}},
        {"chart": ids.xfilter(ids.PLACE_BAR), "click": {"points": ["CA"]}},
    ],
)
def test_a_forged_relay_body_changes_nothing(client, relayed):
    assert click(client, relayed).status_code == 204


def test_a_relayed_click_on_a_top_customer_filters_by_its_id(client):
    # Plotly hands the id back as the number it was given (or 2.0 after a JSON round trip).
    for customdata in (2, 2.0, "2"):
        relayed = {
            "chart": ids.xfilter(ids.TOP_CUSTOMERS),
            "click": {"points": [{"customdata": customdata}]},
        }
        answer = click(client, relayed)
        assert answer.get_json()["response"][ids.VIEW]["data"]["filters"] == "customer=2"
