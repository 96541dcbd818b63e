"""Run `python -m dashapp ...` in-process against a test database."""

from __future__ import annotations

from click.testing import CliRunner, Result

from dashapp.cli import cli
from dashapp.store.db import get_engine


def run_cli(engine, *args: str) -> Result:
    """Invoke the CLI with --database-url pointing at `engine`'s database."""
    url = engine.url.render_as_string(hide_password=False)
    try:
        return CliRunner().invoke(cli, ["--database-url", url, *args])
    finally:
        # The CLI caches one engine per URL; close its pool so the test database can be dropped.
        get_engine(url).dispose()
