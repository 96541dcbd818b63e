"""Insight figures and page helpers on small hand-made frames (no browser, no database)."""

from datetime import date

import pandas as pd
import pytest

from dashapp.segments import SEGMENTS, rf_heatmap
from dashapp.ui import insight
from dashapp.ui.insight import figures as insight_figures
from dashapp.ui.theme import segment_colours

SCORES = pd.DataFrame(
    # Two customers in cell R5 F5 (100.00 and 50.01), one in R1 F3.
    {
        "customer_id": [1, 2, 3],
        "monetary_cents": [10000, 5001, 700],
        "r": [5, 5, 1],
        "f": [5, 5, 3],
        "segment": ["Champions", "Champions", "At Risk"],
    }
)


def test_every_segment_has_its_own_fixed_colour():
    colours = segment_colours()
    assert set(colours) == set(SEGMENTS)
    assert len(set(colours.values())) == len(SEGMENTS)
    assert segment_colours() == colours


def test_heatmap_puts_cell_r_f_at_x_f_y_r():
    trace = insight_figures.rf_heatmap_figure(rf_heatmap(SCORES))["data"][0]
    assert list(trace["x"]) == [1, 2, 3, 4, 5] and list(trace["y"]) == [1, 2, 3, 4, 5]
    # Row index = R - 1, column = F - 1; (100.00 + 50.01) / 2 = 75.005 -> 75.01 (half up).
    assert trace["z"][4][4] == 75.01
    assert trace["z"][0][2] == 7.0
    assert trace["z"][2][2] is None  # nobody in R3 F3
    assert list(trace["customdata"][4][4]) == [5, 5, "Champions", 2]
    assert trace["text"][4][4] == "$75.01<br>2"


def test_heatmap_outlines_the_selected_cell_only():
    fig = insight_figures.rf_heatmap_figure(rf_heatmap(SCORES), selected=(2, 4))
    (shape,) = fig["layout"]["shapes"]
    assert (shape["x0"], shape["x1"], shape["y0"], shape["y1"]) == (3.52, 4.48, 1.52, 2.48)
    assert insight_figures.selected_cell_shapes(None) == []


def test_treemap_leaves_out_empty_segments_and_keeps_segment_colours():
    summary = pd.DataFrame(
        {
            "segment": ["Champions", "At Risk", "Lost"],
            "customers": [2, 1, 0],
            "revenue_cents": [15001, 700, 0],
            "share": [2 / 3, 1 / 3, 0.0],
        }
    )
    trace = insight_figures.segment_treemap(summary, segment_colours())["data"][0]
    assert list(trace["labels"]) == ["Champions", "At Risk"]
    assert list(trace["values"]) == [2, 1]
    colours = segment_colours()
    assert list(trace["marker"]["colors"]) == [colours["Champions"], colours["At Risk"]]


def test_new_vs_returning_stacks_new_under_returning():
    df = pd.DataFrame(
        {"period": [date(2024, 1, 1), date(2024, 2, 1)], "new": [3, 1], "returning": [0, 2]}
    )
    fig = insight_figures.new_returning_bars(df, "month")
    assert fig["layout"]["barmode"] == "stack"
    assert [t["name"] for t in fig["data"]] == ["New", "Returning"]
    assert list(fig["data"][1]["y"]) == [0, 2]
    assert list(fig["data"][0]["customdata"]) == ["Jan 2024", "Feb 2024"]


def test_cohort_heatmap_shows_percent_text_and_leaves_the_future_blank():
    df = pd.DataFrame(
        {
            # January: 4 customers, 1 back in February; February: 2 customers, data ends then.
            "cohort": [date(2024, 1, 1), date(2024, 1, 1), date(2024, 2, 1)],
            "months": [0, 1, 0],
            "customers": [4, 1, 2],
            "cohort_size": [4, 4, 2],
            "share": [1.0, 0.25, 1.0],
        }
    )
    trace = insight_figures.cohort_heatmap(df)["data"][0]
    assert list(trace["y"]) == ["Jan 2024", "Feb 2024"]
    assert trace["text"][0] == ["100%", "25%"]
    assert trace["text"][1] == ["100%", ""]
    assert trace["zmax"] == 0.25  # the scale is set by the later months
    assert list(trace["customdata"][0][1]) == [1, 4]


@pytest.mark.parametrize(
    "builder",
    [
        lambda: insight_figures.rf_heatmap_figure(rf_heatmap(SCORES.iloc[0:0])),
        lambda: insight_figures.new_returning_bars(pd.DataFrame(), "month"),
        lambda: insight_figures.cohort_heatmap(pd.DataFrame()),
    ],
)
def test_empty_data_says_what_to_do(builder):
    assert "widen the dates or import data" in builder()["layout"]["annotations"][0]["text"]


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"segment": "At Risk"}, ("At Risk", None, None)),
        ({"r": 2, "f": 5}, (None, 2, 5)),
        (None, None),
        ({}, None),
        ({"segment": "Nobody"}, None),
        ({"r": 6, "f": 1}, None),
        ({"r": 2}, None),
        ({"r": "2", "f": 5}, None),
        ({"r": True, "f": 5}, None),
        ("At Risk", None),
    ],
)
def test_a_forged_or_malformed_selection_counts_as_none(data, expected):
    assert insight._selection_of(data) == expected


def test_export_file_names_say_what_was_selected():
    assert insight._file_name(None) == "customers-all.csv"
    assert insight._file_name(("Can't Lose Them", None, None)) == "customers-can-t-lose-them.csv"
    assert insight._file_name((None, 2, 5)) == "customers-r2-f5.csv"


def test_segment_names_reach_plotly_escaped_and_clicks_read_the_raw_name():
    # Segment names are fixed, but one has an apostrophe: escaped in the tile label (Plotly
    # decodes &#39;), raw in customdata[0], which is what the click handler reads.
    summary = pd.DataFrame(
        {
            "segment": ["Can't Lose Them"],
            "customers": [1],
            "revenue_cents": [700],
            "share": [1.0],
        }
    )
    trace = insight_figures.segment_treemap(summary, segment_colours())["data"][0]
    assert list(trace["labels"]) == ["Can&#39;t Lose Them"]
    assert trace["customdata"][0][0] == "Can't Lose Them"
    cells = pd.DataFrame(
        [(r, f, "Can't Lose Them", 1, 700) for r in range(1, 6) for f in range(1, 6)],
        columns=["r", "f", "segment", "customers", "avg_monetary_cents"],
    )
    heat = insight_figures.rf_heatmap_figure(cells)["data"][0]
    assert list(heat["customdata"][0][0]) == [1, 1, "Can&#39;t Lose Them", 1]


def test_rf_heatmap_colour_bar_has_no_milli_prefix():
    # Issue 18: "$~s" labels 0.8 as "$800m". Averages 0.40 and 0.80: ticks 0 .. 0.8 by 0.2.
    from dashapp.ui.insight.figures import rf_heatmap_figure

    cells = pd.DataFrame(
        [
            {"r": r, "f": f, "customers": 1, "avg_monetary_cents": 40 if r == 1 else 80,
             "segment": "Lost"}
            for r in range(1, 6)
            for f in range(1, 6)
        ]
    )  # fmt: skip
    bar = rf_heatmap_figure(cells)["data"][0]["colorbar"]
    assert list(bar["ticktext"]) == ["$0", "$0.2", "$0.4", "$0.6", "$0.8"]
