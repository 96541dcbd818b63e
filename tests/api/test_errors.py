"""Errors are JSON with a status code, never an HTML page or a traceback, under /api/."""

import pytest

from tests.api.conftest import error_of


@pytest.mark.parametrize("url", ["/api/nothing-here", "/api/kpis/extra", "/api/", "/api"])
def test_unknown_api_paths_are_404_json(api, url):
    r = api.get(url)
    assert r.status_code == 404
    assert error_of(r)["reason"] == "no such API route or object"


def test_paths_outside_the_api_keep_flasks_own_404(api):
    r = api.client.get("/not-the-api")
    assert r.status_code == 404
    assert not r.is_json


def test_a_wrong_method_is_405_json_with_allow(api):
    r = api.client.delete("/api/kpis", headers=api.headers())
    assert r.status_code == 405
    assert "DELETE" in error_of(r)["reason"]
    assert "GET" in r.headers["Allow"]


def test_an_unexpected_failure_is_a_generic_500(api, monkeypatch, caplog):
    import dashapp.analytics.breakdowns as breakdowns

    def explode(*args, **kwargs):
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setattr(breakdowns, "sales_by_country", explode)
    r = api.get("/api/sales-by-country")
    assert r.status_code == 500
    error = error_of(r)
    text = r.get_data(as_text=True)
    assert "secret detail" not in text and "Traceback" not in text
    assert error["reason"] == "internal error; the server log has the details"
    # The details go to the log instead.
    assert "secret detail from deep inside" in caplog.text


def test_a_post_that_is_not_json_is_415(api):
    r = api.client.post(
        "/api/orders", data="customer_id=1", headers=api.headers("sales"), content_type="text/plain"
    )
    assert r.status_code == 415


@pytest.mark.parametrize("data", ["{not json", "null", "[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_400(api, data):
    r = api.client.post(
        "/api/orders", data=data, headers=api.headers("sales"), content_type="application/json"
    )
    assert r.status_code == 400
    assert error_of(r)["field"] == "body"


def test_nul_in_a_posted_sku_is_a_400_not_a_crash(api):
    response = api.post(
        "/api/orders", {"customer_id": 1, "lines": [{"product": "CA\x00R", "quantity": 1}]}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "lines[0].product"


def test_unknown_api_path_on_the_full_app_is_json_404_not_the_page(new_engine):
    from tests.sites import site

    client = site(new_engine("full")).server.test_client()
    response = client.get("/api/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
