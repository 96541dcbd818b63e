"""The detector on the steady fixture (steady.py here).

On DROP_DAY the 7-day baselines are the steady daily amounts and the 28 days before are all
identical, so MAD and mean absolute deviation are 0 and the score uses 1 % of the median:
P1/Cars/France (400.00 -> 100.00): (10000 - 40000) / 400 = -75.
"""

from datetime import date

import numpy as np
import pytest

from dashapp.analytics.anomalies import _daily_matrix, drivers, robust_score, scan
from tests.analytics.anomalies.steady import CATALOG, DROP_DAY, seed_steady
from tests.orders_fixture import seed_orders


@pytest.fixture
def dropped(engine):
    seed_steady(engine, drop=True)
    return engine


def test_drop_gives_exactly_product_category_and_country(dropped):
    with dropped.connect() as conn:
        found = scan(conn)
    assert [(a.scope, a.key, a.day) for a in found] == [
        ("category", "Cars", DROP_DAY),
        ("product", "P1", DROP_DAY),
        ("country", "France", DROP_DAY),
    ]
    for a in found:
        assert (a.baseline_cents, a.actual_cents) == (40000, 10000)
        assert a.drop_pct == 75.0
        assert a.score == -75.0


def test_clean_series_has_no_alerts(engine):
    seed_steady(engine, drop=False)
    with engine.connect() as conn:
        assert scan(conn) == []


@pytest.mark.parametrize("sunday", [0.5, 0.0])
def test_quiet_or_closed_sundays_are_not_drops(engine, sunday):
    # Unadjusted, every half-price Sunday would be a 50 % drop against the 7-day median, and
    # with MAD 0 (24 of 28 days equal) a score of -0.5 / (1.2533 x 4 x 0.5 / 28) = -5.6.
    seed_steady(engine, drop=True, sunday=sunday)
    with engine.connect() as conn:
        found = scan(conn)
    # The Saturday drop is still found, against a Saturday's normal revenue.
    assert [(a.scope, a.key, a.day, a.baseline_cents) for a in found] == [
        ("category", "Cars", DROP_DAY, 40000),
        ("product", "P1", DROP_DAY, 40000),
        ("country", "France", DROP_DAY, 40000),
    ]


def test_thresholds_are_adjustable(dropped):
    with dropped.connect() as conn:
        # 42.9 % for the whole business passes a 40 % threshold.
        loose = scan(conn, min_drop=0.4)
        strict = scan(conn, min_drop=0.8)
        by_score = scan(conn, min_score=80)
        only_total = scan(conn, scopes=("total",), min_drop=0.4)
        too_late = scan(conn, since=date(2024, 4, 21))
    assert [(a.scope, a.key) for a in loose][0] == ("total", "All")
    assert only_total[0].baseline_cents == 70000 and only_total[0].actual_cents == 40000
    assert len(loose) == 4
    assert strict == [] and by_score == [] and too_late == []


def test_baseline_floor_skips_small_keys(dropped):
    with dropped.connect() as conn:
        # Every daily baseline is at most 700.00; a 1,000.00 floor leaves nothing to check.
        assert scan(conn, min_baseline_cents=100_000) == []


def test_drivers_name_the_lost_segments(dropped):
    with dropped.connect() as conn:
        product = drivers(conn, "product", "P1", DROP_DAY)
        country = drivers(conn, "country", "France", DROP_DAY)
        category = drivers(conn, "category", "Cars", DROP_DAY)
        total = drivers(conn, "total", "All", DROP_DAY)
    france = {
        "dimension": "country",
        "key": "France",
        "baseline_cents": 30000,
        "actual_cents": 0,
        "lost_cents": 30000,
    }
    p1_in_france = {**france, "dimension": "product", "key": "P1"}
    # Across countries P1 fell 400.00 -> 100.00; across products France fell 400.00 -> 100.00.
    p1 = {**p1_in_france, "baseline_cents": 40000, "actual_cents": 10000}
    france_all = {**france, "baseline_cents": 40000, "actual_cents": 10000}
    assert product == [france]
    assert country == [p1_in_france]
    assert category == [france, p1]  # within Cars, France lost only its P1 (300.00)
    assert total == [france_all, p1]


@pytest.mark.parametrize(
    "scopes, window, min_drop, min_score",
    [
        (("nope",), 28, 0.5, 3.5),
        ((), 28, 0.5, 3.5),
        (("total",), 3, 0.5, 3.5),
        (("total",), 28, 0, 3.5),
        (("total",), 28, 1.5, 3.5),
        (("total",), 28, 0.5, -1),
    ],
)
def test_bad_thresholds_are_refused(engine, scopes, window, min_drop, min_score):
    with engine.connect() as conn, pytest.raises(ValueError):
        scan(conn, scopes, window, min_drop, min_score)


def test_empty_database_has_nothing_to_scan(engine):
    with engine.connect() as conn:
        assert scan(conn) == []


def test_robust_score_by_hand():
    history = np.array([10.0, 12.0, 11.0, 13.0, 9.0])
    # median 11, |dev| 1,1,0,2,2 -> MAD 1; 0.6745 x (5 - 11) / 1 = -4.047
    assert robust_score(5.0, history) == pytest.approx(-4.047)
    # MAD 0 (three of five equal): mean |dev| = (0+0+0+4+4)/5 = 1.6; -6 / (1.2533 x 1.6)
    assert robust_score(4.0, np.array([10.0, 10.0, 10.0, 14.0, 6.0])) == pytest.approx(
        -6 / (1.253314 * 1.6)
    )


def test_daily_revenue_by_hand_skips_cancelled_orders_and_names_no_country_unknown(engine):
    # 1 Mar: France 300.00 (P1) + a cancelled 99.00; no country 50.00 (P2).
    # 2 Mar: France 120.00 (P2) only.
    seed_orders(
        engine,
        CATALOG,
        [
            (date(2024, 3, 1), "France", "Shipped", [("P1", 3, 30000)]),
            (date(2024, 3, 1), "France", "Cancelled", [("P1", 1, 9900)]),
            (date(2024, 3, 1), None, "Shipped", [("P2", 1, 5000)]),
            (date(2024, 3, 2), "France", "Shipped", [("P2", 2, 12000)]),
        ],
    )
    with engine.connect() as conn:
        by_country = _daily_matrix(conn, "country", date(2024, 3, 1), date(2024, 3, 3))
        by_product = _daily_matrix(conn, "product", date(2024, 3, 1), date(2024, 3, 3))
        total = _daily_matrix(conn, "total", date(2024, 3, 1), date(2024, 3, 3))
    assert by_country.to_dict("list") == {
        "France": [30000.0, 12000.0, 0.0],
        "Unknown": [5000.0, 0.0, 0.0],
    }
    assert by_product.to_dict("list") == {"P1": [30000.0, 0.0, 0.0], "P2": [5000.0, 12000.0, 0.0]}
    assert total.iloc[:, 0].tolist() == [35000.0, 12000.0, 0.0]
