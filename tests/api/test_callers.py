"""Who may call the API: a valid token or a signed-in session, with the route's permission."""

import pytest
from sqlalchemy import select

from dashapp.auth import revoke_token
from dashapp.store.models import ApiToken, Order
from tests.api.conftest import api_for, error_of


@pytest.fixture
def fresh_api(engine):
    """The API on an empty database of its own (for tests that write)."""
    return api_for(engine)


def test_no_credentials_is_401_with_a_challenge(api):
    r = api.client.get("/api/kpis")
    assert r.status_code == 401
    assert "sign in or send an API token" in error_of(r)["reason"]
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer sp_not-a-real-token", "Bearer ", "Basic YW5uOnNlY3JldA==", "sp_token-without-scheme"],
)
def test_a_wrong_token_is_401_even_with_a_session(api, header):
    client = api.client
    client.post(f"/test-sign-in/{api.user_ids['admin']}")
    r = client.get("/api/kpis", headers={"Authorization": header})
    assert r.status_code == 401
    assert error_of(r)["status"] == 401


def test_every_role_reads_with_its_token(api):
    for role in ("admin", "manager", "sales", "viewer"):
        assert api.get("/api/sales-by-country", role=role).status_code == 200


def test_the_session_user_is_let_in(api):
    client = api.client
    assert client.get("/api/kpis").status_code == 401
    client.post(f"/test-sign-in/{api.user_ids['viewer']}")
    r = client.get("/api/kpis?start=2024-01-01&end=2024-01-31")
    assert r.status_code == 200
    assert r.get_json()["current"]["revenue"] == 385.0
    # The session's role counts: a viewer cannot write.
    r = client.post("/api/orders", json={"customer_id": 1, "lines": []})
    assert r.status_code == 403


def test_a_viewer_cannot_post_an_order_and_nothing_is_written(fresh_api):
    r = fresh_api.post(
        "/api/orders", {"customer_id": 1, "lines": [{"product": 1, "quantity": 1}]}, "viewer"
    )
    assert r.status_code == 403
    assert "viewer" in error_of(r)["reason"]
    with fresh_api.engine.connect() as conn:
        assert conn.execute(select(Order.id)).all() == []


def test_a_revoked_token_is_401(fresh_api):
    assert fresh_api.get("/api/kpis").status_code == 200
    with fresh_api.engine.connect() as conn:
        viewer_token = conn.execute(
            select(ApiToken.id).where(ApiToken.user_id == fresh_api.user_ids["viewer"])
        ).scalar_one()
    revoke_token(fresh_api.engine, viewer_token, actor="tests")
    assert fresh_api.get("/api/kpis").status_code == 401


def test_credentials_are_checked_before_parameters(api):
    r = api.client.get("/api/top-products?limit=banana")
    assert r.status_code == 401


def test_the_openapi_document_needs_no_credentials(api):
    r = api.client.get("/api/openapi.json")
    assert r.status_code == 200
    assert r.get_json()["openapi"].startswith("3.0")


def test_empty_database_answers_zeros_not_errors(fresh_api):
    body = fresh_api.get("/api/kpis").get_json()
    assert body["range"] == {"start": None, "end": None}
    assert body["current"]["revenue"] == 0.0 and body["current"]["orders"] == 0
    assert fresh_api.get("/api/sales-by-country").get_json() == {"rows": []}
