"""Browser tests serve the real app on a throw-away SQLite file seeded with tests/tiny.py, or
with the forecast pages' sales (tests/browser/forecast_data.py)."""

import pytest

from tests.browser.forecast_data import forecast_app
from tests.sites import tiny_site


@pytest.fixture
def tiny_app(new_engine):
    return tiny_site(new_engine("browser"), demo=True)


@pytest.fixture
def sales_app(new_engine):
    """The app on forecast_data's 120 days of sales (the Forecast and Anomalies pages)."""
    app = forecast_app(new_engine("forecast"))
    yield app
    app.engine.dispose()
