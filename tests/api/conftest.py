"""A small Flask app with the API blueprint, a Flask-Login session and one user per role.

The real app wires Flask-Login in dashapp.web; here a tiny LoginManager stands in for it, with
a test-only sign-in route, so the session path of the API is tested without the Dash page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import LoginManager, UserMixin, login_user

from dashapp.api import create_api_blueprint
from dashapp.auth import create_token, create_user, get_account

ROLES = ("admin", "manager", "sales", "viewer")


class SessionUser(UserMixin):
    """What a user_loader returns: .id, .username, .role and is_authenticated."""

    def __init__(self, account) -> None:
        self.id = str(account.id)
        self.username = account.username
        self.role = account.role


def make_app(engine) -> Flask:
    """A Flask app with sessions and the API blueprint on `engine`."""
    app = Flask(__name__)
    app.config.update(TESTING=True, SECRET_KEY="test only")
    manager = LoginManager(app)

    @manager.user_loader
    def load_user(user_id: str):
        with engine.connect() as conn:
            account = get_account(conn, int(user_id))
        return SessionUser(account) if account else None

    @app.post("/test-sign-in/<int:user_id>")
    def sign_in(user_id: int):
        with engine.connect() as conn:
            login_user(SessionUser(get_account(conn, user_id)))
        return "", 204

    app.register_blueprint(create_api_blueprint(engine))
    return app


@dataclass
class Api:
    """A test client plus one API token and user id per role."""

    app: Flask
    engine: object
    tokens: dict[str, str]
    user_ids: dict[str, int]

    @property
    def client(self) -> FlaskClient:
        return self.app.test_client()

    def headers(self, role: str = "viewer") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def get(self, url: str, role: str = "viewer"):
        return self.client.get(url, headers=self.headers(role))

    def post(self, url: str, json, role: str = "sales"):
        return self.client.post(url, json=json, headers=self.headers(role))


def api_for(engine) -> Api:
    """Users (one per role) with tokens on `engine`, and the app."""
    tokens, ids = {}, {}
    for role in ROLES:
        account, _ = create_user(engine, f"{role}-user", role, "long enough password")
        tokens[role] = create_token(engine, account.id, "tests", actor="tests")
        ids[role] = account.id
    return Api(make_app(engine), engine, tokens, ids)


@pytest.fixture(scope="module")
def api(tiny_engine) -> Api:
    """The API on the tiny data set (read-only: do not write through it)."""
    return api_for(tiny_engine)


def error_of(response) -> dict:
    """The {"status", "reason", "field"?} object of a JSON error answer."""
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == response.status_code
    return body["error"]
