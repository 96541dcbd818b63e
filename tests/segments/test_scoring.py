"""Quintile scoring: positions, ties, small counts and direction, on hand-checked series."""

import pandas as pd
import pytest

from dashapp.segments.scoring import quintile_scores


def scores(values, **kw) -> list[int]:
    return quintile_scores(pd.Series(values), **kw).tolist()


def test_ten_distinct_values_split_into_fifths():
    # ceil(5 x (p - 1/2) / 10) for p = 1..10: 0.25 0.75 1.25 ... 4.75 -> 1 1 2 2 3 3 4 4 5 5
    assert scores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_order_of_the_input_does_not_matter():
    assert scores([70, 10, 100, 40]) == [4, 1, 5, 2]


def test_fewer_than_five_values_still_span_the_scale():
    assert scores([7]) == [3]  # 5 x 0.5 / 1 = 2.5
    assert scores([1, 2]) == [2, 4]  # 1.25, 3.75
    assert scores([1, 2, 3]) == [1, 3, 5]  # 0.83, 2.5, 4.17
    assert scores([1, 2, 3, 4]) == [1, 2, 4, 5]  # 0.625, 1.875, 3.125, 4.375
    assert scores([1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5]


def test_ties_share_the_score_of_their_average_position():
    # 1 holds positions 1-4 (midrank 2.5 -> 5 x 2 / 6 = 1.67 -> 2); 9 and 9 hold 5-6
    # (midrank 5.5 -> 5 x 5 / 6 = 4.17 -> 5).
    assert scores([1, 1, 1, 1, 9, 9]) == [2, 2, 2, 2, 5, 5]


def test_all_equal_values_score_three():
    assert scores([4, 4, 4, 4, 4, 4, 4]) == [3] * 7


def test_lower_is_better_inverts_the_scale():
    # Recency: 0 days ago is best. Positions from worst: 30 -> 1, 20 -> 2, 10 -> 3, 0 -> 4.
    assert scores([0, 10, 20, 30], higher_is_better=False) == [5, 4, 2, 1]


def test_empty_series_gives_empty_scores():
    assert scores([]) == []


def test_missing_values_are_refused():
    with pytest.raises(ValueError, match="missing"):
        scores([1.0, None, 3.0])
