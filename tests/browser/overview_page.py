"""What a user does on the Overview, as small helpers for dash_duo tests."""

from selenium.webdriver.common.action_chains import ActionChains

from tests.browser.grid_page import jump_to

# Seconds a wait may take: the test machines are shared and often loaded, and under make test-pg
# every callback's queries go to a PostgreSQL server that other work may be keeping busy.
WAIT = 30


def revenue_is(dash_duo, text: str) -> None:
    dash_duo.wait_for_text_to_equal("#kpi-revenue", text, timeout=WAIT)


def click_bar(dash_duo, graph_name: str, index: int) -> None:
    """Click the index-th bar (0 = bottom) of a bar chart as a user would."""
    selector = f'div[id*="{graph_name}"] .js-plotly-plot .bars .point path'
    dash_duo.wait_for_element(selector, timeout=WAIT)
    bars = dash_duo.find_elements(selector)
    ActionChains(dash_duo.driver).move_to_element(bars[index]).click().perform()


def click_mark(dash_duo, selector: str, index: int) -> None:
    """Click the index-th of a chart's marks (`selector`: its points, slices...) as a user
    would, once the chart has drawn them, scrolled to the middle of the window first."""
    dash_duo.wait_for_element(selector, timeout=WAIT)
    mark = dash_duo.find_elements(selector)[index]
    jump_to(dash_duo, mark)
    ActionChains(dash_duo.driver).move_to_element(mark).click().perform()


def click_chip(dash_duo, text: str) -> None:
    # Bootstrap makes scrolling smooth; jump instead so the chip is where the click lands.
    dash_duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")
    for chip in dash_duo.find_elements(".filter-chip"):
        if text in chip.text:
            chip.click()
            return
    raise AssertionError(f"no chip containing {text!r}")
