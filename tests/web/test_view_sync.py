"""The page's view is set once per page load: graphs mounting (clickData None) do not set it
again, which would run every section's callbacks a second time."""

from __future__ import annotations

import json

import pytest

from tests.sites import tiny_site
from tests.web.forge import forge

XFILTER = {"type": "xfilter", "name": "by-country", "dim": "country"}


@pytest.fixture
def client(new_engine):
    return tiny_site(new_engine("view"), demo=True).server.test_client()


def sync_view(client, changed: str, current_view):  # noqa: ANN001
    """Post the view callback as the page does when `changed` fires, with the view store
    holding `current_view`."""
    return forge(
        client,
        "url.search",
        {"view-store.data": current_view},
        output="view-store.data",
        matches={"xfilter": [XFILTER], "filter-chip": []},
        trigger_value="?country=France",
        changed=changed,
    )


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
