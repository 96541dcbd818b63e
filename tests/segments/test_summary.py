"""Segment summary, R x F heatmap and member lists, from hand-built score frames and PEOPLE."""

from datetime import date

import pandas as pd
import pytest

from dashapp.filters import Filters
from dashapp.segments import rf_heatmap, rfm_scores, segment_members, segment_summary

COLUMNS = ["customer_id", "name", "frequency", "monetary_cents", "r", "f", "segment"]
# Two Champions in cell (5, 5), one in (5, 4); one At Risk.
SCORES = pd.DataFrame(
    [
        (1, "Ann", 3, 1001, 5, 5, "Champions"),
        (2, "Ben", 1, 500, 5, 5, "Champions"),
        (3, "Cy", 2, 2000, 5, 4, "Champions"),
        (4, "Di", 4, 99, 1, 3, "At Risk"),
    ],
    columns=COLUMNS,
)


def test_summary_counts_shares_revenue_and_half_up_aov():
    s = segment_summary(SCORES).set_index("segment")
    champions = s.loc["Champions"]
    assert champions["customers"] == 3
    assert champions["share"] == pytest.approx(0.75)
    assert champions["revenue_cents"] == 3501  # 1001 + 500 + 2000
    assert champions["orders"] == 6  # 3 + 1 + 2
    assert champions["aov_cents"] == 584  # 3501 / 6 = 583.5 -> 584 (half up)
    at_risk = s.loc["At Risk"]
    assert (at_risk["customers"], at_risk["revenue_cents"], at_risk["aov_cents"]) == (1, 99, 25)
    assert at_risk["share"] == pytest.approx(0.25)


def test_summary_lists_all_segments_grouped_by_priority():
    s = segment_summary(SCORES)
    assert len(s) == 11
    assert s["priority"].tolist() == ["High"] * 3 + ["Medium"] * 6 + ["Low"] * 2
    # Within High, larger revenue first: Champions 35.01, At Risk 0.99, Can't Lose Them 0.
    assert s["segment"].tolist()[:3] == ["Champions", "At Risk", "Can't Lose Them"]
    empty = s.set_index("segment").loc["Lost"]
    assert (empty["customers"], empty["share"], empty["aov_cents"]) == (0, 0.0, 0)
    assert all(s["action"].str.len() > 10)


def test_summary_and_heatmap_of_no_customers_are_all_zeros():
    s = segment_summary(SCORES.iloc[0:0])
    assert len(s) == 11
    assert s["customers"].sum() == 0
    assert (s["share"] == 0).all()
    h = rf_heatmap(SCORES.iloc[0:0])
    assert len(h) == 25
    assert h["customers"].sum() == 0
    assert h["avg_monetary_cents"].isna().all()


def test_heatmap_averages_monetary_per_cell():
    h = rf_heatmap(SCORES).set_index(["r", "f"])
    assert len(h) == 25
    assert h.loc[(5, 5), "customers"] == 2
    assert h.loc[(5, 5), "avg_monetary_cents"] == 751  # (1001 + 500) / 2 = 750.5 -> 751
    assert h.loc[(5, 4), "avg_monetary_cents"] == 2000
    assert h.loc[(1, 3), "segment"] == "At Risk"
    assert h.loc[(1, 1), "customers"] == 0
    assert pd.isna(h.loc[(1, 1), "avg_monetary_cents"])


def test_members_of_a_segment_or_a_cell():
    assert segment_members(SCORES, "Champions")["name"].tolist() == ["Cy", "Ann", "Ben"]
    assert segment_members(SCORES, r=5, f=5)["name"].tolist() == ["Ann", "Ben"]
    assert segment_members(SCORES, "Champions", f=4)["name"].tolist() == ["Cy"]
    assert segment_members(SCORES, "Lost").empty
    assert len(segment_members(SCORES)) == 4


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"segment": "Champs"}, "unknown segment"),
        ({"r": 0}, "r score"),
        ({"f": 6}, "f score"),
        ({"r": "5"}, "r score"),
    ],
)
def test_members_refuse_bad_selections(kwargs, message):
    with pytest.raises(ValueError, match=message):
        segment_members(SCORES, **kwargs)


def test_people_summary_sums_to_the_scored_customers(people_engine):
    with people_engine.connect() as conn:
        scores = rfm_scores(conn, Filters(end=date(2024, 6, 30)))
    s = segment_summary(scores).set_index("segment")
    # Ten customers, one per segment except About to Sleep (see people.py).
    assert s["customers"].sum() == 10
    assert s.loc["About to Sleep", "customers"] == 0
    assert s["revenue_cents"].sum() == 1198000  # the ten monetary values of the table
    # Can't Lose Them: Granite 3,620.00 over 9 orders = 402.22.
    assert s.loc["Can't Lose Them", "aov_cents"] == 40222
    assert s.loc["Champions", "share"] == pytest.approx(0.1)
