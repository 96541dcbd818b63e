"""JSON errors for the API: {"error": {"status": 400, "field": "start", "reason": "..."}}.

Routing errors (unknown /api/ paths, wrong methods) reach only app-level handlers, so those are
registered on the app and answer JSON for /api/ paths alone; the rest of the app keeps Flask's
pages. A database that is busy or unreachable is a 503 saying so (retry later); anything else
unexpected is logged and answered with a generic 500, never a traceback.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from dashapp.store.errors import RETRY_AFTER_SECONDS, Unavailable, database_unavailable

log = logging.getLogger(__name__)
API_PREFIX = "/api/"


class ApiError(Exception):
    """An answer other than success; `field` names the offending parameter, if any."""

    def __init__(
        self,
        status: int,
        reason: str,
        field: str | None = None,
        details: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.field = field
        self.details = details
        self.headers = headers or {}


def bad_parameter(field: str, reason: str) -> ApiError:
    """400 for one parameter (query, path or body field)."""
    return ApiError(400, reason, field=field)


def field_errors(details: list[dict]) -> ApiError:
    """400 naming every bad field (`details`: a FieldError.as_json() each), the first as the
    reason."""
    return ApiError(400, details[0]["message"], details[0]["field"], details)


def unavailable_error(unavailable: Unavailable) -> ApiError:
    """503 with the reason and when to retry: the database is busy or unreachable."""
    return ApiError(503, unavailable.message, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def error_response(err: ApiError) -> tuple[Response, int]:
    """The JSON body and status of an ApiError."""
    body: dict = {"status": err.status, "reason": err.reason}
    if err.field is not None:
        body["field"] = err.field
    if err.details is not None:
        body["errors"] = err.details
    response = jsonify(error=body)
    response.headers.update(err.headers)
    return response, err.status


def _from_http(exc: HTTPException) -> ApiError:
    headers = {}
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    reason = {
        404: "no such API route or object",
        405: f"method {request.method} is not allowed here",
    }.get(exc.code or 500, exc.description or exc.name)
    return ApiError(exc.code or 500, reason, headers=headers)


def register_error_handlers(bp: Blueprint) -> None:
    """JSON answers for every error raised in, or on the way to, an API route."""

    @bp.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return error_response(err)

    @bp.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return error_response(_from_http(exc))

    @bp.errorhandler(Exception)
    def _unexpected(exc: Exception):
        unavailable = database_unavailable(exc)
        if unavailable:
            log.warning("API request failed, database %s: %s", unavailable.kind, exc)
            return error_response(unavailable_error(unavailable))
        log.exception("API request failed: %s %s", request.method, request.path)
        return error_response(ApiError(500, "internal error; the server log has the details"))

    # Unknown paths and wrong methods never reach a blueprint view, so their handlers must be
    # app-wide; outside /api/ they hand the error back to Flask's default page.
    @bp.app_errorhandler(404)
    @bp.app_errorhandler(405)
    def _routing_error(exc: HTTPException):
        if not request.path.startswith(API_PREFIX) and request.path != API_PREFIX.rstrip("/"):
            return exc
        return error_response(_from_http(exc))
