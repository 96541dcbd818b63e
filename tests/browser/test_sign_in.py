"""Signing in and out through the pages, as a user does (tests/tiny.py data, demo mode off)."""

import pytest

from tests.browser.overview_page import WAIT, revenue_is
from tests.sites import sign_in_page, tiny_site

PASSWORD = "amber kettle drum"


@pytest.fixture
def signed_app(new_engine):
    return tiny_site(new_engine("sign-in"), users=[("mara", "manager", PASSWORD)])


def sign_in(dash_duo) -> None:
    sign_in_page(dash_duo, "mara", PASSWORD, timeout=WAIT)


def test_sig001_the_header_button_signs_out_and_a_get_only_asks(dash_duo, signed_app):
    dash_duo.start_server(signed_app, navigate=False)
    sign_in(dash_duo)
    revenue_is(dash_duo, "$684.99")

    # A GET /logout (a bookmark, or another site's <img>) shows a question, not a sign-out.
    dash_duo.driver.get(dash_duo.server.url + "/logout")
    dash_duo.wait_for_text_to_equal("#logout-user", "mara")
    dash_duo.find_element("#logout-back").click()
    dash_duo.wait_for_text_to_equal("#user-name", "mara", timeout=WAIT)

    # The header's Sign out posts the form: back to the sign-in page, and signed out.
    dash_duo.find_element("#sign-out").click()
    dash_duo.wait_for_element("#login-form")
    assert dash_duo.driver.current_url == dash_duo.server.url + "/login"
    dash_duo.driver.get(dash_duo.server.url + "/orders")
    dash_duo.wait_for_element("#login-form")
    assert "next=/orders" in dash_duo.driver.current_url

    # The confirm page's button signs out too.
    sign_in(dash_duo)
    dash_duo.driver.get(dash_duo.server.url + "/logout")
    dash_duo.find_element("#logout-confirm").click()
    dash_duo.wait_for_element("#login-form")
    dash_duo.driver.get(dash_duo.server.url + "/")
    dash_duo.wait_for_element("#login-form")
    assert dash_duo.get_logs() == []
