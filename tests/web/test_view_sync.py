"""The page's view is set once per page load: graphs mounting (clickData None) do not set it
again, which would run every section's callbacks a second time."""

from __future__ import annotations

import json

import pytest

from dashapp.factory import create_app
from dashapp.store.migrate import upgrade
from tests.tiny import seed_tiny
from tests.web.forge import UPDATE, _deps, _outputs, find_callback

XFILTER = {"type": "xfilter", "name": "by-country", "dim": "country"}


@pytest.fixture
def client(new_engine):
    engine = new_engine("view")
    upgrade(engine)
    seed_tiny(engine)
    app = create_app(engine, demo=True)
    yield app.server.test_client()
    engine.dispose()


def sync_view(client, changed: str, current_view):  # noqa: ANN001
    """Post the view callback as the page does when `changed` fires, with the view store
    holding `current_view`."""
    dep = find_callback(client, "url.search", output="view-store.data")
    matches = {"xfilter": [XFILTER], "filter-chip": []}
    values = {"url.search": "?country=France", "view-store.data": current_view}
    body = {
        "output": dep["output"],
        "outputs": _outputs(dep["output"], matches),
        "inputs": _deps(dep["inputs"], values, matches),
        "changedPropIds": [changed],
        "state": _deps(dep.get("state", []), values, matches),
    }
    return client.post(UPDATE, data=json.dumps(body), content_type="application/json")


def test_a_graph_mounting_leaves_a_set_view_alone(client):
    mounted = json.dumps(XFILTER, sort_keys=True, separators=(",", ":")) + ".clickData"
    already = {"filters": "country=France", "granularity": "month", "preset": "all"}
    assert sync_view(client, mounted, already).status_code == 204  # no update


def test_the_first_call_of_a_page_sets_the_view_even_when_a_graph_mounted_first(client):
    mounted = json.dumps(XFILTER, sort_keys=True, separators=(",", ":")) + ".clickData"
    answer = sync_view(client, mounted, None)
    assert answer.status_code == 200
    view = answer.get_json()["response"]["view-store"]["data"]
    assert "country=France" in view["filters"]


def test_a_changed_url_sets_the_view_again(client):
    already = {"filters": "country=Spain", "granularity": "month", "preset": "all"}
    answer = sync_view(client, "url.search", already)
    assert answer.status_code == 200
    assert "country=France" in answer.get_json()["response"]["view-store"]["data"]["filters"]
