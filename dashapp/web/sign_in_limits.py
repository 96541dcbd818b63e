"""Rate limits on signing in (SPEC §6), with Flask-Limiter: wrong passwords on /login and
wrong API tokens on /api.

Only failures count, so a user who signs in never uses up the allowance. A client over a
limit gets 429 with a Retry-After header and "Too many attempts: try again in N s.", and the
refusal comes BEFORE its password is hashed: scrypt is slow on purpose, and hashing for an
attacker is what let eight parallel guessers slow down everybody else's requests.

Counts live in Redis when REDIS_URL is set (keys under SALES_PULSE_REDIS_PREFIX), shared by
every worker and server; otherwise in each worker's memory. While Redis is down each worker
counts in its own memory, so sign-in neither stops nor goes unlimited.

The client is `request.remote_addr` (flask_limiter.util.get_remote_address). Behind a reverse
proxy that is the proxy's address, and all users would share one allowance: wrap the app in
werkzeug's ProxyFix, trusting exactly the proxies in front of it, so it is the client's again.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

import flask
from flask import Flask, render_template, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from limits import parse

from dashapp.auth import USERNAME_MAX
from dashapp.settings import Settings
from dashapp.web.answers import REDIS_TIMEOUT_SECONDS, redis_prefix

log = logging.getLogger(__name__)

# The limits are settings (dashapp.settings), in Flask-Limiter's notation: per username and
# address, per address whatever the usernames, and wrong API tokens per address.
_EXTENSION = "sales_pulse_sign_in_limits"


def too_many_attempts(seconds: int) -> str:
    """The refusal, on the sign-in page and in the API's JSON error."""
    return f"Too many attempts: try again in {seconds} s."


def _seconds_until(timestamp: float) -> int:
    return max(1, math.ceil(timestamp - time.time()))


def _failed(response: flask.Response) -> bool:
    return response.status_code == 401


def _address_and_username() -> str:
    username = request.form.get("username", "").strip().lower()[:USERNAME_MAX]
    return f"{get_remote_address()}/{username}"


def _refuse_sign_in(limit: RequestLimit) -> flask.Response:
    seconds = _seconds_until(limit.window.reset_time)  # reset_at rounds a second up
    log.warning(
        "sign-in refused for %r from %s: %s failed attempts",
        request.form.get("username", "")[:USERNAME_MAX],
        get_remote_address(),
        limit.limit,
    )
    page = render_template("login.html", error=too_many_attempts(seconds))
    response = flask.make_response(page, 429)
    response.headers["Retry-After"] = str(seconds)
    return response


class SignInLimits:
    """The app's Flask-Limiter and the limits on failed sign-ins and API tokens."""

    def __init__(self, server: Flask) -> None:
        settings = Settings.from_env()
        redis_url = settings.redis_url
        redis_options = {
            "key_prefix": f"{redis_prefix()}limits",
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        }
        self.per_username = settings.sign_in_limit
        self.per_address = settings.sign_in_address_limit
        self.per_token_address = parse(settings.token_limit)
        self.limiter = Limiter(
            get_remote_address,
            app=server,
            storage_uri=redis_url or "memory://",
            storage_options=redis_options if redis_url else {},
            # "5 per minute" means any 60 s, not the calendar minute (a burst of 10 at :59).
            strategy="moving-window",
            in_memory_fallback_enabled=True,
            swallow_errors=True,
        )
        # Only the sign-in form has limits of its own (API tokens are counted by hand, below):
        # every other request skips Flask-Limiter's search for the limits of its view.
        self.limiter.request_filter(lambda: request.endpoint != "login")
        server.extensions[_EXTENSION] = self

    @staticmethod
    def of(app: Flask) -> SignInLimits | None:
        """The limits of `app`, if it has any (a bare API app in tests has none)."""
        return app.extensions.get(_EXTENSION)

    def sign_in(self, view: Callable) -> Callable:
        """`view` (the /login form) refused while its username from this address, or this
        address, has failed too often; an answer of 401 counts as a failure."""
        common = {"methods": ["POST"], "deduct_when": _failed, "on_breach": _refuse_sign_in}
        per_username = self.limiter.limit(
            self.per_username, key_func=_address_and_username, **common
        )
        per_address = self.limiter.limit(self.per_address, key_func=get_remote_address, **common)
        return per_address(per_username(view))

    def token_wait(self) -> int:
        """Seconds before this client's next API token is looked at; 0 when it may go on."""
        key = ("api-token", get_remote_address())
        try:
            if self.limiter.limiter.test(self.per_token_address, *key):
                return 0
            reset_at, _ = self.limiter.limiter.get_window_stats(self.per_token_address, *key)
        except Exception as exc:  # noqa: BLE001 - a limits store failure never blocks the API
            log.warning("API token limit not checked: %r", exc)
            return 0
        return _seconds_until(reset_at)

    def count_failed_token(self) -> None:
        """Count a wrong API token against this client."""
        try:
            self.limiter.limiter.hit(self.per_token_address, "api-token", get_remote_address())
        except Exception as exc:  # noqa: BLE001
            log.warning("failed API token not counted: %r", exc)
