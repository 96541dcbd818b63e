"""Browser tests serve the real app on a throw-away SQLite file seeded with tests/tiny.py."""

import pytest

from dashapp.store.db import make_engine
from dashapp.store.migrate import upgrade
from dashapp.ui import create_app
from tests.tiny import seed_tiny


@pytest.fixture
def tiny_app(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/browser.db")
    upgrade(engine)
    seed_tiny(engine)
    app = create_app(engine, demo=True)
    app.engine = engine  # tests re-query the database through it
    yield app
    engine.dispose()
