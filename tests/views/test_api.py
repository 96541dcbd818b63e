"""/api/views (issue 20, item 6): the same domain rules as the page and the CLI, on both
backends: another account's private view is a 404 for every method, a shared one is readable
by all and deletable by its owner or an admin; bad bodies are 400s naming the field and save
nothing; the KPIs under a stored view's query are the page's (tests/tiny.py by hand)."""

from __future__ import annotations

import pytest

from tests.api.conftest import api_for, error_of


@pytest.fixture
def api(engine):
    from tests.tiny import seed_tiny

    seed_tiny(engine)
    return api_for(engine)


def _names(api, role):
    response = api.get("/api/views", role)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [(v["name"], v["owner"], v["shared"]) for v in response.get_json()["rows"]]


def test_views_through_the_api(api):
    body = {"name": " <img src=x> France ", "query": "?country=France&range=ytd&top=12"}
    made = api.post("/api/views", body, "sales")
    assert made.status_code == 201, made.get_data(as_text=True)
    private = made.get_json()
    assert private == {
        "id": private["id"],
        "name": "<img src=x> France",
        "section": "overview",
        "query": "country=France&range=ytd&top=12",
        "shared": False,
        "owner": "sales-user",
    }
    shared = api.post(
        "/api/views", {"name": "=1+1", "section": "pivot", "shared": True}, "manager"
    ).get_json()
    assert _names(api, "sales") == [
        ("<img src=x> France", "sales-user", False),
        ("=1+1", "manager-user", True),
    ]
    assert _names(api, "admin") == [("=1+1", "manager-user", True)]

    # Another's private view: 404 for a read and a delete, whoever asks.
    for role in ("admin", "manager", "viewer"):
        for method in ("get", "delete"):
            response = getattr(api.client, method)(
                f"/api/views/{private['id']}", headers=api.headers(role)
            )
            assert response.status_code == 404
            assert error_of(response)["reason"] == f"no saved view {private['id']}"
    gone = api.client.delete(f"/api/views/{shared['id']}", headers=api.headers("sales"))
    assert gone.status_code == 403
    assert error_of(gone)["reason"] == "only manager-user or an admin may delete the view '=1+1'"

    # The stored query gives the page's KPIs: France in the tiny set, all time, is O1 250.00 +
    # O4 99.99 + O6 100.00 = 449.99 over 3 orders (range=ytd and top are the page's settings;
    # the API's dates are its own).
    view = api.get(f"/api/views/{private['id']}", "sales").get_json()
    france = api.get(f"/api/kpis?{view['query'].split('&range')[0]}", "manager").get_json()
    assert (france["current"]["revenue"], france["current"]["orders"]) == (449.99, 3)

    deleted = api.client.delete(f"/api/views/{shared['id']}", headers=api.headers("admin"))
    assert deleted.status_code == 200 and deleted.get_json() == {"deleted": shared["id"]}
    assert _names(api, "manager") == []


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"query": "country=France"}, "name", "name is required"),
        ({"name": "x", "colour": "red"}, "colour", "unknown field; expected"),
        ({"name": "x", "shared": "yes"}, "shared", "expected true or false"),
        ({"name": ["x"]}, "name", "expected text"),
        ({"name": "x", "query": "status=Lost"}, "query", "status: unknown status 'Lost'"),
        ({"name": "x", "section": "<script>"}, "section", "not a section of the page"),
        ({"name": "x" * 81}, "name", "name is too long: 81 characters, at most 80"),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(api, body, field, reason):
    response = api.post("/api/views", body, "viewer")
    assert response.status_code == 400
    error = error_of(response)
    assert error["field"] == field and reason in error["reason"]
    assert _names(api, "viewer") == []
