"""Customer insight: RFM scores, named segments and their recommended actions.

Domain code only (no Dash): the page, the API and `python -m dashapp rfm` all call these.
"""

from dashapp.segments.export import (
    customer_records,
    heatmap_records,
    members_csv,
    summary_records,
)
from dashapp.segments.grid import PRIORITIES, SEGMENT_ACTIONS, SEGMENTS, segment_for
from dashapp.segments.highlights import AT_RISK_SEGMENTS, SegmentHighlights, segment_highlights
from dashapp.segments.rfm import customer_totals, rfm_period_end, rfm_scores
from dashapp.segments.scoring import quintile_scores
from dashapp.segments.summary import rf_heatmap, segment_members, segment_summary

__all__ = [
    "AT_RISK_SEGMENTS",
    "PRIORITIES",
    "SEGMENTS",
    "SEGMENT_ACTIONS",
    "SegmentHighlights",
    "customer_records",
    "customer_totals",
    "heatmap_records",
    "members_csv",
    "quintile_scores",
    "rf_heatmap",
    "rfm_period_end",
    "rfm_scores",
    "segment_for",
    "segment_highlights",
    "segment_members",
    "segment_summary",
    "summary_records",
]
