"""Which sessions are still valid: each remembers its user's session version at sign-in.

A password change, a role change, deactivation or a sign-out moves the version on
(dashapp.auth), so every session signed in before ends at its next request. The session that
changed its own password keeps going: it remembers the new version (`keep_session`).
"""

from __future__ import annotations

import flask
from flask import Flask
from flask_login import user_logged_in
from sqlalchemy import Engine

from dashapp import auth
from dashapp.store.version import version_columns, version_token
from dashapp.web.answers import remember_data_version

VERSION_KEY = "session_version"
_EXTENSION = "sales_pulse_sessions"


def init_session_versions(server: Flask, engine: Engine) -> None:
    """Every sign-in on `server` (the form, demo mode) remembers the user's version."""

    def remember(_sender, user, **_extra) -> None:
        with engine.connect() as conn:
            keep_session(auth.session_version(conn, int(user.id)))

    # blinker holds receivers weakly: the app keeps this one alive as long as it lives.
    server.extensions[_EXTENSION] = remember
    user_logged_in.connect(remember, server)


def keep_session(version: int | None) -> None:
    """This session stays signed in at `version` (after its own password change)."""
    flask.session[VERSION_KEY] = version


def session_account(engine: Engine, user_id: int) -> auth.Account | None:
    """The account of this request's session, None when it has ended.

    The same query reads the data version, which the answer cache then uses for the rest of
    the request (`remember_data_version`): one round trip instead of three on every callback.
    """
    version = flask.session.get(VERSION_KEY)
    with engine.connect() as conn:
        row = auth.session_row(conn, user_id, version, *version_columns())
    if row is None:
        return None
    remember_data_version(engine, version_token(*row[3:]))
    return auth.Account(*row[:3])
