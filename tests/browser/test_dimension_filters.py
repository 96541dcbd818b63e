"""The ship-to geography filters in headless Chromium, on the geo shop (tests/geo_shop.py, where
every figure is worked out by hand)."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.overview_page import WAIT, click_chip, revenue_is
from tests.geo_shop import seed_geo_shop
from tests.sites import site


def test_geo001_pick_a_state_in_the_header_see_the_chip_and_remove_it(dash_duo, new_engine):
    dash_duo.start_server(site(new_engine("browser"), demo=True, seed=seed_geo_shop))
    # G1 120.00 + G2 200.00 + G3 100.00 + G5 30.00; G4 is cancelled.
    revenue_is(dash_duo, "$450.00")
    dash_duo.wait_for_text_to_equal("#kpi-customers", "3", timeout=WAIT)
    dash_duo.find_element("#filters-more").click()
    dash_duo.wait_for_element("#filter-field-state #filter-state", timeout=WAIT)
    dash_duo.select_dcc_dropdown("#filter-state", value="CA")
    # California: G2 200.00 (Acme) + G3 100.00 (Bolt).
    revenue_is(dash_duo, "$300.00")
    dash_duo.wait_for_text_to_equal("#kpi-customers", "2", timeout=WAIT)
    dash_duo.wait_for_contains_text("#filter-chips", "State: CA", timeout=WAIT)
    dash_duo.wait_for_contains_text("#revenue-trend-caption", "state: CA", timeout=WAIT)
    assert "state=CA" in dash_duo.driver.current_url
    # Close the dropdown's menu, as a user does before reaching for the chip under it.
    ActionChains(dash_duo.driver).send_keys(Keys.ESCAPE).perform()
    click_chip(dash_duo, "State: CA")
    revenue_is(dash_duo, "$450.00")
    dash_duo.wait_for_contains_text("#filter-chips", "No filters", timeout=WAIT)
    assert "state=" not in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
