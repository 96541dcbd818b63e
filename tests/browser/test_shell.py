"""The page around the sections at 1366 px (tests/tiny.py data): the filter panel, typed dates,
the shared link and the sidebar (issue 18)."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.grid_page import go_to
from tests.browser.overview_page import WAIT, revenue_is

# The page's clipboard, observed: what "Copy link" hands the browser is recorded in a list.
RECORD_CLIPBOARD = """
window.copied = [];
navigator.clipboard.writeText = text => { window.copied.push(text); return Promise.resolve(); };
"""


def shown(dash_duo, selector: str) -> bool:
    found = dash_duo.driver.find_elements(By.CSS_SELECTOR, selector)
    return bool(found) and found[0].is_displayed()


def click_blank_sidebar(dash_duo) -> None:
    """Click the empty foot of the sidebar, as a user clicks away from a field."""
    x, y = dash_duo.driver.execute_script(
        "const box = document.querySelector('.sidebar').getBoundingClientRect();"
        "return [Math.round(box.left + 20), Math.round(box.bottom - 20)];"
    )
    assert dash_duo.driver.execute_script(
        "return document.elementFromPoint(arguments[0], arguments[1]).className", x, y
    ).startswith("sidebar")
    actions = ActionChains(dash_duo.driver)
    actions.w3c_actions.pointer_action.move_to_location(x, y).click()
    actions.perform()


def wait_until(dash_duo, condition, message: str) -> None:
    WebDriverWait(dash_duo.driver, WAIT).until(lambda d: condition(), message)


def test_shl001_filters_dates_and_top_n_in_the_link(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    dash_duo.driver.set_window_size(1366, 900)
    revenue_is(dash_duo, "$684.99")
    # The panel is one row of controls and a row of chips: it took 250 px.
    height = dash_duo.driver.execute_script(
        "return document.getElementById('filters-offcanvas').offsetHeight"
    )
    assert height < 110

    # A start date typed and left with a click elsewhere, no Tab: applied, not only shown.
    dash_duo.find_element("#filter-dates").send_keys("1 Jan 2024")
    click_blank_sidebar(dash_duo)
    # From 1 Jan 2024: O1 250.00 + O2 135.00 + O4 99.99 (O3 is cancelled).
    revenue_is(dash_duo, "$484.99")
    assert "start=2024-01-01" in dash_duo.driver.current_url

    # Top N by units goes into the link and comes back from it.
    units = next(el for el in dash_duo.find_elements("#top-by label") if el.text == "Units")
    # Bootstrap scrolls smoothly: jump, so the click lands where the label is.
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", units
    )
    units.click()
    dash_duo.wait_for_contains_text("#top-caption", "Top 10 by units", timeout=WAIT)
    wait_until(dash_duo, lambda: "top_by=units" in dash_duo.driver.current_url, "top_by in URL")
    dash_duo.driver.get(dash_duo.server_url + "/?range=90d&top=5&top_by=units")
    dash_duo.wait_for_contains_text("#top-caption", "Top 5 by units", timeout=WAIT)
    # The last 90 days up to the latest order (5 Feb 2024): O1 250 + O2 135 + O4 99.99 + O5 100.
    revenue_is(dash_duo, "$584.99")

    # "Copy link": the whole button copies and says so; a relative range offers exact dates.
    dash_duo.driver.execute_script(RECORD_CLIPBOARD)
    dash_duo.find_element("#copy-link .d-md-inline").click()  # the words, not the icon
    dash_duo.wait_for_text_to_equal("#copy-status", "✓ Link copied", timeout=WAIT)
    copied = dash_duo.driver.execute_script("return window.copied")
    assert copied == [dash_duo.server_url + "/?range=90d&top=5&top_by=units"]
    dash_duo.wait_for_contains_text("#copy-exact-note", "Now: 8 Nov 2023 – 5 Feb 2024")
    dash_duo.find_element("#copy-exact").click()
    dash_duo.wait_for_text_to_equal(
        "#copy-status", "✓ Link with these exact dates copied", timeout=WAIT
    )
    exact = dash_duo.driver.execute_script("return window.copied")[-1]
    assert exact == (
        dash_duo.server_url + "/?start=2023-11-08&end=2024-02-05&range=custom&top=5&top_by=units"
    )
    dash_duo.driver.get(exact)
    revenue_is(dash_duo, "$584.99")
    dash_duo.wait_for_contains_text("#top-caption", "Top 5 by units", timeout=WAIT)
    assert dash_duo.get_logs() == []


# The map's region and its colour bar's labels, as drawn (USA $235.00, France $449.99).
MAP_STATE = """
const plot = document.querySelector('div[id*="country-map"] .js-plotly-plot');
return [plot.layout.geo.lonaxis.range, plot.data[0].colorbar.ticktext];
"""
SIDEBAR_TOP = "return Math.round(document.querySelector('.sidebar').getBoundingClientRect().top)"


def test_shl002_the_filter_panel_shows_where_it_applies(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    dash_duo.driver.set_window_size(1366, 900)
    revenue_is(dash_duo, "$684.99")
    # The world map: a log scale whose legend reads in dollars, and a continent zoom.
    dash_duo.wait_for_element('div[id*="country-map"] .choroplethlayer', timeout=WAIT)
    assert dash_duo.driver.execute_script(MAP_STATE) == [[-180, 180], ["$235", "$449.99"]]
    region = dash_duo.find_element("#country-map-region")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", region)
    Select(region).select_by_visible_text("Europe")
    wait_until(
        dash_duo,
        lambda: dash_duo.driver.execute_script(MAP_STATE)[0] == [-25, 45],
        "the map zoomed on Europe",
    )
    dash_duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")

    labels = [a.text for a in dash_duo.find_elements(".section-nav a")]
    assert "Customer list" in labels and "Customer insight" in labels
    assert "Customers" not in labels

    # The sidebar stays under the top bar while the page scrolls.
    top = dash_duo.driver.execute_script(SIDEBAR_TOP)
    dash_duo.driver.execute_script("window.scrollTo({top: 600, behavior: 'instant'});")
    wait_until(dash_duo, lambda: dash_duo.driver.execute_script("return scrollY") > 0, "scrolled")
    assert dash_duo.driver.execute_script(SIDEBAR_TOP) == top
    dash_duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")

    # Product, customer and status fold under "More filters", which counts what they hold.
    assert not shown(dash_duo, "#filter-status")
    dash_duo.find_element("#filters-more").click()
    wait_until(dash_duo, lambda: shown(dash_duo, "#filter-status"), "status shown")
    dash_duo.select_dcc_dropdown("#filter-status", value="Cancelled")
    dash_duo.wait_for_text_to_equal("#filters-more", "More filters · 1", timeout=WAIT)

    # The catalog has no use for the page filters: no panel there.
    go_to(dash_duo, "Customer list")
    dash_duo.wait_for_contains_text("#customers-caption", "3 customers", timeout=WAIT)
    wait_until(dash_duo, lambda: not shown(dash_duo, "#filters-offcanvas"), "panel hidden")

    # The forecast picks its own category: one Category picker on the page, not two.
    go_to(dash_duo, "Forecast & inventory")
    dash_duo.wait_for_element("#fc-scope", timeout=WAIT)
    wait_until(dash_duo, lambda: shown(dash_duo, "#filters-offcanvas"), "panel shown")
    assert shown(dash_duo, "#filter-country")
    assert not shown(dash_duo, "#filter-category")
    dash_duo.wait_for_contains_text("#filter-note", "chosen in the forecast's controls")

    # The orders page keeps the filters, for its history, and says so.
    go_to(dash_duo, "Orders")
    dash_duo.wait_for_contains_text("#filter-note", "apply to the order history")
    assert dash_duo.get_logs() == []
