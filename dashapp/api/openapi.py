"""The OpenAPI 3.0 document, generated from the same route table as the blueprint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dashapp.api.routing import Param, Route
from dashapp.api.schemas import ERROR

API_PREFIX = "/api"
TITLE = "Sales Pulse API"
VERSION = "1.0.0"
_KIND_SCHEMA: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    # Filters refuses years before 1900 and after 2999; the pattern says so.
    "date": {"type": "string", "format": "date", "pattern": r"^(19|2\d)\d\d-\d\d-\d\d$"},
}
_ERROR_TEXT = {
    400: "A parameter or body field is wrong; `field` names it and `reason` says why.",
    401: "No credentials, or an invalid API token.",
    403: "The caller's role lacks the permission this route needs.",
    404: "No such object.",
    409: "Not enough stock; `errors` lists the lines and how many units are left.",
    415: "The body is not application/json.",
    503: "The database is busy or unreachable; retry after the Retry-After seconds.",
}


def param_schema(p: Param) -> dict[str, Any]:
    """The JSON Schema of one parameter's value (an array when it may be repeated)."""
    schema = dict(_KIND_SCHEMA[p.kind])
    if p.enum is not None:
        schema["enum"] = list(p.enum)
    if p.minimum is not None:
        schema["minimum"] = p.minimum
    if p.maximum is not None:
        schema["maximum"] = p.maximum
    if p.default is not None:
        schema["default"] = p.default
    return {"type": "array", "items": schema} if p.many else schema


def _parameter(p: Param) -> dict[str, Any]:
    out = {
        "name": p.name,
        "in": p.location,
        "required": p.location == "path",
        "description": p.description,
        "schema": param_schema(p),
    }
    if p.many:
        out.update(style="form", explode=True)
    if p.location == "query" and p.empty_means_all:
        out["allowEmptyValue"] = True
    return out


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(route: Route) -> dict[str, Any]:
    error_ref = {"$ref": "#/components/schemas/Error"}
    statuses = [400, *route.errors]
    if route.permission:  # every route but the document itself reads the database
        statuses += [401, 403, 503]
    responses: dict[str, Any] = {str(route.success): _json(route.response_schema, "Success.")}
    for status in sorted(set(statuses)):
        responses[str(status)] = _json(error_ref, _ERROR_TEXT[status])
    op: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary,
        "parameters": [_parameter(p) for p in route.all_params],
        "responses": responses,
        # An empty list: no credentials needed. Either scheme grants the route's permission.
        "security": [{"bearerToken": []}, {"session": []}] if route.permission else [],
    }
    if route.permission:
        op["x-permission"] = route.permission
    if route.body_schema is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": route.body_schema}},
        }
    return op


def openapi_document(routes: Sequence[Route]) -> dict[str, Any]:
    """OpenAPI 3.0.3 for `routes`, with paths under /api."""
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(API_PREFIX + route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "The numbers of the Sales Pulse page as JSON. Money is in currency "
            "units with 2 decimals; dates are ISO 8601. Every analytics route takes the same "
            "filter parameters as the page.",
        },
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token created by an admin.",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
