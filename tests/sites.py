"""The real app for the web and browser tests, on an empty database or the tiny data set
(tests/tiny.py), and test clients signed in to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import pytest

from dashapp.auth import create_user
from dashapp.factory import create_app
from tests.databases import fresh_engine, migrate
from tests.tiny import seed_tiny

PASSWORD = "mild tangerine"
# Who a forged-callback test signs in as: a manager who may write, and a sales user and a
# viewer who may not.
MANAGER_SALES_VIEWER = (("max", "manager"), ("sal", "sales"), ("vic", "viewer"))


def site(
    engine,
    *,
    users: Iterable[tuple[str, str, str]] = (),
    demo: bool = False,
    seed: Callable | None = None,
):
    """The app on `engine`'s empty database, migrated (then `seed(engine)`), with these
    (username, role, password) accounts; tests re-query the database through app.engine."""
    migrate(engine, seed)
    for username, role, password in users:
        create_user(engine, username, role, password)
    app = create_app(engine, demo=demo)
    app.engine = engine
    return app


def tiny_site(engine, *, users: Iterable[tuple[str, str, str]] = (), demo: bool = False):
    """site() on the tiny data set (tests/tiny.py)."""
    return site(engine, users=users, demo=demo, seed=seed_tiny)


@contextmanager
def forged_site(tmp_path_factory, name: str, seed: Callable) -> Iterator[tuple]:
    """(app, engine): site() on a new database of its own (`name`), seeded, with the
    MANAGER_SALES_VIEWER accounts signed in by PASSWORD; for a module's forged callbacks."""
    with fresh_engine(tmp_path_factory.mktemp(name), "site") as engine:
        users = [(username, role, PASSWORD) for username, role in MANAGER_SALES_VIEWER]
        yield site(engine, users=users, seed=seed), engine


def forged_site_fixture(name: str, seed: Callable):
    """A module-scoped fixture `site`: forged_site()'s (app, engine) on a database `name`
    seeded by `seed`, for a module of forged-callback tests (site = forged_site_fixture(...))."""

    def site(tmp_path_factory):
        with forged_site(tmp_path_factory, name, seed) as app_and_engine:
            yield app_and_engine

    return pytest.fixture(site, scope="module", name="site")


def signed_in_client(app, username: str, password: str):
    """A Flask test client of the Dash `app`, signed in as `username` (a redirect: it worked)."""
    client = app.server.test_client()
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302
    return client


def signed_in_as(app, username: str):
    """signed_in_client() for one of forged_site()'s accounts (password PASSWORD)."""
    return signed_in_client(app, username, PASSWORD)


def sign_in_page(dash_duo, username: str, password: str, timeout: float | None = None) -> None:
    """Sign in through /login in the browser, as a user does, and wait until the page's header
    names the user."""
    dash_duo.driver.get(dash_duo.server.url + "/login")
    dash_duo.wait_for_element("#login-form")
    dash_duo.find_element("#username").send_keys(username)
    dash_duo.find_element("#password").send_keys(password)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_text_to_equal("#user-name", username, timeout=timeout)
