"""Issue 19's geography gaps in headless Chromium, on the geo shop (tests/geo_shop.py, where
every figure is worked out by hand): a point of the revenue trend drills to its orders (the
counts match), and the city list holds only the chosen region's cities."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashapp.ui import ids
from tests.browser.grid_page import jump_to
from tests.browser.overview_page import WAIT, revenue_is
from tests.geo_shop import seed_geo_shop
from tests.sites import site


def test_geo002_a_trend_point_drills_to_its_orders_and_a_region_narrows_the_cities(
    dash_duo, new_engine
):
    dash_duo.start_server(site(new_engine("browser"), demo=True, seed=seed_geo_shop))
    revenue_is(dash_duo, "$450.00")
    # 1-5 March 2024: too few months or weeks, so the trend is by day (5 points). The second
    # point is 2 March: G2, 200.00.
    points = f"#{ids.TREND} .js-plotly-plot .scatterlayer .trace .points path"
    dash_duo.wait_for_element(points, timeout=WAIT)
    march_2 = dash_duo.find_elements(points)[1]
    jump_to(dash_duo, march_2)
    ActionChains(dash_duo.driver).move_to_element(march_2).click().perform()
    dash_duo.wait_for_contains_text(".drill-title", "2 Mar 2024", timeout=WAIT)
    dash_duo.wait_for_text_to_equal("#drill-count", "1 order · $200.00", timeout=WAIT)
    link = dash_duo.wait_for_element(f"#{ids.DRILL_LINK}", timeout=WAIT)
    jump_to(dash_duo, link)
    link.click()
    dash_duo.wait_for_contains_text(f"#{ids.HISTORY_CAPTION}", "1 order", timeout=WAIT)
    back = dash_duo.wait_for_element(f"#{ids.DRILL_BACK}", timeout=WAIT)
    jump_to(dash_duo, back)
    back.click()
    revenue_is(dash_duo, "$450.00")

    # Region West (G2 Los Angeles 200.00, G3 San Francisco 100.00): the city list is theirs,
    # not New York's or Buffalo's.
    dash_duo.find_element("#filters-more").click()
    dash_duo.wait_for_element("#filter-field-region #filter-region", timeout=WAIT)
    dash_duo.select_dcc_dropdown("#filter-region", value="West")
    revenue_is(dash_duo, "$300.00")
    dash_duo.wait_for_contains_text("#filter-chips", "Region: West", timeout=WAIT)
    ActionChains(dash_duo.driver).send_keys(Keys.ESCAPE).perform()
    dash_duo.find_element("#filter-city").click()
    dash_duo.wait_for_contains_text(".dash-dropdown-options", "San Francisco", timeout=WAIT)
    options = [
        o.text for o in dash_duo.find_elements(".dash-dropdown-options .dash-dropdown-option")
    ]
    assert options == ["Los Angeles", "San Francisco"]
    ActionChains(dash_duo.driver).send_keys(Keys.ESCAPE).perform()
    assert dash_duo.get_logs() == []
