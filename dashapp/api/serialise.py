"""Domain results as JSON values: money from integer cents, dates as ISO strings.

Columns and keys named `*_cents` become the amount in currency units under the name without the
suffix (revenue_cents 38500 -> revenue 385.0), exact to the cent: the cents go through Decimal,
and only the final 2-decimal value becomes a JSON number.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from dashapp.analytics.kpis import cents_to_decimal

CENTS_SUFFIX = "_cents"


def money(cents: int | None) -> float | None:
    """Integer cents as a number with 2 decimals (None stays None)."""
    if cents is None:
        return None
    return float(cents_to_decimal(int(cents)))


def iso(day: date | datetime | None) -> str | None:
    """A date or timestamp in ISO 8601 (seconds for timestamps)."""
    if day is None:
        return None
    if isinstance(day, datetime):
        return day.replace(microsecond=0).isoformat()
    return day.isoformat()


def value(obj: Any) -> Any:
    """Any plain value (numpy, pandas, Decimal, dates, containers) as a JSON value."""
    if obj is None or isinstance(obj, bool | str):
        return obj
    if isinstance(obj, Mapping):
        return record(obj)
    if isinstance(obj, list | tuple):
        return [value(v) for v in obj]
    if isinstance(obj, pd.Timestamp):
        return iso(obj.to_pydatetime())
    if isinstance(obj, date):
        return iso(obj)
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, Decimal):
        return float(obj)
    if isinstance(obj, float | np.floating):
        # JSON has no NaN or infinity.
        return float(obj) if math.isfinite(obj) else None
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return record({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    return str(obj)


def record(row: Mapping[str, Any]) -> dict[str, Any]:
    """One row or mapping: `*_cents` keys as money without the suffix, the rest by `value`."""
    out: dict[str, Any] = {}
    for key, item in row.items():
        if isinstance(key, str) and key.endswith(CENTS_SUFFIX):
            cents = value(item)
            out[key.removesuffix(CENTS_SUFFIX)] = money(cents) if cents is not None else None
        else:
            out[str(key)] = value(item)
    return out


def rows(df: pd.DataFrame, rename: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """A DataFrame as a list of records (renaming columns first, if asked)."""
    if rename:
        df = df.rename(columns=dict(rename))
    return [record(r) for r in df.to_dict(orient="records")]
