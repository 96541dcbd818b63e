"""The world map (issue 18 item 11): a log colour scale that separates countries, a legend in
dollars, and the continent zoom. Figures by hand."""

import math

import pandas as pd
import pytest

from dashapp.ui.figures import country_map, log_ticks, map_geo


def frame(rows):
    return pd.DataFrame(rows, columns=["country", "revenue_cents"])


def test_a_log_scale_keeps_small_markets_apart_from_the_biggest():
    # USA $1,000,000, France $10,000, Belgium $1,000: log10 gives 6, 4 and 3.
    df = frame([("USA", 100_000_000), ("France", 1_000_000), ("Belgium", 100_000)])
    trace = country_map(df)["data"][0]
    assert list(trace["locations"]) == ["USA", "FRA", "BEL"]
    assert list(trace["z"]) == pytest.approx([6, 4, 3])
    assert (trace["zmin"], trace["zmax"]) == pytest.approx((3, 6))
    # France sits a third of the way up the colours; linearly it was 1 % (10k of 1M).
    low, high = trace["zmin"], trace["zmax"]
    assert (trace["z"][1] - low) / (high - low) == pytest.approx(1 / 3)
    # The legend reads in dollars, one tick per power of ten.
    assert list(trace["colorbar"]["tickvals"]) == pytest.approx([3, 4, 5, 6])
    assert list(trace["colorbar"]["ticktext"]) == ["$1k", "$10k", "$100k", "$1M"]
    assert list(trace["text"]) == ["$1,000,000.00", "$10,000.00", "$1,000.00"]


def test_a_country_with_returns_only_takes_the_palest_shade_and_says_its_revenue():
    df = frame([("USA", 50_000), ("France", -5_000)])
    trace = country_map(df)["data"][0]
    assert trace["z"][1] == trace["zmin"] == pytest.approx(math.log10(500))
    assert trace["text"][1] == "-$50.00"


@pytest.mark.parametrize(
    "low, high, expected",
    [
        (1_200, 5_000_000, [10_000, 100_000, 1_000_000]),  # three decades: those alone
        (1_200_000, 5_000_000, [2_000_000, 5_000_000]),  # inside one decade: 1-2-5 steps
        (235, 449.99, [235, 449.99]),  # no step between them: the two ends
    ],
)
def test_log_ticks(low, high, expected):
    assert log_ticks(low, high) == expected


def test_regions_zoom_the_map_on_the_world_map_file():
    world = map_geo()
    assert world["projection"] == {"type": "natural earth"}
    assert (world["lonaxis"], world["lataxis"]) == ({"range": [-180, 180]}, {"range": [-60, 90]})
    # A region is a window on the same map (no other map file to fetch): Europe from 25 W to
    # 45 E and from 34 N to 72 N.
    europe = map_geo("europe")
    assert (europe["lonaxis"], europe["lataxis"]) == ({"range": [-25, 45]}, {"range": [34, 72]})
    assert "scope" not in europe
    # The figure is drawn in the region asked for.
    df = frame([("Australia", 10_000)])
    assert country_map(df, "oceania")["layout"]["geo"]["lonaxis"]["range"] == [105, 180]
