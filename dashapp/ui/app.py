"""The Dash page: the app object with its assets and error alert, and the sections mounted on
it. `dashapp.factory.create_app` puts the server around it."""

from __future__ import annotations

import logging
from pathlib import Path

from dash import Dash, set_props
from sqlalchemy import Engine

from dashapp.ui import (
    account,
    admin,
    anomalies,
    catalog,
    forecast,
    ids,
    insight,
    loss_finder,
    orders,
    overview,
    pivot,
    shell,
    target_card,
    targets,
)
from dashapp.ui.theme import register_template
from dashapp.ui.unavailable import callback_error_message
from dashapp.web.access import current_account

# An installed wheel carries the assets inside the package (setup.py); a checkout serves the
# top-level assets/ folder itself.
_PACKAGED_ASSETS = Path(__file__).resolve().parents[1] / "assets"
ASSETS = (
    _PACKAGED_ASSETS
    if _PACKAGED_ASSETS.is_dir()
    else Path(__file__).resolve().parents[2] / "assets"
)
log = logging.getLogger(__name__)


def _show_error(err: Exception) -> None:
    """Any callback failure becomes a dismissible message in the page, never a traceback;
    a busy or unreachable database says so, and to try again."""
    set_props(ids.ERROR_ALERT, {"is_open": True, "children": callback_error_message(err)})


def build_dash(engine: Engine, manager, demo: bool) -> Dash:
    """The Dash page on `engine`: the shell, every section and its callbacks (the server
    around it, sign-in, API and headers, is put together by dashapp.factory)."""
    register_template()
    app = Dash(
        __name__,
        title="Sales Pulse",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        on_error=_show_error,
        # No MCP endpoint: it would run callbacks outside the role check on /_dash-update-component.
        enable_mcp=False,
        # gzip (flask-compress): the page's scripts are 8 MB as sent, about a third compressed.
        compress=True,
        background_callback_manager=manager,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.background_manager = manager  # the Celery worker takes its Celery app from here
    return app


def mount_sections(app: Dash, engine: Engine, demo: bool) -> None:
    """The page layout and every section's callbacks (after the access check is in place:
    `guarded` records each callback's permission on the server)."""
    # The sidebar's groups: what the numbers say, then the records behind them.
    groups = (
        (
            "Analyse",
            (
                overview.SECTION,
                insight.SECTION,
                pivot.SECTION,
                loss_finder.SECTION,
                forecast.SECTION,
                anomalies.SECTION,
                targets.SECTION,
            ),
        ),
        ("Records", (orders.SECTION, *catalog.SECTIONS)),
        ("Manage", (admin.SECTION,)),
    )
    sections = {s.path: s for _, group in groups for s in group}
    app.layout = lambda: shell.layout(groups, current_account(), demo)
    shell.register_callbacks(app, engine, sections)
    sections_with_callbacks = (
        overview, orders, catalog, insight, pivot, forecast, anomalies, admin, account,
        targets, target_card, loss_finder,
    )  # fmt: skip
    for section in sections_with_callbacks:
        section.register_callbacks(app, engine)
