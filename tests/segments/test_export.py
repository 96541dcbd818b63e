"""The mailing CSV (byte for byte) and the JSON records."""

import pandas as pd
import pytest

from dashapp.filters import Filters
from dashapp.segments import (
    customer_records,
    members_csv,
    rfm_scores,
    segment_summary,
    summary_records,
)


def test_csv_of_a_segment_is_exact(people_engine):
    with people_engine.connect() as conn:
        scores = rfm_scores(conn, Filters(countries=("France",)))
    # France: Alpine Champions, Bayside About to Sleep, Harbour At Risk (see test_rfm).
    assert members_csv(scores, "Champions") == (
        "name,email,country,recency_days,frequency,monetary,segment\r\n"
        "Alpine Models,buy@alpine.example,France,0,10,5030.00,Champions\r\n"
    )


def test_csv_of_a_cell_with_a_missing_email(people_engine):
    with people_engine.connect() as conn:
        scores = rfm_scores(conn, Filters())
    assert members_csv(scores, r=1, f=4) == (
        "name,email,country,recency_days,frequency,monetary,segment\r\n"
        "Juniper Games,,USA,300,8,400.00,At Risk\r\n"
    )


def test_csv_quotes_commas_and_defuses_formulas():
    scores = pd.DataFrame(
        [
            (1, "=HYPERLINK(1)", "a@b.example", "USA", 3, 2, 12345, 5, 5, "Champions"),
            (2, "Smith, Jones & Co", None, "France", 40, 1, 5, 5, 5, "Champions"),
        ],
        columns=[
            "customer_id",
            "name",
            "email",
            "country",
            "recency_days",
            "frequency",
            "monetary_cents",
            "r",
            "f",
            "segment",
        ],
    )
    assert members_csv(scores).splitlines()[1:] == [
        "'=HYPERLINK(1),a@b.example,USA,3,2,123.45,Champions",
        '"Smith, Jones & Co",,France,40,1,0.05,Champions',
    ]


def test_csv_of_an_empty_segment_is_just_the_header(people_engine):
    with people_engine.connect() as conn:
        scores = rfm_scores(conn, Filters())
    header = "name,email,country,recency_days,frequency,monetary,segment\r\n"
    assert members_csv(scores, "About to Sleep") == header


def test_csv_of_an_unknown_segment_is_refused(people_engine):
    with people_engine.connect() as conn:
        scores = rfm_scores(conn, Filters())
    with pytest.raises(ValueError, match="unknown segment"):
        members_csv(scores, "Nobody")


def test_json_records(people_engine):
    with people_engine.connect() as conn:
        scores = rfm_scores(conn, Filters(customers=(7,)))
    assert customer_records(scores) == [
        {
            "customer_id": 7,
            "name": "Granite Replicas",
            "country": "USA",
            "email": "sales@granite.example",
            "last_order_date": "2024-04-11",  # 80 days before 2024-06-30
            # Recency counts to the last order day of all the data (2024-06-30), not of the
            # filtered customer.
            "recency_days": 80,
            "frequency": 9,
            "monetary": 3620.0,
            "r": 3,
            "f": 3,
            "m": 3,
            "segment": "Need Attention",
        }
    ]
    non_empty = [r for r in summary_records(segment_summary(scores)) if r["customers"]]
    assert non_empty == [
        {
            "segment": "Need Attention",
            "priority": "Medium",
            "customers": 1,
            "share": 1.0,
            "revenue": 3620.0,
            "orders": 9,
            "aov": 402.22,
            "action": non_empty[0]["action"],
        }
    ]
