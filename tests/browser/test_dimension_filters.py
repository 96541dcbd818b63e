"""The ship-to geography filters in headless Chromium, on the geo shop (tests/geo_shop.py, where
every figure is worked out by hand)."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashapp.ui import ids
from tests.browser.overview_page import WAIT, click_chip, revenue_is
from tests.geo_shop import seed_geo_shop
from tests.sites import site


def test_geo001_pick_a_state_see_the_chip_remove_it_and_drill_into_a_region(dash_duo, new_engine):
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
    # The geography drill: inside the one country, its regions (West 300.00 on top, East
    # 150.00 below); a click on West, then California's two cities.
    assert dash_duo.find_element("#place-drill").get_attribute("hidden") == "true"
    dash_duo.select_dcc_dropdown("#filter-country", value="United States")
    ActionChains(dash_duo.driver).send_keys(Keys.ESCAPE).perform()
    dash_duo.wait_for_contains_text("#place-drill-title", "United States by region", timeout=WAIT)
    _click_bar_in_view(dash_duo, "place-bar", 1)
    revenue_is(dash_duo, "$300.00")
    dash_duo.wait_for_contains_text("#filter-chips", "Region: West", timeout=WAIT)
    dash_duo.wait_for_contains_text("#place-drill-title", "United States by city", timeout=WAIT)
    # The same click offers West's orders (drill-through): G2 and G3.
    dash_duo.wait_for_contains_text(f"#{ids.DRILL_BODY}", "2 orders · $300.00", timeout=WAIT)
    assert dash_duo.get_logs() == []


def _click_bar_in_view(dash_duo, graph_name: str, index: int) -> None:
    """Scroll the index-th bar (0 = bottom) to the middle of the window, as a user brings it
    into view, and click it (at the window's edge a fixed panel may lie over it)."""
    selector = f'div[id*="{graph_name}"] .js-plotly-plot .bars .point path'
    dash_duo.wait_for_element(selector, timeout=WAIT)
    bar = dash_duo.find_elements(selector)[index]
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", bar
    )
    ActionChains(dash_duo.driver).move_to_element(bar).click().perform()
