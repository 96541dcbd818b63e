"""The Overview's geography drill without a browser: its figures (text escaped, the US state
map only for US states) and the clicks the view sync takes from it (forged ones refused)."""

import pandas as pd
import pytest

from dashapp.analytics.geography import PlaceDrill
from dashapp.ui.geography import place_bar, state_map, us_state_code
from dashapp.ui.shell import clicked_place


def _drill(country: str, level: str, places: list[tuple[str, int]]) -> PlaceDrill:
    df = pd.DataFrame(
        [(p, cents, 1, 1) for p, cents in places],
        columns=["place", "revenue_cents", "orders", "customers"],
    )
    return PlaceDrill(country, level, df, len(df))


def test_us_states_by_code_or_name():
    assert [us_state_code(s) for s in ("NY", "ca", "New York", "district of columbia")] == [
        "NY",
        "CA",
        "NY",
        "DC",
    ]
    assert us_state_code("NSW") is None and us_state_code("Quebec") is None


def test_the_state_map_for_us_states_and_bars_only_otherwise():
    usa = _drill("USA", "state", [("CA", 150_000), ("New York", 60_000)])
    figure = state_map(usa)
    trace = figure["data"][0]
    assert (trace["locationmode"], trace["locations"], trace["z"]) == (
        "USA-states",
        ["CA", "NY"],
        [1500.0, 600.0],
    )
    assert figure["layout"]["geo"]["scope"] == "usa"
    # Australia's states, a US city level, or one state Plotly does not know: no map.
    assert state_map(_drill("Australia", "state", [("NSW", 100)])) is None
    assert state_map(_drill("United States", "city", [("Buffalo", 100)])) is None
    assert state_map(_drill("United States", "state", [("CA", 1), ("Puerto Rico", 2)])) is None


def test_place_names_reach_plotly_as_text_and_clicks_carry_the_raw_name():
    figure = place_bar(_drill("USA", "city", [("<b>Springfield</b>", 12_345), ("Troy", 100)]))
    bar = figure["data"][0]
    # Drawn bottom-up: the best place last.
    assert bar["y"] == ["Troy", "&lt;b&gt;Springfield&lt;/b&gt;"]
    assert bar["customdata"] == [["Troy", "city"], ["<b>Springfield</b>", "city"]]
    assert bar["x"] == [1.0, 123.45]


def _click(customdata) -> dict:
    return {"points": [{"customdata": customdata, "label": "x"}]}


@pytest.mark.parametrize(
    "click, expected",
    [
        (_click(["West", "region"]), ("region", "West")),
        (_click(["New York", "city"]), ("city", "New York")),
        # Forged: another dimension, markup, a NUL, no dimension, not text, nothing.
        (_click(["Shipped", "status"]), None),
        (_click(["<script>x</script>", "state"]), None),
        (_click(["C\x00A", "state"]), None),
        (_click(["CA"]), None),
        (_click([{"x": 1}, "state"]), None),
        (_click("CA"), None),
        ({"points": []}, None),
        (None, None),
    ],
)
def test_the_view_sync_takes_only_the_clicks_the_drill_draws(click, expected):
    assert clicked_place(click) == expected
