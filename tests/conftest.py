"""Shared fixtures: databases on SQLite and PostgreSQL, the tiny hand-made data set, and the
headless Chromium options for dash_duo."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine

from tests.databases import (
    drop_templates,
    fresh_database,
    fresh_engine,
    migrated_engine,
    seeded_engine,
)
from tests.loss_shop import seed_loss_shop
from tests.tiny import seed_tiny

SAMPLE_CSV = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sales_data_sample.csv"
)
BACKENDS = ["sqlite", "postgresql"]
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    """An empty, migrated database on each backend."""
    with migrated_engine(request.param, tmp_path) as eng:
        yield eng


def seeded_on_each_backend(name: str, seed: Callable[[Engine], None], doc: str, scope="module"):
    """A fixture `name`: an engine holding what `seed(engine)` writes, made once per `scope` on
    each backend and read-only; `doc` says what it holds."""

    def seeded(request, tmp_path_factory):
        with seeded_engine(request.param, tmp_path_factory.mktemp(name), seed) as eng:
            yield eng

    seeded.__doc__ = doc
    return pytest.fixture(seeded, scope=scope, params=BACKENDS, name=name)


tiny_engine = seeded_on_each_backend(
    "tiny_engine", seed_tiny, "The tiny hand-made data set (tests/tiny.py), read-only."
)
loss_shop = seeded_on_each_backend(
    "loss_shop", seed_loss_shop, "The loss shop (tests/loss_shop.py), read-only."
)


@pytest.fixture
def new_engine(tmp_path):
    """new_engine(name) -> an engine on an empty, unmigrated database of this test's own: on
    PostgreSQL under make test-pg (DATABASE_URL), else a SQLite file in tmp_path."""
    with ExitStack() as stack:
        yield lambda name="app": stack.enter_context(fresh_engine(tmp_path, name))


@pytest.fixture
def new_database_url(tmp_path):
    """new_database_url(name) -> the URL of such a database, for tests of the CLI."""
    with ExitStack() as stack:
        yield lambda name="app": stack.enter_context(fresh_database(tmp_path, name))


@pytest.fixture
def redis_server(monkeypatch):
    """The local Redis (make services starts it) under a unique SALES_PULSE_REDIS_PREFIX; every
    key under the prefix is deleted afterwards. .url, .prefix, .client (redis-py)."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_TEST_URL} (make services starts it)")
    prefix = f"sp-test-{uuid.uuid4().hex[:10]}:"
    monkeypatch.setenv("SALES_PULSE_REDIS_PREFIX", prefix)
    yield SimpleNamespace(url=REDIS_TEST_URL, prefix=prefix, client=client)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def sample_csv() -> Path:
    """The public order-line export from ../shared/data (skipped where that folder is absent)."""
    if not SAMPLE_CSV.exists():
        pytest.skip(f"reference data not found at {SAMPLE_CSV}")
    return SAMPLE_CSV


@pytest.fixture(scope="module", params=BACKENDS)
def sample_engine(request, tmp_path_factory):
    """The public export imported once per backend and module, through the importer as a user
    would (`import_csv`, no options); skipped where ../shared/data is absent."""
    if not SAMPLE_CSV.exists():
        pytest.skip(f"reference data not found at {SAMPLE_CSV}")
    from dashapp.importer import import_csv

    with migrated_engine(request.param, tmp_path_factory.mktemp("sample")) as eng:
        report = import_csv(eng, SAMPLE_CSV)
        assert report.rejects == [], report.rejects
        yield eng


def pytest_setup_options():
    """Chromium options for dash_duo: the Debian binary and a desktop-sized window."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    binary = os.environ.get("DASH_TEST_CHROMEPATH") or "/usr/bin/chromium"
    if Path(binary).exists():
        options.binary_location = binary
    options.add_argument("--window-size=1280,1024")
    options.add_argument("--disable-background-networking")
    return options


def pytest_configure(config):
    """Each pytest-xdist worker serves its dash_duo apps from its own port range, so browser
    tests can run on every worker at once (Dash's threaded runner counts ports up from 58050 in
    each process, which would collide across workers)."""
    from dash.testing.application_runners import BaseDashRunner

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    BaseDashRunner._next_port = int(os.environ.get("DASH_TEST_PORT_BASE", "58050")) + 500 * index


# What a test costs, roughly, in seconds on a quiet 2-core machine, for scheduling only: a browser
# test starts Chromium and an app; a PostgreSQL case makes and drops its database. The files
# that cost far more than their count says are named with what they took on their own.
BROWSER_TEST_S = 8.0
POSTGRESQL_CASE_S = 0.8
OTHER_TEST_S = 0.3
SLOW_FILES_S = {
    "tests/analytics/anomalies/test_demo_drops.py": 62.0,  # 1M demo orders
}


def _cost(item) -> float:
    path = item.nodeid.split("::")[0]
    if path.startswith("tests/browser/"):
        return BROWSER_TEST_S
    return POSTGRESQL_CASE_S if "postgresql" in item.nodeid else OTHER_TEST_S


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Groups for `pytest -n N --dist loadgroup` (make test): each test file stays on one worker,
    so module-scoped fixtures such as a demo database are built once. Browser test files are
    spread over the workers like the others (each worker has its own port range, above).

    The files are then ordered by their expected cost, dearest first (make test passes
    --no-loadscope-reorder, so the workers take them in this order): scheduled by test count,
    a one-test file such as the 1M-order demo check, and the few-test browser files, came last
    and left one worker idle while the other finished them. Within a file the order stays."""
    cost: dict[str, float] = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(path))
        cost[path] = cost.get(path, SLOW_FILES_S.get(path, 0.0)) + _cost(item)
    items.sort(key=lambda item: -cost[item.nodeid.split("::")[0]])


def pytest_sessionfinish(session, exitstatus):
    """The test databases' PostgreSQL templates go with the session (tests/databases.py)."""
    drop_templates()
