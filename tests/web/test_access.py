"""Sign-in and the server-side access check, through Flask's test client."""

import json

import pytest
from dash import Input, Output, html

from dashapp.web.access import guarded
from tests.sites import site

HERE = {"Origin": "http://localhost"}  # the test client's host


@pytest.fixture
def app(new_engine):
    users = [("vera", "viewer", "viewer password"), ("sam", "sales", "sales password")]
    dash_app = with_a_writing_callback(site(new_engine("web"), users=users))
    dash_app.server.config["TESTING"] = True
    return dash_app


def with_a_writing_callback(dash_app):
    """`dash_app` with only a button whose callback writes, declared like the real ones."""
    dash_app.layout = html.Div([html.Button(id="do"), html.Div(id="done")])

    @guarded(dash_app, "orders:write", Output("done", "children"), Input("do", "n_clicks"))
    def write(n):
        return f"written {n}"

    return dash_app


def sign_in(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def callback_request(client, output="done.children"):
    body = {
        "output": output,
        "outputs": {"id": "done", "property": "children"},
        "inputs": [{"id": "do", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["do.n_clicks"],
        "state": [],
    }
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )


def test_pages_need_a_signed_in_user(app):
    client = app.server.test_client()
    response = client.get("/?country=France")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/?country%3DFrance")
    assert callback_request(client).status_code == 401
    assert client.get("/login").status_code == 200
    assert client.get("/assets/10-sales-pulse.css").status_code == 200


def test_wrong_password_is_refused_with_a_message(app):
    client = app.server.test_client()
    response = sign_in(client, "vera", "not it")
    assert response.status_code == 401
    assert b"Wrong username or password." in response.data
    assert client.get("/").status_code == 302


def test_sign_in_then_out(app):
    client = app.server.test_client()
    response = client.post(
        "/login?next=/orders", data={"username": "vera", "password": "viewer password"}
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/orders")
    assert client.get("/").status_code == 200
    signed_out = client.post("/logout", headers=HERE)
    assert (signed_out.status_code, signed_out.headers["Location"]) == (302, "/login")
    assert client.get("/").status_code == 302


def test_a_get_on_logout_only_asks(app):
    """A link, a prefetch or an <img src=/logout> on another site must not sign anyone out:
    GET shows a page whose button posts the sign-out."""
    client = app.server.test_client()
    sign_in(client, "vera", "viewer password")
    page = client.get("/logout")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<form method="post" action="/logout" id="logout-form">' in html
    assert '<strong id="logout-user">vera</strong>' in html
    assert client.get("/").status_code == 200  # still signed in


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "https://evil.example"}, {"Origin": "null"}, {"Referer": "http://evil/x"}],
    ids=["no-origin", "other-site", "null-origin", "other-referer"],
)
def test_a_sign_out_posted_from_another_site_is_refused(app, headers):
    client = app.server.test_client()
    sign_in(client, "vera", "viewer password")
    assert client.post("/logout", headers=headers).status_code == 403
    assert client.get("/").status_code == 200  # still signed in


def test_a_sign_out_from_this_site_by_its_referer_works(app):
    # Older browsers send no Origin on a same-site form; the Referer does.
    client = app.server.test_client()
    sign_in(client, "vera", "viewer password")
    assert client.post("/logout", headers={"Referer": "http://localhost/orders"}).status_code == 302
    assert client.get("/").status_code == 302


def test_logout_sends_a_signed_out_visitor_to_sign_in(app):
    client = app.server.test_client()
    for response in (client.get("/logout"), client.post("/logout")):
        assert (response.status_code, response.headers["Location"]) == (302, "/login")


def test_next_never_leaves_the_site(app):
    client = app.server.test_client()
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"username": "vera", "password": "viewer password"},
    )
    assert response.headers["Location"] == "/"


def test_forged_write_from_a_viewer_is_refused(app):
    client = app.server.test_client()
    sign_in(client, "vera", "viewer password")
    response = callback_request(client)
    assert response.status_code == 403
    assert "viewer" in response.get_json()["error"]


def test_the_same_write_from_sales_goes_through(app):
    client = app.server.test_client()
    sign_in(client, "sam", "sales password")
    response = callback_request(client)
    assert response.status_code == 200
    assert "written 1" in response.get_data(as_text=True)


def test_html_in_a_username_is_escaped_on_the_login_page(app):
    client = app.server.test_client()
    response = sign_in(client, "<script>alert(1)</script>", "whatever")
    assert b"<script>alert(1)</script>" not in response.data


def test_demo_mode_signs_in_as_the_demo_admin(new_engine):
    client = site(new_engine("demo"), demo=True).server.test_client()
    response = client.get("/")
    assert response.status_code == 200


def test_the_role_check_also_guards_a_prefixed_mount(new_engine, monkeypatch):
    monkeypatch.setenv("DASH_ROUTES_PATHNAME_PREFIX", "/sp/")
    monkeypatch.setenv("DASH_REQUESTS_PATHNAME_PREFIX", "/sp/")
    dash_app = site(new_engine("prefixed"), users=[("vera", "viewer", "viewer password")])
    client = with_a_writing_callback(dash_app).server.test_client()
    sign_in(client, "vera", "viewer password")
    body = {
        "output": "done.children",
        "outputs": {"id": "done", "property": "children"},
        "inputs": [{"id": "do", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["do.n_clicks"],
        "state": [],
    }
    response = client.post(
        "/sp/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 403
