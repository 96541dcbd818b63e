"""Failed sign-ins and failed API tokens are rate limited (SPEC §6): 429, Retry-After and
"Too many attempts: try again in N s.", refused before any password is hashed.

Defaults: 5 failures a minute per username and address, 20 per address, 10 wrong API tokens
per address. Flask's test client calls from 127.0.0.1 unless environ_base says otherwise.
"""

import re

import pytest

import dashapp.auth
from dashapp.auth import create_token, create_user
from dashapp.factory import create_app
from tests.databases import migrate

MESSAGE = re.compile(r"Too many attempts: try again in (\d+) s\.")


@pytest.fixture
def engine(new_engine):
    engine = new_engine("limits")
    migrate(engine)
    vera, _ = create_user(engine, "vera", "viewer", "viewer password")
    create_user(engine, "sam", "sales", "sales password")
    engine.vera_token = create_token(engine, vera.id, "tests", actor="tests")
    yield engine
    engine.dispose()


@pytest.fixture
def app(engine, monkeypatch):
    """The app with the limits counted in its own memory."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    dash_app = create_app(engine, demo=False)
    dash_app.server.config["TESTING"] = True
    return dash_app


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def assert_too_many(response) -> int:
    """A 429 whose message and Retry-After agree, within the minute; returns the seconds."""
    assert response.status_code == 429
    found = MESSAGE.search(response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)
    assert response.headers["Retry-After"] == found.group(1)
    assert 1 <= int(found.group(1)) <= 60
    return int(found.group(1))


def test_the_sixth_wrong_password_in_a_minute_is_refused_even_the_right_one(app):
    client = app.server.test_client()
    for _ in range(5):
        assert sign_in(client, "vera", "not it").status_code == 401
    assert_too_many(sign_in(client, "vera", "not it"))
    refused = sign_in(client, "vera", "viewer password")
    assert_too_many(refused)
    assert 'id="login-error"' in refused.get_data(as_text=True)  # on the sign-in page
    assert client.get("/").status_code == 302  # not signed in


def test_a_refused_attempt_is_never_hashed(app, monkeypatch):
    checks = []
    real_check = dashapp.auth.check_password_hash

    def counting_check(hashed, password):
        checks.append(password)
        return real_check(hashed, password)

    monkeypatch.setattr(dashapp.auth, "check_password_hash", counting_check)
    client = app.server.test_client()
    for _ in range(5):
        sign_in(client, "vera", "not it")
    assert len(checks) == 5
    for _ in range(3):
        assert sign_in(client, "vera", "not it").status_code == 429
    assert len(checks) == 5


def test_another_user_and_another_address_are_unaffected(app):
    client = app.server.test_client()
    for _ in range(6):
        sign_in(client, "vera", "not it")
    assert sign_in(client, "sam", "sales password").status_code == 302
    other = app.server.test_client()
    assert sign_in(other, "vera", "viewer password", address="10.0.0.2").status_code == 302


def test_a_successful_sign_in_is_not_counted(app):
    client = app.server.test_client()
    for _ in range(4):
        assert sign_in(client, "vera", "not it").status_code == 401
    for _ in range(3):
        assert sign_in(client, "vera", "viewer password").status_code == 302
    assert sign_in(client, "vera", "not it").status_code == 401  # the 5th failure
    assert_too_many(sign_in(client, "vera", "not it"))


def test_one_address_trying_many_usernames_is_refused_after_twenty(app):
    client = app.server.test_client()
    for i in range(20):
        assert sign_in(client, f"guess{i}", "not it").status_code == 401
    assert_too_many(sign_in(client, "vera", "viewer password"))
    assert sign_in(client, "vera", "viewer password", address="10.0.0.2").status_code == 302


def test_the_limit_is_a_setting(engine, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SALES_PULSE_SIGN_IN_LIMIT", "2 per minute")
    client = create_app(engine, demo=False).server.test_client()
    assert [sign_in(client, "vera", "no").status_code for _ in range(3)] == [401, 401, 429]


def api_kpis(client, token, address="127.0.0.1"):
    return client.get(
        "/api/kpis",
        headers={"Authorization": f"Bearer {token}"},
        environ_base={"REMOTE_ADDR": address},
    )


def test_wrong_api_tokens_are_refused_after_ten(app, engine):
    client = app.server.test_client()
    assert api_kpis(client, engine.vera_token).status_code == 200  # not counted
    for i in range(10):
        assert api_kpis(client, f"sp_guess{i}").status_code == 401
    refused = api_kpis(client, engine.vera_token)
    assert refused.status_code == 429
    error = refused.get_json()["error"]
    assert error["status"] == 429
    assert MESSAGE.fullmatch(error["reason"])
    assert refused.headers["Retry-After"] == MESSAGE.fullmatch(error["reason"]).group(1)
    assert api_kpis(client, engine.vera_token, address="10.0.0.2").status_code == 200


def test_the_counts_are_shared_through_redis(engine, redis_server, monkeypatch):
    """Two app instances (two workers, two servers) on the same REDIS_URL: five failures
    split between them use up the allowance of both."""
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    first = create_app(engine, demo=False).server.test_client()
    second = create_app(engine, demo=False).server.test_client()
    for client in (first, second, first, second, first):
        assert sign_in(client, "vera", "not it").status_code == 401
    assert_too_many(sign_in(second, "vera", "viewer password"))
    assert_too_many(sign_in(first, "vera", "viewer password"))
    assert list(redis_server.client.scan_iter(match=f"{redis_server.prefix}limits*"))
