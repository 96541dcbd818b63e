"""A database that is busy or unreachable, as the page tells it: the error alert for a failed
callback, and the same alert for a callback refused before it ran (signing in the session
reads the users table), so the browser never sees a 500 and the next request just works."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from markupsafe import escape
from sqlalchemy import exc as sa_exc

from dashapp.store.errors import RETRY_AFTER_SECONDS, database_unavailable
from dashapp.ui import ids
from dashapp.validation import InputError, ValidationError

log = logging.getLogger(__name__)
# Plain HTML, not a Jinja template: rendering one runs Flask-Login's context processor, which
# reads the signed-in user from the very database that is unavailable.
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Database unavailable · Sales Pulse</title>
<link rel="stylesheet" href="/assets/00-bootstrap-5.3.9.min.css">
<link rel="stylesheet" href="/assets/10-sales-pulse.css"></head>
<body class="login-page"><main class="login-card card"><div class="card-body">
<h1 class="h4 mb-3"><span class="brand-dot">●</span> Sales Pulse</h1>
<div class="alert alert-warning" role="alert" id="unavailable-message">{message}</div>
<a class="btn btn-primary w-100" href="{again}">Try again</a>
</div></main></body></html>
"""
GENERIC_MESSAGE = (
    "Something went wrong while updating the page. "
    "Try again; if it keeps happening, check the server log."
)


def callback_error_message(err: BaseException) -> str:
    """What the error alert says about a failed callback; logs the failure."""
    unavailable = database_unavailable(err)
    if unavailable:
        # Expected while a lock is held or the server restarts: no traceback in the log.
        log.warning("callback failed, database %s: %s", unavailable.kind, err)
        return unavailable.message
    if isinstance(err, InputError | ValidationError | PermissionError):
        # Refused input (a forged or out-of-range id, a value no control could send, an order
        # that is not the caller's): say what is wrong; nothing was changed.
        log.warning("callback refused: %s", err)
        return f"Nothing was changed: {err}"
    log.error("callback failed", exc_info=err)
    return GENERIC_MESSAGE


def alert_response(message: str):
    """A callback answer that changes none of its outputs and opens the error alert, the
    shape Dash itself sends when an on_error handler calls set_props."""
    side_update = {ids.ERROR_ALERT: {"is_open": True, "children": message}}
    return jsonify(multi=True, response={}, sideUpdate=side_update)


def init_unavailable_pages(server: Flask) -> None:
    """Answer requests that fail on an unavailable database before any view handles them."""

    def _unavailable(exc: Exception):
        unavailable = database_unavailable(exc)
        if unavailable is None:
            raise exc  # not ours: Flask logs it and answers 500 as before
        log.warning("%s %s: database %s: %s", request.method, request.path, unavailable.kind, exc)
        if request.path.endswith("/_dash-update-component"):
            return alert_response(unavailable.message)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if request.path.startswith("/api/") or request.path.startswith("/_dash-"):
            body = {"error": {"status": 503, "reason": unavailable.message}}
            return jsonify(body), 503, headers
        page = PAGE.format(message=escape(unavailable.message), again=escape(request.full_path))
        return page, 503, headers

    server.register_error_handler(sa_exc.DBAPIError, _unavailable)
    server.register_error_handler(sa_exc.TimeoutError, _unavailable)
