"""Quintile scores 1-5 from ranks: the rule behind the R, F and M scores."""

from __future__ import annotations

import pandas as pd


def quintile_scores(values: pd.Series, *, higher_is_better: bool = True) -> pd.Series:
    """Score each value 1-5 by its quintile among `values` (5 = best).

    score = ceil(5 x (midrank - 1/2) / n), where midrank is the value's 1-based position from
    worst to best and tied values share the average of their positions. So equal values always
    get equal scores (a fully tied column scores 3 throughout), and the scale is symmetric:
    n = 1 scores 3; n = 2 scores 2, 4; n = 3 scores 1, 3, 5; n = 4 scores 1, 2, 4, 5; and any
    multiple of five splits into exact fifths (n = 10 scores 1, 1, 2, 2, ..., 5, 5).
    """
    n = len(values)
    if n == 0:
        return pd.Series([], index=values.index, dtype="int64")
    if values.isna().any():
        raise ValueError("cannot score missing values")
    midranks = values.rank(method="average", ascending=higher_is_better)
    # Midranks are whole or half numbers: work on twice the rank in integers so a value sitting
    # on a quintile boundary never lands on the wrong side through float rounding.
    twice = (midranks * 2).round().astype("int64")
    return ((5 * (twice - 1) + 2 * n - 1) // (2 * n)).astype("int64")
