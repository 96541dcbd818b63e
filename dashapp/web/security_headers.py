"""Security headers on every response (flask-talisman) and the setting for Secure cookies.

SALES_PULSE_SECURE_COOKIES=1 marks the session and remember-me cookies Secure: set it wherever
the app is served over HTTPS (a browser then never sends them over plain http). It is off by
default because `make run`, the tests and a first start serve plain http on 127.0.0.1, where a
Secure cookie would not come back and nobody could stay signed in. No HTTPS redirect either, for
the same reason; Strict-Transport-Security is sent only on requests that arrived over HTTPS.

The content security policy allows scripts from this site only, plus Dash's own inline scripts
(the renderer bootstrap and the clientside callbacks) by their hashes (`Dash.csp_hashes`).
Styles may be inline: Plotly and the grid set them from script.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask
from flask_talisman import Talisman

from dashapp.settings import Settings


def secure_cookies() -> bool:
    """Whether SALES_PULSE_SECURE_COOKIES asks for Secure cookies (1, true or yes)."""
    return Settings.from_env().secure_cookies


def content_security_policy(script_hashes: Iterable[str]) -> dict[str, str | list[str]]:
    """The policy the Dash page passes: nothing from other sites, no inline script but Dash's."""
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def init_security_headers(server: Flask, script_hashes: Iterable[str]) -> None:
    """Headers on every response of `server`; call once every inline script is known."""
    secure = secure_cookies()
    server.config["SESSION_COOKIE_SECURE"] = secure
    server.config["REMEMBER_COOKIE_SECURE"] = secure
    Talisman(
        server,
        force_https=False,
        session_cookie_secure=secure,
        frame_options="DENY",
        content_security_policy=content_security_policy(script_hashes),
        referrer_policy="strict-origin-when-cross-origin",
    )
