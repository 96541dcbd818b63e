"""Limits on request bodies, applied before a body is read.

Callbacks, the API and the sign-in form take small bodies (MAX_BODY_BYTES, Flask's
MAX_CONTENT_LENGTH). A dcc.Upload file reaches the server as base64 inside a callback's JSON
body, so the callbacks that receive one declare a larger limit (ui.uploads.upload_callback), and
only a user allowed to run such a callback may send a body that big: anyone else's is refused
from its Content-Length, unread (`callback_body`). A 300 MB body once took a worker from 157 MB
to 1 GB before its 403.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, abort, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

MAX_BODY_BYTES = 8 * 1024 * 1024
UPLOAD_LIMITS_KEY = "SALES_PULSE_UPLOAD_BODY_LIMITS"
# The JSON around an upload's base64: ids, file name, the other inputs and states.
_ENVELOPE_BYTES = 64 * 1024


def upload_body_bytes(max_file_bytes: int) -> int:
    """The largest callback body that carries a file of `max_file_bytes` (base64: 4 per 3)."""
    return -(-max_file_bytes // 3) * 4 + _ENVELOPE_BYTES


def init_request_limits(server: Flask) -> None:
    """Cap every request body; the upload callbacks' larger caps are added as they register."""
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    server.config.setdefault(UPLOAD_LIMITS_KEY, {})


def allow_upload_body(server: Flask, callback_keys, max_file_bytes: int) -> None:
    """Let the callbacks `callback_keys` (callback_map keys) receive a file of that size."""
    limits = server.config.setdefault(UPLOAD_LIMITS_KEY, {})
    for key in callback_keys:
        limits[key] = upload_body_bytes(max_file_bytes)


def _json(status: int, message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    return response


def _too_large(limit: int) -> Response:
    return _json(413, f"The request is larger than {limit // (1024 * 1024)} MB.")


def callback_body(permissions: dict[str, str], can: Callable[[str], bool]) -> dict:
    """The JSON body of a callback request, read only if its size suits what the user may run
    (`can(permission)`; `permissions` maps callbacks to the permission each needs).

    413 before reading when the Content-Length exceeds the largest callback the user may call;
    400 for a body that is not a callback request (malformed, or nested too deeply to parse)."""
    uploads = current_app.config.get(UPLOAD_LIMITS_KEY, {})
    limit = max(
        [MAX_BODY_BYTES, *(n for key, n in uploads.items() if can(permissions.get(key, "")))]
    )
    request.max_content_length = limit  # also bounds a body sent without a Content-Length
    if request.content_length is not None and request.content_length > limit:
        abort(_too_large(limit))
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        abort(_json(400, "The request body is nested too deeply."))
    except RequestEntityTooLarge:
        abort(_too_large(limit))
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        abort(_json(400, "The request body is not a Dash callback request."))
    size = request.content_length or len(request.get_data(cache=True))
    if size > MAX_BODY_BYTES and size > uploads.get(body["output"], 0):
        abort(_too_large(MAX_BODY_BYTES))
    return body
