"""The Dash app factory: `create_app(engine)` builds the whole single-page app."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import diskcache
from dash import Dash, DiskcacheManager, set_props
from sqlalchemy import Engine

from dashapp.api import create_api_blueprint
from dashapp.store.db import PROJECT_ROOT, get_engine
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
from dashapp.ui.theme import register_template
from dashapp.ui.unavailable import callback_error_message, init_unavailable_pages
from dashapp.web.access import current_account, init_access
from dashapp.web.exports import init_exports

ASSETS = Path(__file__).resolve().parents[2] / "assets"
log = logging.getLogger(__name__)


def _show_error(err: Exception) -> None:
    """Any callback failure becomes a dismissible message in the page, never a traceback;
    a busy or unreachable database says so, and to try again."""
    set_props(ids.ERROR_ALERT, {"is_open": True, "children": callback_error_message(err)})


def background_manager(engine: Engine) -> DiskcacheManager:
    """The job store of background callbacks: SALES_PULSE_CACHE_DIR, else cache/ beside the
    SQLite file, else data/cache."""
    if os.environ.get("SALES_PULSE_CACHE_DIR"):
        return DiskcacheManager(diskcache.Cache(os.environ["SALES_PULSE_CACHE_DIR"]))
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    base = Path(path).parent if path and path != ":memory:" else PROJECT_ROOT / "data"
    return DiskcacheManager(diskcache.Cache(str(base / "cache")))


def create_app(engine: Engine | None = None, demo: bool | None = None) -> Dash:
    """Build the app on `engine` (default: the configured database).

    demo=True signs every visitor in as the demo admin (SALES_PULSE_DEMO=1, used by make run).
    """
    engine = engine or get_engine()
    if demo is None:
        demo = os.environ.get("SALES_PULSE_DEMO") == "1"
    register_template()
    app = Dash(
        __name__,
        title="Sales Pulse",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        on_error=_show_error,
        # No MCP endpoint: it would run callbacks outside the role check on /_dash-update-component.
        enable_mcp=False,
        background_callback_manager=background_manager(engine),
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    init_access(app.server, engine, demo=demo)
    init_unavailable_pages(app.server)
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
    return app
