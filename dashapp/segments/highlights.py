"""The few numbers the insight page leads with, read off the scored customers."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

# Customers who used to buy often and have gone quiet: the revenue a win-back campaign targets.
AT_RISK_SEGMENTS = ("At Risk", "Can't Lose Them")


class SegmentHighlights(NamedTuple):
    """Headline figures of one RFM scoring; money in integer cents."""

    customers: int
    revenue_cents: int
    champions: int
    champions_revenue_cents: int
    at_risk: int
    at_risk_revenue_cents: int
    repeat_customers: int
    median_recency_days: int | None


def segment_highlights(scores: pd.DataFrame) -> SegmentHighlights:
    """Scored customers, Champions, revenue at risk and repeat buyers (frequency >= 2)."""
    champions = scores[scores["segment"] == "Champions"]
    at_risk = scores[scores["segment"].isin(AT_RISK_SEGMENTS)]
    median = scores["recency_days"].median() if len(scores) else None
    return SegmentHighlights(
        customers=len(scores),
        revenue_cents=int(scores["monetary_cents"].sum()),
        champions=len(champions),
        champions_revenue_cents=int(champions["monetary_cents"].sum()),
        at_risk=len(at_risk),
        at_risk_revenue_cents=int(at_risk["monetary_cents"].sum()),
        repeat_customers=int((scores["frequency"] >= 2).sum()),
        # A median of an even count can fall between two days; round down to whole days.
        median_recency_days=None if median is None else int(median),
    )
