"""The Dash app factory: `create_app(engine)` builds the whole single-page app."""

from __future__ import annotations

import logging
from pathlib import Path

from dash import Dash, set_props
from sqlalchemy import Engine

from dashapp.store.db import get_engine
from dashapp.ui import ids, overview, shell
from dashapp.ui.theme import register_template

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


def create_app(engine: Engine | None = None) -> Dash:
    """Build the app on `engine` (default: the configured database)."""
    engine = engine or get_engine()
    register_template()
    app = Dash(
        __name__,
        title="Sales Pulse",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        on_error=_show_error,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    sections = {overview.SECTION.path: overview.SECTION}
    app.layout = shell.layout(list(sections.values()))
    shell.register_callbacks(app, engine, sections)
    overview.register_callbacks(app, engine)
    return app
