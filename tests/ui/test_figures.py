"""Figure builders are pure: small frames in, figures out (no browser, no database)."""

from datetime import date

import pandas as pd

from dashapp.ui import figures
from dashapp.ui.theme import category_colours


def test_a_new_category_leaves_every_other_colour_where_it_was():
    # Issue 18: sorted by name, a misspelled "Clasic Cars" took "Classic Cars"' colour and moved
    # every category after it. In order of first appearance, the newcomer comes last.
    before = category_colours(["Ships", "Classic Cars", "Planes"])
    after = category_colours(["Ships", "Classic Cars", "Planes", "Clasic Cars"])
    assert {c: after[c] for c in before} == before
    # PALETTE[0..3] in order of appearance: blue, amber, green, then red for the newcomer.
    assert after == {
        "Ships": "#2563eb",
        "Classic Cars": "#f59e0b",
        "Planes": "#10b981",
        "Clasic Cars": "#ef4444",
    }


def test_donut_carries_the_category_for_cross_filtering():
    df = pd.DataFrame({"category": ["Cars", "Ships"], "revenue_cents": [150_00, 50_00]})
    fig = figures.category_donut(df, {"Cars": "#111111", "Ships": "#222222"})
    pie = fig["data"][0]
    assert list(pie["customdata"]) == ["Cars", "Ships"]
    assert list(pie["values"]) == [150.0, 50.0]
    assert list(pie["marker"]["colors"]) == ["#111111", "#222222"]


def test_ranked_bar_puts_the_best_on_top_and_keeps_keys():
    df = pd.DataFrame(
        {
            "name": ["Acme", "Bolt"],
            "customer_id": [1, 2],
            "revenue_cents": [449_99, 235_00],
            "units": [4, 5],
        }
    )
    bar = figures.ranked_bar(df, "name", "customer_id", "revenue")["data"][0]
    assert list(bar["y"]) == ["Bolt", "Acme"]  # plotly draws bottom-up
    assert list(bar["customdata"]) == [2, 1]
    assert list(bar["x"]) == [235.0, 449.99]


def test_country_map_uses_iso_codes_and_skips_unknown_places():
    df = pd.DataFrame({"country": ["USA", "UK", "Unknown"], "revenue_cents": [1, 2, 3]})
    trace = figures.country_map(df)["data"][0]
    assert list(trace["locations"]) == ["USA", "GBR"]
    assert [list(c) for c in trace["customdata"]] == [["USA", "USA"], ["UK", "UK"]]


def test_calendar_is_weekday_by_week_within_a_year():
    days = pd.DataFrame({"period": [date(2024, 1, 10)], "revenue_cents": [250_00]})
    trace = figures.calendar_heatmap(days, date(2024, 1, 8), date(2024, 1, 21))["data"][0]
    assert list(trace["y"]) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert len(trace["x"]) == 2  # weeks of 8 and 15 January
    assert trace["z"][2][0] == 250.0  # Wednesday of the first week
    assert trace["z"][0][1] == 0.0


def test_calendar_is_month_by_year_for_long_ranges():
    days = pd.DataFrame(
        {"period": [date(2023, 3, 1), date(2024, 3, 2)], "revenue_cents": [100, 300]}
    )
    trace = figures.calendar_heatmap(days, date(2023, 1, 1), date(2024, 12, 31))["data"][0]
    assert list(trace["y"]) == ["2023", "2024"]
    assert trace["z"][0][2] == 1.0 and trace["z"][1][2] == 3.0


def test_empty_frames_give_a_message_not_a_blank_chart():
    empty = pd.DataFrame({"period": [], "revenue_cents": []})
    fig = figures.revenue_trend(empty, empty, "month")
    assert "widen the dates or import data" in fig["layout"]["annotations"][0]["text"]


def test_the_empty_message_is_on_lines_that_fit_a_phone():
    # A Plotly annotation never wraps: on one 56-character line it ran out of a 400 px card.
    text = figures.empty_figure()["layout"]["annotations"][0]["text"]
    assert text == "No orders in this range —<br>widen the dates or import data"
    assert figures.short_lines("Select an alert in the list to see it on its series") == [
        "Select an alert in the list to",
        "see it on its series",
    ]


# Issue 15: Plotly renders an HTML subset in labels, so user text must arrive escaped.
LINK = '<a href="https://evil.example">Click me</a>'
LINK_SHOWN = "&lt;a href=&#34;https://evil.example&#34;&gt;Click me&lt;/a&gt;"
BOLD = "<b>x</b>"
BOLD_SHOWN = "&lt;b&gt;x&lt;/b&gt;"


def test_plot_text_escapes_markup_once():
    from dashapp.ui.text import plot_text

    assert plot_text(LINK) == LINK_SHOWN
    assert plot_text(BOLD) == BOLD_SHOWN
    # "&" once: not "&amp;amp;"; the apostrophe as a reference Plotly decodes.
    assert plot_text("Smith & Sons' Ltd") == "Smith &amp; Sons&#39; Ltd"


def test_ranked_bar_escapes_labels_and_keeps_raw_keys_for_clicks():
    df = pd.DataFrame(
        {
            "name": [LINK, BOLD, "Smith & Sons"],
            "customer_id": [7, 8, 9],
            "revenue_cents": [300_00, 200_00, 100_00],
            "units": [3, 2, 1],
        }
    )
    bar = figures.ranked_bar(df, "name", "customer_id", "revenue")["data"][0]
    assert list(bar["y"]) == ["Smith &amp; Sons", BOLD_SHOWN, LINK_SHOWN]  # bottom-up
    assert list(bar["customdata"]) == [9, 8, 7]
    assert bar["hovertemplate"].startswith("%{y}<br>")  # the hover shows the escaped label
    by_sku = pd.DataFrame({"label": [LINK], "sku": ["S<1>"], "revenue_cents": [100], "units": [1]})
    bar = figures.ranked_bar(by_sku, "label", "sku", "units")["data"][0]
    assert list(bar["y"]) == [LINK_SHOWN]
    assert list(bar["customdata"]) == ["S<1>"]  # the raw SKU is what a click filters on


def test_donut_escapes_slice_labels_and_keeps_raw_categories():
    df = pd.DataFrame({"category": [LINK, "Cars & Vans"], "revenue_cents": [150_00, 50_00]})
    pie = figures.category_donut(df, {})["data"][0]
    assert list(pie["labels"]) == [LINK_SHOWN, "Cars &amp; Vans"]
    assert list(pie["customdata"]) == [LINK, "Cars & Vans"]
    assert "%{customdata" not in pie["hovertemplate"]


def test_category_trend_escapes_legend_and_hover_but_clicks_get_the_raw_name():
    df = pd.DataFrame({"category": [BOLD], "period": [date(2024, 1, 1)], "revenue_cents": [100_00]})
    line = figures.category_trend(df, {}, "month")["data"][0]
    assert line["name"] == BOLD_SHOWN
    assert list(line["customdata"][0]) == [BOLD, "Jan 2024", BOLD_SHOWN]
    assert line["hovertemplate"].endswith("<extra>%{customdata[2]}</extra>")


def test_country_map_hover_is_escaped_and_click_value_raw():
    df = pd.DataFrame({"country": ["USA", "<b>x</b>"], "revenue_cents": [1, 2]})
    # "<b>x</b>" has no ISO code, so only USA is drawn; the hover reads the escaped copy.
    trace = figures.country_map(df)["data"][0]
    assert trace["hovertemplate"].startswith("%{customdata[1]}<br>")
    df = pd.DataFrame({"country": ["United Kingdom"], "revenue_cents": [1]})
    assert [list(c) for c in figures.country_map(df)["data"][0]["customdata"]] == [
        ["United Kingdom", "United Kingdom"]
    ]


# Issue 18: partial periods, gaps and axis labels.


def test_money_axis_says_k_and_m_never_plotly_milli():
    # Plotly's "$~s" labels 0.8 as "$800m"; ours: max 0.8 -> raw step 0.2 -> 0, 0.2 .. 0.8.
    small = figures.compact_axis([0.8], "$")
    assert small["ticktext"] == ["$0", "$0.2", "$0.4", "$0.6", "$0.8"]
    # Max 3,200,000: step 800k -> 1M (the first of 1, 2, 2.5, 5, 10 x 100k >= 800k).
    big = figures.compact_axis([681_000, 3_200_000], "$")
    assert big["ticktext"] == ["$0", "$1M", "$2M", "$3M", "$4M"]
    # All zero (a page of cancelled orders only): one unit, not 0 to 0.
    assert figures.compact_axis([0, 0], "$")["ticktext"][-1] == "$1"
    # Units are whole: 0..3 in steps of 1, not 0.75.
    assert figures.compact_axis([3], integer=True)["ticktext"] == ["0", "1", "2", "3"]


def test_trend_marks_the_partial_month_dashed_with_to_date_in_the_hover():
    current = pd.DataFrame(
        {
            "period": [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)],
            "revenue_cents": [300_000_00, 320_000_00, 68_100_00],
        }
    )
    previous = pd.DataFrame(columns=["period", "revenue_cents", "label"])
    notes = ["", "", "month to date (1–5 Dec, 5 of 31 days)"]
    fig = figures.revenue_trend(current, previous, "month", notes)
    dashed = next(t for t in fig["data"] if t["name"] == figures.PARTIAL_NAME)
    line = next(t for t in fig["data"] if t["name"] == "Revenue")
    assert dashed["line"]["dash"] == "dash"
    assert list(dashed["y"]) == [320000.0, 68100.0, None]  # November to December
    # The solid line breaks (a None point) before December, which keeps its hover and an
    # open marker.
    assert list(line["y"]) == [300000.0, 320000.0, None, 68100.0]
    assert line["customdata"][-1] == "Dec 2026 · month to date (1–5 Dec, 5 of 31 days)"
    assert list(line["marker"]["symbol"]) == ["circle", "circle", "circle", "circle-open"]


def test_category_line_dashes_its_partial_end_and_keeps_the_raw_name():
    df = pd.DataFrame(
        {
            "category": ["Cars", "Cars"],
            "period": [date(2024, 1, 1), date(2024, 2, 1)],
            "revenue_cents": [100_00, 10_00],
        }
    )
    notes = {date(2024, 2, 1): "month to date (1–5 Feb, 5 of 29 days)"}
    fig = figures.category_trend(df, {"Cars": "#111111"}, "month", notes)
    solid, dashed = fig["data"]
    assert list(solid["y"]) == [100.0, None, 10.0]
    assert list(solid["customdata"][2]) == [
        "Cars",
        "Feb 2024 · month to date (1–5 Feb, 5 of 29 days)",
        "Cars",
    ]
    assert (dashed["line"]["dash"], dashed["line"]["color"], dashed["showlegend"]) == (
        "dash",
        "#111111",
        False,
    )


def test_calendar_over_years_keeps_the_empty_years_as_zero_rows():
    days = pd.DataFrame(
        {"period": [date(2003, 3, 1), date(2005, 3, 2)], "revenue_cents": [100, 300]}
    )
    trace = figures.calendar_heatmap(days, date(2003, 1, 1), date(2005, 5, 31))["data"][0]
    assert list(trace["y"]) == ["2003", "2004", "2005"]
    assert trace["z"][1][6] == 0.0  # July 2004: no orders, a zero cell, not a missing row
    assert pd.isna(trace["z"][2][6])  # July 2005 is after the range: blank


def test_calendar_folds_years_without_orders_into_one_row():
    # Orders in Mar 2003 and Mar 2006 only: 2004 and 2005 are whole years of zeros, one row.
    days = pd.DataFrame(
        {"period": [date(2003, 3, 1), date(2006, 3, 2)], "revenue_cents": [100, 300]}
    )
    trace = figures.calendar_heatmap(days, date(2003, 1, 1), date(2006, 12, 31))["data"][0]
    assert list(trace["y"]) == ["2003", "2004–2005 · none", "2006"]
    assert list(trace["z"][1]) == [0.0] * 12
    assert trace["z"][2][2] == 3.0


# Issue 17: figures are plain dicts, the JSON plotly's graph objects sent, built without them.


def test_a_plain_dict_figure_is_the_json_graph_objects_sent():
    import json

    import plotly.graph_objects as go
    from plotly.io.json import to_json_plotly

    from dashapp.ui.theme import register_template

    register_template()
    made = figures.figure([dict(type="bar", x=["Jan"], y=[1.5])], dict(height=300))
    assert made["data"] == [{"type": "bar", "x": ["Jan"], "y": [1.5]}]
    assert made["layout"]["height"] == 300
    # The theme's template rides along, as go.Figure put it: font size 12, margins of 8 px.
    assert made["layout"]["template"]["layout"]["font"]["size"] == 12
    assert made["layout"]["template"]["layout"]["margin"] == {"b": 8, "l": 8, "r": 8, "t": 8}
    sent = go.Figure(go.Bar(x=["Jan"], y=[1.5]), layout=dict(height=300))
    assert json.loads(to_json_plotly(made)) == json.loads(to_json_plotly(sent))


def test_vline_is_the_shape_add_vline_draws():
    import plotly.graph_objects as go

    day = date(2024, 7, 19)
    shape = figures.vline(day, dict(color="#94a3b8", dash="dot", width=1))
    # From the x axis' value, across the whole height of the plot (0 to 1 of the y domain).
    assert shape == {
        "type": "line",
        "x0": day,
        "x1": day,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "line": {"color": "#94a3b8", "dash": "dot", "width": 1},
    }
    drawn = go.Figure().add_vline(x=day, line=dict(color="#94a3b8", dash="dot", width=1))
    assert drawn.layout.shapes[0].to_plotly_json() == shape
