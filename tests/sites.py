"""The real app for the web and browser tests, on an empty database or the tiny data set
(tests/tiny.py), and test clients signed in to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dashapp.auth import create_user
from dashapp.factory import create_app
from dashapp.store.migrate import upgrade
from tests.tiny import seed_tiny


def site(
    engine,
    *,
    users: Iterable[tuple[str, str, str]] = (),
    demo: bool = False,
    seed: Callable | None = None,
):
    """The app on `engine`'s empty database, migrated (then `seed(engine)`), with these
    (username, role, password) accounts; tests re-query the database through app.engine."""
    upgrade(engine)
    if seed is not None:
        seed(engine)
    for username, role, password in users:
        create_user(engine, username, role, password)
    app = create_app(engine, demo=demo)
    app.engine = engine
    return app


def tiny_site(engine, *, users: Iterable[tuple[str, str, str]] = (), demo: bool = False):
    """site() on the tiny data set (tests/tiny.py)."""
    return site(engine, users=users, demo=demo, seed=seed_tiny)


def signed_in_client(app, username: str, password: str):
    """A Flask test client of the Dash `app`, signed in as `username` (a redirect: it worked)."""
    client = app.server.test_client()
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302
    return client


def sign_in_page(dash_duo, username: str, password: str, timeout: float | None = None) -> None:
    """Sign in through /login in the browser, as a user does, and wait until the page's header
    names the user."""
    dash_duo.driver.get(dash_duo.server.url + "/login")
    dash_duo.wait_for_element("#login-form")
    dash_duo.find_element("#username").send_keys(username)
    dash_duo.find_element("#password").send_keys(password)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_text_to_equal("#user-name", username, timeout=timeout)
