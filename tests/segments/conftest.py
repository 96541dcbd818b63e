"""The hand-made RFM and cohort data sets (tests/segments/people.py) on each backend."""

from __future__ import annotations

from tests.conftest import seeded_on_each_backend
from tests.segments.people import seed_cohorts, seed_people

people_engine = seeded_on_each_backend(
    "people_engine",
    seed_people,
    "PEOPLE: ten scored customers plus a cancelled-only and an order-less one (read-only).",
    scope="package",
)
cohort_engine = seeded_on_each_backend(
    "cohort_engine",
    seed_cohorts,
    "COHORTS: five customers over January-April 2024 (read-only).",
    scope="package",
)
