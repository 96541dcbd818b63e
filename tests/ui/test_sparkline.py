"""The KPI sparkline is a small SVG picture, not a plotly graph."""

from urllib.parse import unquote

import pandas as pd

from dashapp.ui.figures import sparkline

PREFIX = "data:image/svg+xml;utf8,"


def svg_of(uri: str) -> str:
    assert uri.startswith(PREFIX)
    return unquote(uri.removeprefix(PREFIX))


def test_the_line_spans_the_box_from_zero_to_the_highest_value():
    svg = svg_of(sparkline(pd.DataFrame({"period": [1, 2, 3], "revenue": [1, 2, 3]}), "revenue"))
    # viewBox 100 x 36; the y range is 0..3 (zero included) drawn on rows 35 (bottom) to 1:
    # y = 35 - v / 3 * 34 -> 1: 23.67, 2: 12.33, 3: 1.0; x steps 100 / 2 = 50.
    assert 'points="0.0,23.67 50.0,12.33 100.0,1.0"' in svg
    assert 'polygon points="0,36 0.0,23.67 50.0,12.33 100.0,1.0 100.0,36"' in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 36"')


def test_one_period_is_a_flat_line_and_no_periods_an_empty_picture():
    one = svg_of(sparkline(pd.DataFrame({"period": [1], "orders": [5]}), "orders"))
    assert 'points="0.0,1.0 100,1.0"' in one  # 5 is the top of 0..5
    empty = svg_of(sparkline(pd.DataFrame({"period": [], "orders": []}), "orders"))
    assert "polyline" not in empty and empty.endswith("</svg>")


def test_a_partial_last_period_is_a_dashed_segment():
    df = pd.DataFrame({"period": [1, 2, 3], "revenue": [3, 3, 1]})
    svg = svg_of(sparkline(df, "revenue", partial=[False, False, True]))
    # y = 35 - v / 3 * 34: 3 -> 1.0, 1 -> 23.67; x 0, 50, 100. Solid 0-50, dashed 50-100.
    assert '<polyline points="0.0,1.0 50.0,1.0" fill="none"' in svg
    assert 'points="50.0,1.0 100.0,23.67"' in svg
    dashed = svg.split('points="50.0,1.0 100.0,23.67"')[1].split("/>")[0]
    assert 'stroke-dasharray="3 2"' in dashed
