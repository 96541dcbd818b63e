"""Who is calling: an API token (`Authorization: Bearer ...`) or the signed-in page session.

Wrong tokens count against the client's address (dashapp.web.sign_in_limits); over the limit,
every token from it is refused with 429 until the wait is over, before it is looked up.
"""

from __future__ import annotations

from flask import current_app, request
from sqlalchemy import Engine

from dashapp.api.errors import ApiError
from dashapp.auth import Account, account_for_token
from dashapp.web.sign_in_limits import SignInLimits, too_many_attempts

BEARER = "bearer "
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="sales-pulse"'}


def current_account(engine: Engine) -> Account | None:
    """The caller's account; a token that is given must be valid (no fallback to the session)."""
    header = request.headers.get("Authorization", "")
    if header:
        limits = SignInLimits.of(current_app)
        wait = limits.token_wait() if limits else 0
        if wait:
            raise ApiError(429, too_many_attempts(wait), headers={"Retry-After": str(wait)})
        if not header.lower().startswith(BEARER):
            raise _wrong_token(limits, "use 'Authorization: Bearer <token>'")
        with engine.connect() as conn:
            account = account_for_token(conn, header[len(BEARER) :].strip())
        if account is None:
            raise _wrong_token(limits, "invalid or revoked API token")
        return account
    return _session_account()


def _wrong_token(limits: SignInLimits | None, reason: str) -> ApiError:
    if limits:
        limits.count_failed_token()
    return ApiError(401, reason, headers=CHALLENGE)


def _session_account() -> Account | None:
    # Flask-Login is wired by the app; an app without a LoginManager has no sessions.
    if getattr(current_app, "login_manager", None) is None:
        return None
    from flask_login import current_user

    if not current_user or not current_user.is_authenticated:
        return None
    return Account(int(current_user.id), current_user.username, current_user.role)


def require(engine: Engine, permission: str) -> Account:
    """The caller's account if it holds `permission`; 401 or 403 otherwise."""
    account = current_account(engine)
    if account is None:
        raise ApiError(401, "sign in or send an API token", headers=CHALLENGE)
    if not account.can(permission):
        raise ApiError(403, f"the {account.role} role cannot do this ({permission})")
    return account
