"""Named customer segments from the R and F scores, with a recommended action for each.

The widely used R x F grid (R = recency score, F = frequency score, 5 = best), with its
low-recency, low-frequency corner split so the least recent row is Lost rather than Hibernating:

    R \\ F |  1              2              3              4            5
    ------+--------------------------------------------------------------------------
      5   | New            Potential Loy. Potential Loy.  Champions    Champions
      4   | Promising      Potential Loy. Potential Loy.  Loyal        Loyal
      3   | About to Sleep About to Sleep Need Attention  Loyal        Loyal
      2   | Hibernating    Hibernating    At Risk         At Risk      Can't Lose Them
      1   | Lost           Lost           At Risk         At Risk      Can't Lose Them
"""

from __future__ import annotations

from numbers import Integral
from typing import NamedTuple

SEGMENTS = (
    "Champions",
    "Loyal",
    "Potential Loyalist",
    "New",
    "Promising",
    "Need Attention",
    "About to Sleep",
    "At Risk",
    "Can't Lose Them",
    "Hibernating",
    "Lost",
)
PRIORITIES = ("High", "Medium", "Low")

# (segment, R scores, F scores): the grid in the module docstring, cell by cell.
_RULES: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...] = (
    ("Champions", (5,), (4, 5)),
    ("Loyal", (3, 4), (4, 5)),
    ("Potential Loyalist", (4, 5), (2, 3)),
    ("New", (5,), (1,)),
    ("Promising", (4,), (1,)),
    ("Need Attention", (3,), (3,)),
    ("About to Sleep", (3,), (1, 2)),
    ("At Risk", (1, 2), (3, 4)),
    ("Can't Lose Them", (1, 2), (5,)),
    ("Hibernating", (2,), (1, 2)),
    ("Lost", (1,), (1, 2)),
)
_GRID = {(r, f): name for name, rs, fs in _RULES for r in rs for f in fs}
assert len(_GRID) == 25, "every R x F cell must have exactly one segment"


class SegmentAction(NamedTuple):
    """How urgently to act on a segment, and what to do."""

    priority: str
    action: str


SEGMENT_ACTIONS: dict[str, SegmentAction] = {
    "Champions": SegmentAction(
        "High", "Reward them: early access, loyalty perks; ask for reviews and referrals."
    ),
    "Loyal": SegmentAction(
        "Medium", "Upsell higher-value products and invite them to a loyalty programme."
    ),
    "Potential Loyalist": SegmentAction(
        "Medium", "Offer a membership or loyalty programme; recommend related products."
    ),
    "New": SegmentAction(
        "Medium", "Onboard them well: a welcome series and a reason for a second order."
    ),
    "Promising": SegmentAction(
        "Medium", "Build the habit: free shipping or a small offer on the next order."
    ),
    "Need Attention": SegmentAction(
        "Medium", "Send limited-time offers based on past purchases before they slip."
    ),
    "About to Sleep": SegmentAction(
        "Medium", "Reconnect with popular products and a discount; share useful content."
    ),
    "At Risk": SegmentAction(
        "High", "Send personal win-back emails with strong offers; ask what went wrong."
    ),
    "Can't Lose Them": SegmentAction(
        "High", "Win them back personally (call, renewal offer) before a competitor does."
    ),
    "Hibernating": SegmentAction(
        "Low", "Re-engage cheaply with relevant offers; otherwise keep spending low."
    ),
    "Lost": SegmentAction("Low", "Try one last reactivation campaign, then stop spending on them."),
}


def segment_for(r: int, f: int) -> str:
    """The named segment of an R score and an F score (each 1-5)."""
    if not (isinstance(r, Integral) and isinstance(f, Integral)) or (r, f) not in _GRID:
        raise ValueError(f"R and F scores must be whole numbers 1-5, got {r!r}, {f!r}")
    return _GRID[(int(r), int(f))]
