"""The composition root: `create_app` puts the whole application together.

Settings are read once here and handed down; the store, the Dash page (dashapp.ui), sign-in and
access (dashapp.web), the REST API, downloads, the answer cache, health check, logging and
security headers are each built by their own module and joined only here. `python app.py`,
`sales-pulse serve`, the Celery worker and the tests all call this one function.
"""

from __future__ import annotations

from dash import Dash
from dash.exceptions import DependencyException
from sqlalchemy import Engine

from dashapp.api import create_api_blueprint
from dashapp.settings import Settings
from dashapp.store.db import get_engine
from dashapp.ui.app import build_dash, mount_sections
from dashapp.ui.unavailable import init_unavailable_pages
from dashapp.web.access import init_access
from dashapp.web.answers import init_answer_cache
from dashapp.web.exports import init_exports
from dashapp.web.health import init_health
from dashapp.web.jobs import background_manager
from dashapp.web.logs import configure_logging
from dashapp.web.reports import init_reports
from dashapp.web.security_headers import init_security_headers


def _unknown_script(_err: DependencyException):
    """Dash raises this for a path under /_dash-component-suites/ that names no script of a
    registered package: anyone, signed in or not, could turn it into a 500."""
    return "Not found", 404


def create_app(
    engine: Engine | None = None, demo: bool | None = None, settings: Settings | None = None
) -> Dash:
    """The app on `engine` (default: the configured database) under `settings` (default: the
    environment's). demo=True signs every visitor in as the demo admin (SALES_PULSE_DEMO=1,
    used by make run)."""
    settings = settings or Settings.from_env()
    configure_logging(settings)
    engine = engine or get_engine()
    demo = settings.demo if demo is None else demo
    app = build_dash(engine, background_manager(engine), demo)
    server = app.server
    init_access(server, engine, demo=demo)
    init_unavailable_pages(server)
    server.register_error_handler(DependencyException, _unknown_script)
    init_answer_cache(server, engine)
    init_health(server, engine)
    mount_sections(app, engine, demo)
    init_exports(server, engine)
    init_reports(server, engine)
    server.register_blueprint(create_api_blueprint(engine))
    # Last: the policy lists the hashes of every inline script, clientside callbacks included.
    init_security_headers(server, app.csp_hashes())
    prepare_scripts(app)
    return app


def prepare_scripts(app: Dash) -> None:
    """Register the page's script paths now rather than on the first request. Dash does it on
    a worker's first request and marks it done before it is: with gunicorn's threads, the
    scripts asked for meanwhile were refused (a 404 here, a 500 in plain Dash), and the page
    stayed blank with "dash_core_components was not found"."""
    with app.server.test_request_context("/"):
        app._setup_server()  # noqa: SLF001 - Dash's first-request setup, run once up front
