"""Saved views as a user works with them (issue 20, item 6), on the tiny set (tests/tiny.py,
every figure worked out by hand there): set filters, save the view, change the filters, reopen
the view from the Views menu and see its chips and KPI come back."""

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.overview_page import WAIT, click_chip, revenue_is


def _menu(dash_duo):
    dash_duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")
    dash_duo.find_element(".views-toggle").click()


def test_sv001_save_a_view_change_the_filters_and_reopen_it(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    # Every order not cancelled: O1 250.00 + O2 135.00 + O4 99.99 + O5 100.00 + O6 100.00.
    revenue_is(dash_duo, "$684.99")
    dash_duo.select_dcc_dropdown("#filter-country", value="France")
    # France: O1 250.00 + O4 99.99 + O6 100.00.
    revenue_is(dash_duo, "$449.99")
    ActionChains(dash_duo.driver).send_keys(Keys.ESCAPE).perform()

    _menu(dash_duo)
    dash_duo.wait_for_element("#views-save-open", timeout=WAIT).click()
    dash_duo.wait_for_contains_text("#views-save-summary", "country: France", timeout=WAIT)
    dash_duo.find_element("#views-save-name").send_keys("France <b>only</b>")
    dash_duo.find_element("#views-save-button").click()
    dash_duo.wait_for_text_to_equal(
        "#views-notice .toast-body", "Saved “France <b>only</b>”.", timeout=WAIT
    )

    # A name already taken is refused in the dialog, which stays open.
    _menu(dash_duo)
    dash_duo.wait_for_element("#views-save-open", timeout=WAIT).click()
    dash_duo.wait_for_element("#views-save-name", timeout=WAIT).send_keys("FRANCE <b>ONLY</b>")
    dash_duo.find_element("#views-save-button").click()
    dash_duo.wait_for_contains_text(
        "#views-save-message", "you already have a view named", timeout=WAIT
    )
    dash_duo.find_element("#views-save-cancel").click()

    click_chip(dash_duo, "Country: France")
    revenue_is(dash_duo, "$684.99")
    dash_duo.wait_for_contains_text("#filter-chips", "No filters", timeout=WAIT)

    # As a user who waits for the page to settle: no callback still on its way (a late answer
    # could otherwise redraw what is about to be clicked).
    WebDriverWait(dash_duo.driver, WAIT).until(
        lambda d: not d.find_elements("css selector", "[data-dash-is-loading='true']")
    )
    _menu(dash_duo)
    item = dash_duo.wait_for_element(".saved-view-item", timeout=WAIT)
    assert item.find_element("css selector", ".view-name").text == "France <b>only</b>"
    # The click goes to the item as it is in the page when the click is made (looked up again,
    # not the element found above, which a late redraw of the menu may have replaced: a click
    # on a detached element reaches nothing), and not to a screen position: on a loaded machine
    # the menu may still be moving into place when a pointer click lands.
    dash_duo.driver.execute_script("document.querySelector('.saved-view-item').click();")
    try:
        WebDriverWait(dash_duo.driver, WAIT).until(lambda d: "country=France" in d.current_url)
    except TimeoutException:
        menu_html = dash_duo.find_element(".views-menu").get_attribute("outerHTML")
        raise AssertionError(
            f"the view did not open; address {dash_duo.driver.current_url}, menu {menu_html}"
        ) from None
    # (Its "Opened …" notice closes by itself after 8 s, too soon to catch on a loaded
    # machine; tests/views/test_page_access.py checks its text.)
    revenue_is(dash_duo, "$449.99")
    dash_duo.wait_for_contains_text("#filter-chips", "Country: France", timeout=WAIT)
    assert "country=France" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
