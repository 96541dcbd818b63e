"""Customers insight in headless Chromium on PEOPLE (tests/segments/people.py), whose R, F, M
scores and segments are worked out by hand in that module's docstring."""

import pytest
from dash.testing.wait import until
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains

from dashapp.factory import create_app
from tests.browser.grid_page import downloads_into
from tests.databases import migrate
from tests.segments.people import seed_people

WAIT = 20  # seconds; generous, as the test machines are shared and often loaded


@pytest.fixture
def people_app(new_engine):
    engine = new_engine("insight")
    migrate(engine)
    seed_people(engine)
    app = create_app(engine, demo=True)
    yield app
    engine.dispose()


def open_insight(dash_duo) -> None:
    """Start on the overview and open the section from the sidebar, as a user would."""
    dash_duo.wait_for_element(".section-nav .nav-link", timeout=WAIT)
    link = next(a for a in dash_duo.find_elements(".section-nav .nav-link") if "insight" in a.text)
    link.click()
    dash_duo.wait_for_text_to_equal("#stat-customers", "10", timeout=2 * WAIT)


def click_heatmap_cell(dash_duo, r: int, f: int) -> None:
    """Click cell (r, f): both axes run 0.5-5.5, F left to right, R bottom to top."""
    area = dash_duo.wait_for_element("#insight-rf-heatmap .nsewdrag", timeout=WAIT)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", area
    )
    width, height = area.size["width"], area.size["height"]
    x = (f - 0.5) / 5 * width
    y = (5.5 - r) / 5 * height
    # From the centre of the plot area (move_to_element_with_offset's origin varies by version).
    ActionChains(dash_duo.driver).move_to_element(area).move_by_offset(
        int(x - width / 2), int(y - height / 2)
    ).click().perform()


def press(dash_duo, selector: str) -> None:
    """Click a button after jumping to it (Bootstrap scrolls smoothly; the topbar is sticky)."""
    button = dash_duo.wait_for_element(selector, timeout=WAIT)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button
    )
    button.click()


def member_names(dash_duo) -> list[str] | None:
    """The customer names in the member grid, top to bottom."""
    cells = dash_duo.find_elements('#insight-members .ag-center-cols-container [col-id="name"]')
    try:
        return [c.text for c in cells]
    except StaleElementReferenceException:
        return None  # the grid redrew its rows meanwhile; ask again


def test_ins001_heatmap_cell_lists_its_customers_and_exports_them(dash_duo, people_app, tmp_path):
    dash_duo.start_server(people_app)
    downloads = downloads_into(dash_duo, tmp_path / "downloads")
    open_insight(dash_duo)
    dash_duo.wait_for_contains_text("#insight-segment-table", "Can't Lose Them", timeout=WAIT)
    # Alpine is the only Champion: 1 of 10 customers, 5,030.00 of 11,980.00 revenue (42 %).
    dash_duo.wait_for_text_to_equal("#stat-champions", "1", timeout=WAIT)
    dash_duo.wait_for_contains_text(
        "#stat-champions-note", "10% of customers · 42% of revenue", timeout=WAIT
    )
    dash_duo.wait_for_contains_text(
        "#insight-members-title", "All scored customers · 10", timeout=WAIT
    )

    # Granite Replicas alone scores R 2, F 5 (80 days, 9 orders).
    click_heatmap_cell(dash_duo, 2, 5)
    dash_duo.wait_for_text_to_equal(
        "#insight-members-title", "Cell: R 2 × F 5 · Can't Lose Them · 1 customer", timeout=WAIT
    )
    dash_duo.wait_for_contains_text("#insight-members", "Granite Replicas", timeout=WAIT)
    until(lambda: member_names(dash_duo) == ["Granite Replicas"], timeout=WAIT)

    press(dash_duo, "#insight-members-export")
    exported = downloads / "customers-r2-f5.csv"
    until(lambda: exported.exists() and exported.stat().st_size > 0, timeout=WAIT)
    # 9 orders x 400.00 + one Trains line of 20.00 = 3,620.00.
    assert exported.read_bytes() == (
        b"name,email,country,recency_days,frequency,monetary,segment\r\n"
        b"Granite Replicas,sales@granite.example,USA,80,9,3620.00,Can't Lose Them\r\n"
    )
    assert dash_duo.get_logs() == []


def test_ins002_segment_in_the_table_lists_its_customers_until_cleared(dash_duo, people_app):
    dash_duo.start_server(people_app)
    open_insight(dash_duo)
    press(dash_duo, '[id*="\\"segment\\":\\"At Risk\\""]')
    # Juniper Games: 300 days, 8 orders -> R 1, F 4: At Risk.
    dash_duo.wait_for_text_to_equal(
        "#insight-members-title", "Segment: At Risk · 1 customer", timeout=WAIT
    )
    until(lambda: member_names(dash_duo) == ["Juniper Games"], timeout=WAIT)
    press(dash_duo, "#insight-members-clear")
    dash_duo.wait_for_contains_text(
        "#insight-members-title", "All scored customers · 10", timeout=WAIT
    )
    dash_duo.wait_for_contains_text("#insight-members", "Alpine Models", timeout=WAIT)
    assert dash_duo.get_logs() == []


def test_ins003_empty_range_says_what_to_do(dash_duo, people_app):
    dash_duo.start_server(people_app)
    dash_duo.driver.get(dash_duo.server_url + "/insight?start=2030-01-01&end=2030-01-31")
    dash_duo.wait_for_contains_text("#insight-kpis", "No customers with orders", timeout=2 * WAIT)
    dash_duo.wait_for_contains_text(
        "#insight-cohorts", "widen the dates or import data", timeout=WAIT
    )
    assert dash_duo.find_element("#insight-members-export").get_attribute("disabled")
    assert dash_duo.get_logs() == []


def test_ins004_new_vs_returning_marks_partial_periods_and_labels_agree(dash_duo, people_app):
    # Issue 18. PEOPLE's orders run from 26 Jun 2023 (Juniper's first: 4 Sep 2023 - 7 x 10
    # days) to 30 Jun 2024. By month, June 2023 holds only its last 5 days: hatched.
    dash_duo.start_server(people_app)
    open_insight(dash_duo)
    # Repeat customers count orders inside the range (all but Bayside's single order: 9 of 10),
    # not the Overview's "had ordered before the range".
    dash_duo.wait_for_text_to_equal("#stat-repeat", "90%", timeout=WAIT)
    dash_duo.wait_for_text_to_equal("#stat-repeat-note", "9 placed 2+ orders in this range")
    caption = "#insight-new-returning-caption"
    dash_duo.wait_for_contains_text(
        caption, "Customers ordering per month; new = first-ever order in that month, hatched: "
        "incomplete month", timeout=WAIT,
    )  # fmt: skip
    bars = dash_duo.driver.execute_script(
        "return document.querySelector('#insight-new-returning .js-plotly-plot').data;"
    )
    assert bars[0]["customdata"][0] == "Jun 2023 · partial month (26–30 Jun, 5 of 30 days)"
    assert bars[0]["marker"]["pattern"]["shape"][:2] == ["/", ""]
    # By year the range is 2 points (2023, 2024): the chart says so and shows quarters.
    labels = dash_duo.find_elements("#filter-granularity label")
    year = next(el for el in labels if el.text == "Year")
    year.click()
    dash_duo.wait_for_contains_text(
        caption, "Customers ordering per quarter (year would give only 2 points)", timeout=WAIT
    )
    assert dash_duo.get_logs() == []
