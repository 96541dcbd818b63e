"""Figure builders are pure: small frames in, figures out (no browser, no database)."""

from datetime import date

import pandas as pd

from dashapp.ui import figures
from dashapp.ui.theme import category_colours


def test_category_colours_do_not_depend_on_the_filter():
    everything = category_colours(["Ships", "Cars", "Planes"])
    assert everything == category_colours(["Planes", "Cars", "Ships"])
    assert len(set(everything.values())) == 3


def test_donut_carries_the_category_for_cross_filtering():
    df = pd.DataFrame({"category": ["Cars", "Ships"], "revenue_cents": [150_00, 50_00]})
    fig = figures.category_donut(df, {"Cars": "#111111", "Ships": "#222222"})
    pie = fig.data[0]
    assert list(pie.customdata) == ["Cars", "Ships"]
    assert list(pie.values) == [150.0, 50.0]
    assert list(pie.marker.colors) == ["#111111", "#222222"]


def test_ranked_bar_puts_the_best_on_top_and_keeps_keys():
    df = pd.DataFrame(
        {
            "name": ["Acme", "Bolt"],
            "customer_id": [1, 2],
            "revenue_cents": [449_99, 235_00],
            "units": [4, 5],
        }
    )
    bar = figures.ranked_bar(df, "name", "customer_id", "revenue").data[0]
    assert list(bar.y) == ["Bolt", "Acme"]  # plotly draws bottom-up
    assert list(bar.customdata) == [2, 1]
    assert list(bar.x) == [235.0, 449.99]


def test_country_map_uses_iso_codes_and_skips_unknown_places():
    df = pd.DataFrame({"country": ["USA", "UK", "Unknown"], "revenue_cents": [1, 2, 3]})
    trace = figures.country_map(df).data[0]
    assert list(trace.locations) == ["USA", "GBR"]
    assert list(trace.customdata) == ["USA", "UK"]


def test_calendar_is_weekday_by_week_within_a_year():
    days = pd.DataFrame({"period": [date(2024, 1, 10)], "revenue_cents": [250_00]})
    trace = figures.calendar_heatmap(days, date(2024, 1, 8), date(2024, 1, 21)).data[0]
    assert list(trace.y) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert len(trace.x) == 2  # weeks of 8 and 15 January
    assert trace.z[2][0] == 250.0  # Wednesday of the first week
    assert trace.z[0][1] == 0.0


def test_calendar_is_month_by_year_for_long_ranges():
    days = pd.DataFrame(
        {"period": [date(2023, 3, 1), date(2024, 3, 2)], "revenue_cents": [100, 300]}
    )
    trace = figures.calendar_heatmap(days, date(2023, 1, 1), date(2024, 12, 31)).data[0]
    assert list(trace.y) == ["2023", "2024"]
    assert trace.z[0][2] == 1.0 and trace.z[1][2] == 3.0


def test_empty_frames_give_a_message_not_a_blank_chart():
    empty = pd.DataFrame({"period": [], "revenue_cents": []})
    fig = figures.revenue_trend(empty, empty, "month")
    assert "widen the dates or import data" in fig.layout.annotations[0].text
