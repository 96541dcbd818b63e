"""Browser tests serve the real app on a throw-away SQLite file seeded with tests/tiny.py."""

import pytest

from tests.sites import tiny_site


@pytest.fixture
def tiny_app(new_engine):
    return tiny_site(new_engine("browser"), demo=True)
