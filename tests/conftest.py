"""Shared fixtures: databases on SQLite and PostgreSQL, the tiny hand-made data set, and the
headless Chromium options for dash_duo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.databases import migrated_engine
from tests.tiny import seed_tiny

SAMPLE_CSV = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sales_data_sample.csv"
)
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    """An empty, migrated database on each backend."""
    with migrated_engine(request.param, tmp_path) as eng:
        yield eng


@pytest.fixture(scope="module", params=BACKENDS)
def tiny_engine(request, tmp_path_factory):
    """The tiny hand-made data set (tests/tiny.py), read-only, on each backend."""
    with migrated_engine(request.param, tmp_path_factory.mktemp("tiny")) as eng:
        seed_tiny(eng)
        yield eng


@pytest.fixture
def sample_csv() -> Path:
    """The public order-line export from ../shared/data (skipped where that folder is absent)."""
    if not SAMPLE_CSV.exists():
        pytest.skip(f"reference data not found at {SAMPLE_CSV}")
    return SAMPLE_CSV


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


def pytest_sessionfinish(session, exitstatus):
    """Stop background-callback job processes that outlive their test.

    Dash's DiskcacheManager forks a process per job; a fork taken while another server thread
    is inside SQLite can leave the child blocked for ever, and Python joins every child at exit,
    which would hang the run after the last test.
    """
    import multiprocess

    for child in multiprocess.active_children():
        child.terminate()
        child.join(timeout=5)
