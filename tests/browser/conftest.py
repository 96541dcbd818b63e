"""Browser tests serve the real app on a throw-away SQLite file seeded with tests/tiny.py."""

import pytest

from dashapp.factory import create_app
from dashapp.store.migrate import upgrade
from tests.tiny import seed_tiny


@pytest.fixture
def tiny_app(new_engine):
    engine = new_engine("browser")
    upgrade(engine)
    seed_tiny(engine)
    app = create_app(engine, demo=True)
    app.engine = engine  # tests re-query the database through it
    yield app
    engine.dispose()
