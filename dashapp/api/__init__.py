"""The REST API (SPEC §7) as a Flask blueprint mounted at /api on the Dash app's server:

    app.server.register_blueprint(create_api_blueprint(engine))

Every route comes from `routes.ROUTES`, which also generates /api/openapi.json.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, jsonify, request
from sqlalchemy import Engine

from dashapp.api.callers import require
from dashapp.api.errors import ApiError, bad_parameter, register_error_handlers
from dashapp.api.routes import ROUTES
from dashapp.api.routing import Call, Route, parse_path, parse_query

__all__ = ["ROUTES", "create_api_blueprint"]


def _read_body(route: Route):
    if route.body_schema is None:
        return None
    if not request.is_json:
        raise ApiError(415, "send the body as JSON (Content-Type: application/json)")
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # json gives up on deep nesting with this, not a ValueError
        raise bad_parameter("body", "the JSON is nested too deeply") from None
    if body is None:
        raise bad_parameter("body", "expected a JSON object")
    return body


def _dispatcher(route: Route, engine: Engine) -> Callable:
    """The Flask view of one route: check the caller, parse, call the view, answer JSON."""

    def view(**path_values):
        # Credentials first, so a caller without them learns nothing about the parameters.
        account = require(engine, route.permission) if route.permission else None
        filters, args = parse_query(route, request.args.to_dict(flat=False))
        filters = filters.for_account(account)
        args.update(parse_path(route, path_values))
        call = Call(engine, filters, args, account, _read_body(route))
        result = route.view(call)
        payload, status, headers = result if isinstance(result, tuple) else (result, 200, {})
        return jsonify(payload), status, headers

    view.__name__ = route.name
    return view


def create_api_blueprint(engine: Engine) -> Blueprint:
    """The /api blueprint on `engine`."""
    bp = Blueprint("api", __name__, url_prefix="/api")
    for route in ROUTES:
        bp.add_url_rule(
            route.flask_rule,
            endpoint=route.name,
            view_func=_dispatcher(route, engine),
            methods=[route.method],
        )
    # Without this, Dash's catch-all page route would answer unknown /api/ paths with the page.
    # GET only: another method on a real route must still be a 405.
    bp.add_url_rule("/", endpoint="not_found", view_func=_not_found, strict_slashes=False)
    bp.add_url_rule("/<path:rest>", endpoint="not_found_path", view_func=_not_found)
    register_error_handlers(bp)
    return bp


def _not_found(rest: str = ""):
    raise ApiError(404, "no such API route or object")
