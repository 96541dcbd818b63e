"""The page on a 400 px wide phone (tests/tiny.py data): messages stay inside their cards."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.overview_page import WAIT

INSIDE_CARDS = """
const out = [];
for (const text of document.querySelectorAll('.chart-card .annotation-text')) {
    const card = text.closest('.chart-card').getBoundingClientRect();
    const box = text.getBoundingClientRect();
    if (box.left < card.left || box.right > card.right) out.push(text.textContent);
}
return out;
"""
ROW_AND_NOTE = """
const note = document.querySelector('#kpi-row > .empty-state').getBoundingClientRect();
const row = document.querySelector('#kpi-row').getBoundingClientRect();
return [Math.round(row.width), Math.round(note.width)];
"""


def test_nar001_an_empty_range_says_so_inside_the_cards(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    dash_duo.driver.set_window_size(400, 900)
    dash_duo.driver.get(dash_duo.server_url + "/?start=2030-01-01&end=2030-01-31")
    dash_duo.wait_for_contains_text("#kpi-row", "No orders in this range", timeout=WAIT)
    dash_duo.wait_for_contains_text("#revenue-trend", "widen the dates or import data")
    # Every chart of the Overview says it: trend, category (2), top (2), country (2), calendar.
    WebDriverWait(dash_duo.driver, WAIT).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".chart-card .annotation-text")) == 8
    )
    assert dash_duo.driver.execute_script(INSIDE_CARDS) == []
    # The KPI row's note spans the row instead of squeezing into one card's cell.
    width, note = dash_duo.driver.execute_script(ROW_AND_NOTE)
    assert note == width
    assert dash_duo.get_logs() == []


TAB_HEIGHTS = """
return [...document.querySelectorAll('.section-nav .nav-link')].map(a => a.offsetHeight);
"""
ACTIVE_TAB_INSIDE = """
const row = document.querySelector('.sidebar').getBoundingClientRect();
const tab = document.querySelector('.section-nav .nav-link.active');
if (!tab) return false;
const box = tab.getBoundingClientRect();
return box.left >= row.left && box.right <= row.right;
"""


def test_nar002_tabs_are_one_row_and_the_menu_holds_the_account(dash_duo, tiny_app):
    # Issue 18 changed the phone header: Account, Sign out and the demo badge were hidden and
    # Sign out alone shown; now all of them wait in the menu button's panel.
    dash_duo.start_server(tiny_app)
    dash_duo.driver.set_window_size(400, 900)
    dash_duo.driver.get(dash_duo.server_url + "/customers")
    dash_duo.wait_for_contains_text("#customers-caption", "3 customers", timeout=WAIT)
    # "Customers insight" on two lines made every tab, and the current one's pill, twice as tall.
    assert len(set(dash_duo.driver.execute_script(TAB_HEIGHTS))) == 1
    # "Customer list", the seventh tab, is scrolled into the row instead of cut off at its edge.
    WebDriverWait(dash_duo.driver, WAIT).until(
        lambda d: d.execute_script(ACTIVE_TAB_INSIDE), "the current tab in view"
    )
    assert not dash_duo.find_element("#sign-out").is_displayed()
    dash_duo.find_element("#topbar-menu").click()
    WebDriverWait(dash_duo.driver, WAIT).until(
        lambda d: d.find_element(By.ID, "sign-out").is_displayed(), "Sign out shown"
    )
    for selector in ("#user-name", "#account-open", ".demo-badge", "#auto-refresh"):
        assert dash_duo.find_element(selector).is_displayed(), selector
    dash_duo.find_element("#sign-out").click()
    dash_duo.wait_for_element("#login-form")
    assert dash_duo.get_logs() == []
