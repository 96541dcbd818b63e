"""The R x F segment grid and the action per segment."""

import pytest

from dashapp.segments.grid import PRIORITIES, SEGMENT_ACTIONS, SEGMENTS, segment_for

# The docstring table of dashapp/segments/grid.py, row by row (R = 5 first, F = 1..5).
EXPECTED_GRID = {
    5: ["New", "Potential Loyalist", "Potential Loyalist", "Champions", "Champions"],
    4: ["Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal"],
    3: ["About to Sleep", "About to Sleep", "Need Attention", "Loyal", "Loyal"],
    2: ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
    1: ["Lost", "Lost", "At Risk", "At Risk", "Can't Lose Them"],
}


def test_every_cell_matches_the_documented_grid():
    for r, row in EXPECTED_GRID.items():
        assert [segment_for(r, f) for f in range(1, 6)] == row


def test_all_eleven_segments_are_reachable_and_have_an_action():
    reached = {segment_for(r, f) for r in range(1, 6) for f in range(1, 6)}
    assert reached == set(SEGMENTS)
    assert len(SEGMENTS) == 11
    assert set(SEGMENT_ACTIONS) == set(SEGMENTS)
    assert all(a.priority in PRIORITIES and a.action for a in SEGMENT_ACTIONS.values())


def test_urgent_segments_are_high_priority():
    assert SEGMENT_ACTIONS["Can't Lose Them"].priority == "High"
    assert SEGMENT_ACTIONS["At Risk"].priority == "High"
    assert SEGMENT_ACTIONS["Lost"].priority == "Low"


@pytest.mark.parametrize("r, f", [(0, 3), (6, 1), (3, 0), (2.5, 3), ("5", "5"), (None, 1)])
def test_scores_outside_1_to_5_are_refused(r, f):
    with pytest.raises(ValueError, match="1-5"):
        segment_for(r, f)
