"""Security headers on the page, the sign-in page and the API, and the Secure cookie setting
(SALES_PULSE_SECURE_COOKIES). The content security policy is checked against the real page by
the browser tests, which end with no console error (a CSP violation is one)."""

import pytest

from dashapp.auth import create_user
from dashapp.factory import create_app
from tests.databases import migrate

PASSWORD = "tangerine kite 4417"


def make_app(new_engine, demo=False):
    engine = new_engine("web")
    migrate(engine)
    create_user(engine, "ada", "admin", PASSWORD)
    app = create_app(engine, demo=demo)
    app.server.config["TESTING"] = True
    return app


@pytest.fixture
def client(new_engine, monkeypatch):
    monkeypatch.delenv("SALES_PULSE_SECURE_COOKIES", raising=False)
    return make_app(new_engine).server.test_client()


@pytest.mark.parametrize("path", ["/", "/login", "/api/kpis"])
def test_security_headers_on_every_surface(client, path):
    if path != "/login":
        client.post("/login", data={"username": "ada", "password": PASSWORD})
    response = client.get(path)
    assert response.status_code == 200
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = dict(
        (part.split(" ", 1) + [""])[:2] for part in headers["Content-Security-Policy"].split("; ")
    )
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    # No HTTPS redirect and no HSTS over plain http (make run, the tests).
    assert "Strict-Transport-Security" not in headers


def test_the_page_inline_scripts_are_in_the_policy(new_engine):
    """Dash's renderer bootstrap is an inline script: its hash must be allowed."""
    import base64
    import hashlib

    app = make_app(new_engine, demo=True)
    response = app.server.test_client().get("/")
    renderer = app.renderer
    digest = base64.b64encode(hashlib.sha256(renderer.encode()).digest()).decode()
    assert renderer in response.get_data(as_text=True)
    assert f"'sha256-{digest}'" in response.headers["Content-Security-Policy"]


def session_cookie(response) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


@pytest.mark.parametrize(("setting", "secure"), [(None, False), ("0", False), ("1", True)])
def test_secure_cookie_setting(new_engine, monkeypatch, setting, secure):
    if setting is None:
        monkeypatch.delenv("SALES_PULSE_SECURE_COOKIES", raising=False)
    else:
        monkeypatch.setenv("SALES_PULSE_SECURE_COOKIES", setting)
    app = make_app(new_engine)
    signed_in = app.server.test_client().post(
        "/login",
        data={"username": "ada", "password": PASSWORD},
        base_url="https://localhost",
    )
    assert signed_in.status_code == 302
    cookie = session_cookie(signed_in)
    assert ("; Secure" in cookie) is secure
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.server.config["REMEMBER_COOKIE_SECURE"] is secure
