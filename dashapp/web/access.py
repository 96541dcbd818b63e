"""Sign-in with Flask-Login, and the server-side access check for every Dash callback.

Every request to the page or to a callback needs a signed-in user; a callback that writes
declares its permission (see `guarded`) and the check runs before Dash sees the request, so a
forged request is refused with 403 whatever the page shows.

Signing out changes state (it ends every session of the user), so it is a POST from this
site's own page, like the other forms that change something: SameSite=Lax keeps the session
cookie off cross-site POSTs, and the Origin (or Referer) must name this host. A GET /logout
(an old bookmark, a prefetch, an <img> on another site) only asks, on a page with the button.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import flask
from flask import Flask, abort, jsonify, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine

from dashapp import auth
from dashapp.settings import Settings
from dashapp.web.request_limits import callback_body, init_request_limits
from dashapp.web.sessions import init_session_versions, session_account
from dashapp.web.sign_in_limits import SignInLimits

log = logging.getLogger(__name__)
DEMO_USER = "demo"
SESSION_HOURS = 8
PERMISSIONS_KEY = "SALES_PULSE_CALLBACK_PERMISSIONS"
_JOB_SALT = "sales-pulse-job-account"
# Paths anyone may fetch: the sign-in page and the static files the page needs.
PUBLIC_PREFIXES = (
    "/login",
    "/assets/",
    "/_dash-component-suites/",
    "/_favicon.ico",
    "/api/",
    "/healthz",
)
# Exact paths anyone may fetch: /logout answers a signed-out visitor itself (to the sign-in page,
# without a ?next=/logout that would bring them back to sign out after signing in).
PUBLIC_PATHS = frozenset({"/logout"})


class SessionUser(UserMixin):
    """Flask-Login's view of an account."""

    def __init__(self, account: auth.Account) -> None:
        self.account = account
        self.id = str(account.id)
        self.username = account.username
        self.role = account.role

    def can(self, permission: str) -> bool:
        return self.account.can(permission)


def current_account() -> auth.Account | None:
    """The signed-in account of this request, if any."""
    if flask.has_request_context() and current_user.is_authenticated:
        return current_user.account
    return None


def secret_key() -> str:
    """SALES_PULSE_SECRET_KEY, else the key in SALES_PULSE_SECRET_FILE (default data/secret_key,
    git-ignored), made once. Every worker and server must share it: sessions, signed tokens and
    background-job handles signed by one are checked by another."""
    settings = Settings.from_env()
    if settings.secret_key:
        return settings.secret_key
    path = settings.secret_path
    if not path.exists():
        _create_key_file(path)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: remove it, or set SALES_PULSE_SECRET_KEY")
    return key


def _create_key_file(path: Path) -> None:
    """Write a new random key to `path` unless someone else does first.

    Several workers may start at once: each writes a private temp file, and os.link publishes
    it only where no key exists yet, so all of them end up reading the same, complete key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # mode 0600
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def sign_account(account: auth.Account | None) -> str | None:
    """The account's id signed with the app secret, for the page to hand to background jobs:
    a job may run on a Celery worker, outside any request and its session."""
    if account is None:
        return None
    return URLSafeSerializer(flask.current_app.secret_key, salt=_JOB_SALT).dumps(account.id)


def job_account(engine: Engine, secret: str, token: str | None) -> auth.Account | None:
    """The active account a `sign_account` token names, or None when it does not verify."""
    try:
        user_id = URLSafeSerializer(secret, salt=_JOB_SALT).loads(token or "")
    except BadSignature:
        return None
    with engine.connect() as conn:
        return auth.get_account(conn, int(user_id))


def require_same_origin() -> None:
    """Refuse (403) a POST that another site's page sent: its Origin (or, without one, its
    Referer) must be this host."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if not source or source == "null" or urlparse(source).netloc != request.host:
        abort(403, "This form must be sent from the Sales Pulse page itself.")


def guarded(app, permission: str, *args, **kwargs):
    """`app.callback` that also records the permission the callback needs."""

    def decorator(func):
        before = set(app.callback_map)
        registered = app.callback(*args, **kwargs)(func)
        table = app.server.config.setdefault(PERMISSIONS_KEY, {})
        for key in set(app.callback_map) - before:
            table[key] = permission
        return registered

    return decorator


def init_access(server: Flask, engine: Engine, demo: bool = False) -> None:
    """Sessions, the sign-in pages and the access check on `server`."""
    server.secret_key = server.secret_key or secret_key()
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        SALES_PULSE_DEMO=demo,
    )
    server.config.setdefault(PERMISSIONS_KEY, {})
    init_request_limits(server)  # MAX_CONTENT_LENGTH; upload callbacks add their own
    server.template_folder = str(Path(__file__).parent / "templates")
    manager = LoginManager()
    manager.init_app(server)
    init_session_versions(server, engine)
    limits = SignInLimits(server)

    @manager.user_loader
    def load_user(user_id: str):
        # A session whose user's version moved on (password, role, sign-out) has ended.
        account = session_account(engine, int(user_id))
        return SessionUser(account) if account else None

    @server.route("/login", methods=["GET", "POST"])
    @limits.sign_in  # before the view: a refused guess is never hashed
    def login():
        error = None
        if request.method == "POST":
            username = request.form.get("username", "")
            with engine.connect() as conn:
                account = auth.authenticate(conn, username, request.form.get("password", ""))
            if account:
                flask.session.permanent = True
                login_user(SessionUser(account))
                return redirect(_safe_next(request.args.get("next")))
            error = "Wrong username or password."
        return render_template("login.html", error=error), 401 if error else 200

    @server.route("/logout", methods=["GET", "POST"])
    def logout():
        if not current_user.is_authenticated:
            return redirect(url_for("login"))
        if request.method != "POST":
            # Asking only: a GET must never sign anyone out.
            return render_template("logout.html", username=current_user.username)
        require_same_origin()
        auth.end_sessions(engine, current_user.account.id)  # and its other sessions
        logout_user()
        flask.session.clear()
        return redirect(url_for("login"))

    @server.before_request
    def require_sign_in():
        path = request.path
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            return None
        if not current_user.is_authenticated and demo:
            _sign_in_demo(engine)
        if not current_user.is_authenticated:
            if path.startswith("/_dash-"):
                return jsonify(error="Your session has ended: sign in again."), 401
            return redirect(url_for("login", next=request.full_path.rstrip("?")))
        # endswith: Dash may be mounted under a prefix (routes_pathname_prefix).
        if path.endswith("/_dash-update-component"):
            # Sized from the user's role before a byte is read; malformed or too deep: 400.
            body = callback_body(server.config[PERMISSIONS_KEY], current_user.can)
            permission = server.config[PERMISSIONS_KEY].get(body["output"], "view")
            if not current_user.can(permission):
                log.warning(
                    "refused %s to %s (%s)", permission, current_user.username, current_user.role
                )
                return jsonify(error=f"Your role ({current_user.role}) cannot do this."), 403
        return None


def _sign_in_demo(engine: Engine) -> None:
    with engine.connect() as conn:
        account = next(
            (
                auth.get_account(conn, u["id"])
                for u in auth.list_users(conn)
                if u["username"] == DEMO_USER
            ),
            None,
        )
    if account is None:
        try:
            account, _ = auth.create_user(engine, DEMO_USER, "admin", actor="demo-mode")
        except auth.AuthError:  # created meanwhile by another request
            with engine.connect() as conn:
                users = {u["username"]: u["id"] for u in auth.list_users(conn)}
                account = auth.get_account(conn, users[DEMO_USER])
    login_user(SessionUser(account))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after sign-in."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target
