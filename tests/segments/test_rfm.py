"""rfm_scores on the hand-made PEOPLE set (tests/segments/people.py holds the worked table)."""

from datetime import date

import pytest

from dashapp.filters import Filters
from dashapp.segments import rfm_period_end, rfm_scores


def by_name(df) -> dict[str, tuple]:
    cols = ["recency_days", "frequency", "monetary_cents", "r", "f", "m", "segment"]
    return {row["name"]: tuple(row[c] for c in cols) for _, row in df.iterrows()}


def test_whole_history_matches_the_worked_table(people_engine):
    with people_engine.connect() as conn:
        df = rfm_scores(conn, Filters())
        end = rfm_period_end(conn, Filters())
    assert end == date(2024, 6, 30)
    assert by_name(df) == {
        "Alpine Models": (0, 10, 503000, 5, 5, 5, "Champions"),
        "Bayside Toys": (5, 1, 100000, 5, 1, 4, "New"),
        "Corner Hobbies": (12, 5, 30000, 4, 3, 2, "Potential Loyalist"),
        "Delta Gifts": (20, 2, 28000, 4, 1, 2, "Promising"),
        "Eastside Crafts": (35, 6, 48000, 3, 3, 3, "Need Attention"),
        "Fjord Collectables": (50, 7, 70000, 3, 4, 4, "Loyal"),
        "Granite Replicas": (80, 9, 362000, 2, 5, 5, "Can't Lose Them"),
        "Harbour Minis": (120, 3, 6000, 2, 2, 1, "Hibernating"),
        "Iron Horse Ltd": (200, 4, 11000, 1, 2, 1, "Lost"),
        "Juniper Games": (300, 8, 40000, 1, 4, 3, "At Risk"),
    }


def test_rows_carry_identity_and_come_largest_monetary_first(people_engine):
    with people_engine.connect() as conn:
        df = rfm_scores(conn, Filters())
    assert df["name"].tolist()[:3] == ["Alpine Models", "Granite Replicas", "Bayside Toys"]
    first = df.iloc[0]
    assert (first["customer_id"], first["country"], first["email"]) == (
        1,
        "France",
        "buy@alpine.example",
    )
    assert first["last_order_date"] == date(2024, 6, 30)
    assert df.loc[df["name"] == "Juniper Games", "email"].isna().all()


def test_cancelled_orders_are_ignored(people_engine):
    with people_engine.connect() as conn:
        df = rfm_scores(conn, Filters())
    # Kestrel only ever cancelled; Lark never ordered.
    assert "Kestrel Trading" not in set(df["name"])
    assert "Lark Prospects" not in set(df["name"])
    assert len(df) == 10
    # Iron Horse's cancelled order of 2024-06-29 neither makes them recent nor adds 999.00.
    iron = by_name(df)["Iron Horse Ltd"]
    assert iron[:3] == (200, 4, 11000)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # Three customers, one Trains line each on their last order; recency still counts to
        # the last order day of the data (2024-06-30). n = 3 scores 1, 3, 5; the tied F = 1 all
        # score 3.
        pytest.param(
            Filters(categories=("Trains",)),
            {
                "Alpine Models": (0, 1, 3000, 5, 3, 5, "Potential Loyalist"),
                "Granite Replicas": (80, 1, 2000, 3, 3, 3, "Need Attention"),
                "Iron Horse Ltd": (200, 1, 1000, 1, 3, 1, "At Risk"),
            },
            id="category",
        ),
        # Alpine (0 days, 10 orders, 5,030.00), Bayside (5, 1, 1,000.00), Harbour (120, 3,
        # 60.00).
        pytest.param(
            Filters(countries=("France",)),
            {
                "Alpine Models": (0, 10, 503000, 5, 5, 5, "Champions"),
                "Bayside Toys": (5, 1, 100000, 3, 1, 3, "About to Sleep"),
                "Harbour Minis": (120, 3, 6000, 1, 3, 1, "At Risk"),
            },
            id="country",
        ),
    ],
)
def test_a_filter_scores_only_the_matching_lines(people_engine, filters, expected):
    with people_engine.connect() as conn:
        df = rfm_scores(conn, filters)
    assert by_name(df) == expected


def test_end_date_is_the_recency_reference(people_engine):
    f = Filters(end=date(2024, 6, 20))
    with people_engine.connect() as conn:
        df = rfm_scores(conn, f)
        assert rfm_period_end(conn, f) == date(2024, 6, 20)
    rows = by_name(df)
    # Bayside's only order (2024-06-25) is after the end; Alpine keeps 9 of its 10 Cars orders,
    # the last on 2024-06-20 (its Trains line was on the 2024-06-30 order): 9 x 500.00.
    assert "Bayside Toys" not in rows
    assert rows["Alpine Models"][:3] == (0, 9, 450000)
    # Delta's last order is 2024-06-10: ten days before the end.
    assert rows["Delta Gifts"][0] == 10
    assert len(df) == 9


def test_two_customers_take_scores_2_and_4(people_engine):
    with people_engine.connect() as conn:
        df = rfm_scores(conn, Filters(customers=(1, 2)))
    # Alpine beats Bayside on R (0 < 5 days), F (10 > 1) and M: 4 4 4 vs 2 2 2.
    assert by_name(df) == {
        "Alpine Models": (0, 10, 503000, 4, 4, 4, "Loyal"),
        "Bayside Toys": (5, 1, 100000, 2, 2, 2, "Hibernating"),
    }


def test_a_single_customer_scores_three_throughout(people_engine):
    with people_engine.connect() as conn:
        df = rfm_scores(conn, Filters(customers=(8,)))
    assert by_name(df) == {"Harbour Minis": (120, 3, 6000, 3, 3, 3, "Need Attention")}


def test_no_matching_orders_gives_an_empty_frame(people_engine):
    with people_engine.connect() as conn:
        cancelled_only = rfm_scores(conn, Filters(statuses=("Cancelled",)))
        future = rfm_scores(conn, Filters(start=date(2030, 1, 1)))
    for df in (cancelled_only, future):
        assert df.empty
        assert list(df.columns)[-4:] == ["r", "f", "m", "segment"]


def test_empty_database(engine):
    with engine.connect() as conn:
        assert rfm_scores(conn, Filters()).empty
        assert rfm_period_end(conn, Filters()) is None
