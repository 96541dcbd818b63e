"""The Dash app factory: `create_app(engine)` builds the whole single-page app."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dash import Dash, set_props
from sqlalchemy import Engine

from dashapp.store.db import get_engine
from dashapp.ui import catalog, ids, orders, overview, shell
from dashapp.ui.theme import register_template
from dashapp.web.access import current_account, init_access
from dashapp.web.exports import init_exports

ASSETS = Path(__file__).resolve().parents[2] / "assets"
log = logging.getLogger(__name__)


def _show_error(err: Exception) -> None:
    """Any callback failure becomes a dismissible message in the page, never a traceback."""
    log.exception("callback failed", exc_info=err)
    set_props(
        ids.ERROR_ALERT,
        {
            "is_open": True,
            "children": "Something went wrong while updating the page. "
            "Try again; if it keeps happening, check the server log.",
        },
    )


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
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    init_access(app.server, engine, demo=demo)
    sections = {s.path: s for s in (overview.SECTION, orders.SECTION, *catalog.SECTIONS)}
    app.layout = lambda: shell.layout(list(sections.values()), current_account(), demo)
    shell.register_callbacks(app, engine, sections)
    overview.register_callbacks(app, engine)
    orders.register_callbacks(app, engine)
    catalog.register_callbacks(app, engine)
    init_exports(app.server, engine)
    return app
