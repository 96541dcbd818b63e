"""GET /healthz for load balancers and orchestrators: 200 when the database answers and its
schema is at this code's newest migration, 503 (with the reason) otherwise. No sign-in, no
data: it says only whether this instance can serve."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from dashapp.store.migrate import current_revision, head_revision

PATH = "/healthz"
log = logging.getLogger(__name__)


def health(engine: Engine, head: str) -> tuple[dict, int]:
    """The health answer and its status code."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        log.warning("health check: database unreachable: %s", exc)
        return {"status": "unavailable", "database": "unreachable"}, 503
    if current != head:
        reason = f"schema at {current or 'none'}, this code needs {head}: run init-db"
        return {"status": "unavailable", "database": "ok", "schema": reason}, 503
    return {"status": "ok", "database": "ok", "schema": head}, 200


def init_health(server: Flask, engine: Engine) -> None:
    head = head_revision()

    @server.route(PATH)
    def healthz():
        body, status = health(engine, head)
        return jsonify(body), status, {"Cache-Control": "no-store"}
