"""The hand-made RFM and cohort data sets (tests/segments/people.py) on each backend."""

from __future__ import annotations

import pytest

from tests.conftest import BACKENDS
from tests.databases import seeded_engine
from tests.segments.people import seed_cohorts, seed_people


@pytest.fixture(scope="package", params=BACKENDS)
def people_engine(request, tmp_path_factory):
    """PEOPLE: ten scored customers plus a cancelled-only and an order-less one (read-only)."""
    with seeded_engine(request.param, tmp_path_factory.mktemp("people"), seed_people) as eng:
        yield eng


@pytest.fixture(scope="package", params=BACKENDS)
def cohort_engine(request, tmp_path_factory):
    """COHORTS: five customers over January-April 2024 (read-only)."""
    with seeded_engine(request.param, tmp_path_factory.mktemp("cohorts"), seed_cohorts) as eng:
        yield eng
