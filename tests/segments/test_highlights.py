"""The insight page's headline figures, on PEOPLE (tests/segments/people.py) and edge cases."""

import pandas as pd

from dashapp.filters import Filters
from dashapp.segments import rfm_scores, segment_highlights


def test_highlights_of_people(people_engine):
    with people_engine.connect() as conn:
        h = segment_highlights(rfm_scores(conn, Filters()))
    assert h.customers == 10  # Kestrel (cancelled only) and Lark (no orders) are not scored
    # 5,030 + 1,000 + 300 + 280 + 480 + 700 + 3,620 + 60 + 110 + 400 = 11,980.00
    assert h.revenue_cents == 1_198_000
    assert (h.champions, h.champions_revenue_cents) == (1, 503_000)  # Alpine
    # At Risk: Juniper 400.00; Can't Lose Them: Granite 3,620.00.
    assert (h.at_risk, h.at_risk_revenue_cents) == (2, 402_000)
    assert h.repeat_customers == 9  # everyone but Bayside (one order)
    # Recencies sorted: 0 5 12 20 35 50 80 120 200 300 -> (35 + 50) / 2 = 42.5 -> 42 days.
    assert h.median_recency_days == 42


def test_highlights_of_nobody():
    empty = pd.DataFrame(
        {
            "segment": pd.Series([], dtype="object"),
            "monetary_cents": pd.Series([], dtype="int64"),
            "frequency": pd.Series([], dtype="int64"),
            "recency_days": pd.Series([], dtype="int64"),
        }
    )
    h = segment_highlights(empty)
    assert (h.customers, h.revenue_cents, h.champions, h.at_risk) == (0, 0, 0, 0)
    assert h.median_recency_days is None
