"""The Dash app factory: `create_app(engine)` builds the whole single-page app."""

from __future__ import annotations

import logging
from pathlib import Path

from dash import Dash, set_props
from dash.exceptions import DependencyException
from sqlalchemy import Engine

from dashapp.api import create_api_blueprint
from dashapp.cache import init_answer_cache
from dashapp.settings import Settings
from dashapp.store.db import get_engine
from dashapp.ui import (
    account,
    admin,
    anomalies,
    catalog,
    forecast,
    ids,
    insight,
    orders,
    overview,
    shell,
)
from dashapp.ui.background import background_manager
from dashapp.ui.theme import register_template
from dashapp.ui.unavailable import callback_error_message, init_unavailable_pages
from dashapp.web.access import current_account, init_access
from dashapp.web.exports import init_exports
from dashapp.web.security_headers import init_security_headers

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


def _unknown_script(_err: DependencyException):
    """Dash raises this for a path under /_dash-component-suites/ that names no script of a
    registered package: anyone, signed in or not, could turn it into a 500."""
    return "Not found", 404


def create_app(engine: Engine | None = None, demo: bool | None = None) -> Dash:
    """Build the app on `engine` (default: the configured database).

    demo=True signs every visitor in as the demo admin (SALES_PULSE_DEMO=1, used by make run).
    """
    engine = engine or get_engine()
    if demo is None:
        demo = Settings.from_env().demo
    register_template()
    manager = background_manager(engine)
    app = Dash(
        __name__,
        title="Sales Pulse",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        on_error=_show_error,
        # No MCP endpoint: it would run callbacks outside the role check on /_dash-update-component.
        enable_mcp=False,
        background_callback_manager=manager,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.background_manager = manager  # the Celery worker takes its Celery app from here
    init_access(app.server, engine, demo=demo)
    init_unavailable_pages(app.server)
    app.server.register_error_handler(DependencyException, _unknown_script)
    init_answer_cache(app.server, engine)
    ordered = (
        overview.SECTION,
        orders.SECTION,
        *catalog.SECTIONS,
        insight.SECTION,
        forecast.SECTION,
        anomalies.SECTION,
        admin.SECTION,
    )
    sections = {s.path: s for s in ordered}
    app.layout = lambda: shell.layout(list(sections.values()), current_account(), demo)
    shell.register_callbacks(app, engine, sections)
    for section in (overview, orders, catalog, insight, forecast, anomalies, admin, account):
        section.register_callbacks(app, engine)
    init_exports(app.server, engine)
    app.server.register_blueprint(create_api_blueprint(engine))
    # Last: the policy lists the hashes of every inline script, clientside callbacks included.
    init_security_headers(app.server, app.csp_hashes())
    return app
