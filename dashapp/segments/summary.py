"""Views of the scored customers: per segment, per R x F cell, and the members of either."""

from __future__ import annotations

from numbers import Integral

import pandas as pd

from dashapp.segments.grid import PRIORITIES, SEGMENT_ACTIONS, SEGMENTS, segment_for

SUMMARY_COLUMNS = [
    "segment",
    "customers",
    "share",
    "revenue_cents",
    "orders",
    "aov_cents",
    "priority",
    "action",
]


def segment_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Every segment (empty ones too) with customers, share, revenue, orders, AOV and action.

    Sorted by priority (High first), then by revenue. Share is a fraction of all scored
    customers; AOV is revenue / orders in cents, rounded half up.
    """
    grouped = scores.groupby("segment").agg(
        customers=("customer_id", "size"),
        revenue_cents=("monetary_cents", "sum"),
        orders=("frequency", "sum"),
    )
    df = grouped.reindex(list(SEGMENTS), fill_value=0).astype("int64")
    df.index.name = "segment"
    df = df.reset_index()
    total = int(df["customers"].sum())
    df["share"] = df["customers"] / total if total else 0.0
    df["aov_cents"] = [
        _div_half_up(rev, n) for rev, n in zip(df["revenue_cents"], df["orders"], strict=True)
    ]
    df["aov_cents"] = df["aov_cents"].astype("int64")
    df["priority"] = [SEGMENT_ACTIONS[s].priority for s in df["segment"]]
    df["action"] = [SEGMENT_ACTIONS[s].action for s in df["segment"]]
    df["_rank"] = df["priority"].map(PRIORITIES.index)
    df["_order"] = df["segment"].map(SEGMENTS.index)
    df = df.sort_values(["_rank", "revenue_cents", "_order"], ascending=[True, False, True])
    return df[SUMMARY_COLUMNS].reset_index(drop=True)


def rf_heatmap(scores: pd.DataFrame) -> pd.DataFrame:
    """All 25 R x F cells: segment, customers and average monetary value (<NA> when empty)."""
    cells = pd.MultiIndex.from_product([range(1, 6), range(1, 6)], names=["r", "f"])
    df = (
        scores.groupby(["r", "f"])
        .agg(customers=("customer_id", "size"), revenue_cents=("monetary_cents", "sum"))
        .reindex(cells, fill_value=0)
        .astype("int64")
        .reset_index()
    )
    df["segment"] = [segment_for(r, f) for r, f in zip(df["r"], df["f"], strict=True)]
    averages = [
        _div_half_up(m, n) if n else pd.NA
        for m, n in zip(df["revenue_cents"], df["customers"], strict=True)
    ]
    df["avg_monetary_cents"] = pd.array(averages, dtype="Int64")
    return df[["r", "f", "segment", "customers", "avg_monetary_cents"]]


def segment_members(
    scores: pd.DataFrame,
    segment: str | None = None,
    r: int | None = None,
    f: int | None = None,
) -> pd.DataFrame:
    """The customers of a segment and/or an R x F cell (all when none is given)."""
    if segment is not None and segment not in SEGMENTS:
        raise ValueError(f"unknown segment {segment!r}; expected one of {', '.join(SEGMENTS)}")
    mask = pd.Series(True, index=scores.index)
    if segment is not None:
        mask &= scores["segment"] == segment
    for name, value in (("r", r), ("f", f)):
        if value is None:
            continue
        if not isinstance(value, Integral) or not 1 <= value <= 5:
            raise ValueError(f"{name} score must be a whole number 1-5, got {value!r}")
        mask &= scores[name] == value
    members = scores[mask]
    members = members.sort_values(["monetary_cents", "customer_id"], ascending=[False, True])
    return members.reset_index(drop=True)


def _div_half_up(numerator: int, denominator: int) -> int:
    """Non-negative integer division rounded half up (0 when the denominator is 0)."""
    if not denominator:
        return 0
    return (2 * int(numerator) + int(denominator)) // (2 * int(denominator))
