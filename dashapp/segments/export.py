"""The scored customers and the segment summary as CSV (for a mailing) and JSON records."""

from __future__ import annotations

import pandas as pd

from dashapp.analytics.kpis import cents_to_decimal
from dashapp.csv_writer import csv_document
from dashapp.segments.summary import segment_members

CSV_HEADER = ["name", "email", "country", "recency_days", "frequency", "monetary", "segment"]


def members_csv(
    scores: pd.DataFrame,
    segment: str | None = None,
    r: int | None = None,
    f: int | None = None,
) -> str:
    """The members of a segment and/or an R x F cell as CSV text (RFC 4180, CRLF lines)."""
    rows = (
        [
            _text(row.name),
            _text(row.email),
            _text(row.country),
            row.recency_days,
            row.frequency,
            cents_to_decimal(row.monetary_cents),
            row.segment,
        ]
        for row in segment_members(scores, segment, r, f).itertuples(index=False)
    )
    return csv_document(CSV_HEADER, rows)


def customer_records(scores: pd.DataFrame) -> list[dict]:
    """One JSON-ready dict per customer; money as a number with 2 decimals."""
    return [
        {
            "customer_id": int(row.customer_id),
            "name": row.name,
            "country": _none(row.country),
            "email": _none(row.email),
            "last_order_date": row.last_order_date.isoformat(),
            "recency_days": int(row.recency_days),
            "frequency": int(row.frequency),
            "monetary": float(cents_to_decimal(row.monetary_cents)),
            "r": int(row.r),
            "f": int(row.f),
            "m": int(row.m),
            "segment": row.segment,
        }
        for row in scores.itertuples(index=False)
    ]


def summary_records(summary: pd.DataFrame) -> list[dict]:
    """One JSON-ready dict per segment of `segment_summary`; share rounded to 4 places."""
    return [
        {
            "segment": row.segment,
            "priority": row.priority,
            "customers": int(row.customers),
            "share": round(float(row.share), 4),
            "revenue": float(cents_to_decimal(row.revenue_cents)),
            "orders": int(row.orders),
            "aov": float(cents_to_decimal(row.aov_cents)),
            "action": row.action,
        }
        for row in summary.itertuples(index=False)
    ]


def heatmap_records(heatmap: pd.DataFrame) -> list[dict]:
    """One JSON-ready dict per R x F cell of `rf_heatmap`; average monetary None when empty."""
    return [
        {
            "r": int(row.r),
            "f": int(row.f),
            "segment": row.segment,
            "customers": int(row.customers),
            "avg_monetary": None
            if pd.isna(row.avg_monetary_cents)
            else float(cents_to_decimal(int(row.avg_monetary_cents))),
        }
        for row in heatmap.itertuples(index=False)
    ]


def _none(value):
    return None if value is None or pd.isna(value) else value


def _text(value) -> str:
    value = _none(value)
    return "" if value is None else str(value)
