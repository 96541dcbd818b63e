"""What an anonymous client can send never ends in a 500: every route, odd methods, junk
bodies and query strings (a probe of the whole URL map, and the one 500 it once found)."""

import pytest

from dashapp.factory import create_app
from tests.databases import migrate

JUNK_QUERIES = ["", "?start=99999999999999999999", "?start=2024-13-45", "?start=%00", "?x=%ff%fe"]
JUNK_BODIES = [b"\x00\xff", b"{", b"[" * 50_000, b'{"output": ["x"]}', b"null"]


@pytest.fixture
def client(new_engine):
    engine = new_engine("web")
    migrate(engine)
    app = create_app(engine, demo=False)
    app.server.config["TESTING"] = True
    app.server.config["PROPAGATE_EXCEPTIONS"] = False  # a bug answers 500, as in production
    yield app.server.test_client()
    engine.dispose()


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash/dcc/missing.v1m1.js",
    ],
)
def test_an_unknown_dash_script_is_a_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_no_route_answers_an_anonymous_client_with_a_500(client):
    rules = {r.rule for r in client.application.url_map.iter_rules()}
    paths = {
        r.replace("<name>", "x.sqlite")
        .replace("<order_id>", "1")
        .replace("<path:rest>", "x")
        .replace("<path:path>", "orders")
        .replace("<string:package_name>", "dash")
        .replace("<path:fingerprinted_path>", "x.js")
        .replace("<path:filename>", "x.css")
        for r in rules
    }
    failures = []
    for path in sorted(paths):
        for method in ["GET", "POST", "PUT", "DELETE", "OPTIONS"]:
            for query in JUNK_QUERIES:
                if client.open(path + query, method=method).status_code >= 500:
                    failures.append((method, path + query))
        for body in JUNK_BODIES:
            for kind in ["application/json", "application/x-www-form-urlencoded"]:
                response = client.post(path, data=body, content_type=kind)
                if response.status_code >= 500:
                    failures.append(("POST", path, kind, body[:10]))
    assert failures == []
