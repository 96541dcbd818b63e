"""Alert rows and texts of the Anomalies page (issue 18: one-line rows, one minus sign)."""

from dashapp.ui.anomalies import change_text, drivers_text, score_text

DRIVERS = [
    {"dimension": "country", "key": "France", "lost_cents": 30000},
    {"dimension": "product", "key": "P1", "lost_cents": 20000},
    {"dimension": "product", "key": "P2", "lost_cents": 5050},
]


def test_grid_drivers_keep_the_two_largest_and_count_the_rest():
    assert drivers_text(DRIVERS, 2) == "France (country) −$300.00; P1 (product) −$200.00; +1 more"
    assert drivers_text(DRIVERS) == (
        "France (country) −$300.00; P1 (product) −$200.00; P2 (product) −$50.50"
    )
    assert drivers_text(DRIVERS[:2], 2) == "France (country) −$300.00; P1 (product) −$200.00"


def test_score_uses_the_minus_sign_the_grid_uses():
    # d3.format(',.2f')(-2.7) in the grid writes U+2212, not a hyphen.
    assert score_text(-2.7) == "\u22122.70"
    assert score_text(3.14159) == "3.14"


def test_change_reads_as_a_fall_a_rise_or_none():
    # drop_pct 75.0 is a 75 % fall; -4.0 a day 4 % above its expected revenue.
    assert change_text(75.0) == "\u221275.0 %"
    assert change_text(-4.0) == "+4.0 %"
    assert change_text(0.0) == "0.0 %" and change_text(-0.04) == "0.0 %"
