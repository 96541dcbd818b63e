"""Overview in headless Chromium on the tiny data set (figures worked out in tests/tiny.py)."""

from selenium.webdriver.common.action_chains import ActionChains
from sqlalchemy import insert, update

from dashapp.store.models import Customer, Order, Product
from tests.browser.overview_page import WAIT, click_bar, click_chip, revenue_is


def test_ov001_filter_by_category_and_remove_the_chip(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    # All time: 250 + 135 + 99.99 + 100 + 100 (the cancelled O3 does not count).
    revenue_is(dash_duo, "$684.99")
    dash_duo.wait_for_text_to_equal("#kpi-orders", "5")
    dash_duo.select_dcc_dropdown("#filter-category", value="Motorcycles")
    # Motorcycles lines: O1 L2 50.00 + O2 135.00 + O5 100.00.
    revenue_is(dash_duo, "$285.00")
    dash_duo.wait_for_contains_text("#filter-chips", "Category: Motorcycles")
    assert "category=Motorcycles" in dash_duo.driver.current_url
    click_chip(dash_duo, "Motorcycles")
    revenue_is(dash_duo, "$684.99")
    dash_duo.wait_for_contains_text("#filter-chips", "No filters")
    assert dash_duo.get_logs() == []


def test_ov002_click_a_country_bar_cross_filters_the_page(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    revenue_is(dash_duo, "$684.99")
    dash_duo.wait_for_contains_text("#country-caption", "2 countries")
    # Bars are drawn bottom-up: USA (235.00) at the bottom, France (449.99) on top.
    click_bar(dash_duo, "country-bar", 1)
    # France: O1 250.00 + O4 99.99 + O6 100.00.
    revenue_is(dash_duo, "$449.99")
    dash_duo.wait_for_contains_text("#filter-chips", "Country: France")
    dash_duo.wait_for_contains_text("#country-caption", "1 country ·")
    dash_duo.wait_for_text_to_equal("#kpi-customers", "1")
    click_chip(dash_duo, "France")
    revenue_is(dash_duo, "$684.99")
    assert dash_duo.get_logs() == []


def test_ov003_deep_link_restores_the_view_after_reload(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    dash_duo.driver.get(
        dash_duo.server_url + "/?start=2024-01-01&end=2024-01-31&country=USA&granularity=week"
    )
    # January, USA: O2 135.00 (O3 is cancelled): 1 of 2 orders cancelled.
    revenue_is(dash_duo, "$135.00")
    dash_duo.wait_for_text_to_equal("#kpi-cancellation", "50.0%")
    dash_duo.wait_for_contains_text("#filter-chips", "Country: USA")
    dash_duo.wait_for_contains_text("#revenue-trend-caption", "Revenue per week")
    dash_duo.driver.refresh()
    revenue_is(dash_duo, "$135.00")
    dash_duo.wait_for_contains_text("#revenue-trend-caption", "1 Jan 2024 – 31 Jan 2024")
    dash_duo.wait_for_contains_text("#filter-chips", "Country: USA")
    assert dash_duo.get_logs() == []


def test_ov004_top_customers_click_and_rank_by_units(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    revenue_is(dash_duo, "$684.99")
    # Top customers, bottom-up: Bolt (235.00), then Acme (449.99).
    click_bar(dash_duo, "top-customers", 0)
    revenue_is(dash_duo, "$235.00")
    dash_duo.wait_for_contains_text("#filter-chips", "Customer: Bolt")
    dash_duo.wait_for_contains_text("#top-caption", "Top 10 by revenue")
    units = next(el for el in dash_duo.find_elements("#top-by label") if el.text == "Units")
    units.click()
    dash_duo.wait_for_contains_text("#top-caption", "Top 10 by units")
    assert dash_duo.get_logs() == []


def test_ov005_empty_range_says_what_to_do(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    dash_duo.driver.get(dash_duo.server_url + "/?start=2030-01-01&end=2030-01-31")
    dash_duo.wait_for_contains_text("#kpi-row", "No orders in this range", timeout=WAIT)
    dash_duo.wait_for_contains_text("#revenue-trend", "widen the dates or import data")
    assert dash_duo.get_logs() == []


LINK = '<a href="https://evil.example">Click me</a>'
LINKS_TO_EVIL = """
return Array.from(document.querySelectorAll(arguments[0] + ' a')).filter(a =>
    ((a.getAttribute('href') || '') + (a.getAttributeNS('http://www.w3.org/1999/xlink', 'href')
     || '')).includes('evil.example')).length;
"""


def test_ov006_markup_in_a_customer_name_is_text_not_a_link(dash_duo, tiny_app):
    # Issue 15: Plotly renders <a href> in tick labels; a customer's name must stay text.
    with tiny_app.engine.begin() as conn:
        conn.execute(update(Customer).where(Customer.id == 2).values(name=LINK))
    dash_duo.start_server(tiny_app)
    revenue_is(dash_duo, "$684.99")
    graph = 'div[id*="top-customers"]'
    dash_duo.wait_for_contains_text(graph, LINK, timeout=WAIT)
    assert dash_duo.driver.execute_script(LINKS_TO_EVIL, graph) == 0
    # Bottom-up: the renamed Bolt (235.00) first; the click still filters on that customer.
    click_bar(dash_duo, "top-customers", 0)
    revenue_is(dash_duo, "$235.00")
    dash_duo.wait_for_contains_text("#filter-chips", f"Customer: {LINK}")
    assert dash_duo.driver.execute_script(LINKS_TO_EVIL, graph) == 0
    assert dash_duo.get_logs() == []


def test_ov007_a_channel_link_shows_a_chip_that_survives_controls(dash_duo, tiny_app):
    # tests/tiny.py gives no order a channel; O1 and O5 came in on the web.
    with tiny_app.engine.begin() as conn:
        conn.execute(update(Order).where(Order.id.in_([1, 5])).values(channel="Web"))
    dash_duo.start_server(tiny_app)
    dash_duo.driver.get(dash_duo.server_url + "/?channel=Web")
    # Web: O1 250.00 + O5 100.00.
    revenue_is(dash_duo, "$350.00")
    dash_duo.wait_for_contains_text("#filter-chips", "Channel: Web", timeout=WAIT)
    # The header has no channel control: changing another control keeps the channel.
    dash_duo.select_dcc_dropdown("#filter-category", value="Motorcycles")
    # Web and Motorcycles: O1 L2 50.00 + O5 100.00.
    revenue_is(dash_duo, "$150.00")
    dash_duo.wait_for_contains_text("#filter-chips", "Channel: Web")
    assert "channel=Web" in dash_duo.driver.current_url
    click_chip(dash_duo, "Motorcycles")
    revenue_is(dash_duo, "$350.00")
    click_chip(dash_duo, "Channel: Web")
    # All time: 250 + 135 + 99.99 + 100 + 100 (the cancelled O3 does not count).
    revenue_is(dash_duo, "$684.99")
    dash_duo.wait_for_contains_text("#filter-chips", "No filters")
    assert "channel" not in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


FIGURE = "return document.querySelector(arguments[0] + ' .js-plotly-plot').data;"


def test_ov008_partial_months_gaps_labels_colours_and_cancelled_orders(dash_duo, tiny_app):
    # Issue 18. A category added later ("Aardvarks", product 3, no orders) sorts first by name:
    # it must not move the colours of the categories already there.
    with tiny_app.engine.begin() as conn:
        conn.execute(
            insert(Product).values(
                id=3, sku="AAR", name="Aardvark", category="Aardvarks", list_price_cents=100
            )
        )
    dash_duo.start_server(tiny_app)
    revenue_is(dash_duo, "$684.99")
    # What the cards count: 6 orders stored, 5 counted; Acme and Bolt both first ordered in
    # the range (all time), so nobody had ordered before it.
    dash_duo.wait_for_text_to_equal("#kpi-orders-hint", "excl. 1 cancelled order", timeout=WAIT)
    dash_duo.wait_for_text_to_equal(
        "#kpi-customers-secondary", "2 first-time · 0 had ordered before"
    )
    dash_duo.wait_for_text_to_equal("#kpi-cancellation-hint", "1 of 6 orders")
    # 12 Jan 2023 - 5 Feb 2024 by month: January 2023 and February 2024 are partial.
    dash_duo.wait_for_contains_text(
        "#revenue-trend-caption",
        "Revenue per month, dotted: the same days of the previous period, dashed: 2 incomplete "
        "months",
        timeout=WAIT,
    )
    traces = dash_duo.driver.execute_script(FIGURE, "#revenue-trend")
    line = next(t for t in traces if t["name"] == "Revenue")
    assert any(t["name"] == "Incomplete period" for t in traces)
    # Feb - Nov 2023 have no orders: ten zeros between 100.00 (Jan 2023) and 100.00 (Dec).
    values = [v for v in line["y"] if v is not None]
    assert values == [100.0] + [0.0] * 10 + [100.0, 385.0, 99.99]
    # Hovering the last point says it is a month to date, against the same days of January.
    point = dash_duo.find_elements("#revenue-trend .scatterlayer .trace:last-child .points path")
    ActionChains(dash_duo.driver).move_to_element(point[-1]).perform()
    dash_duo.wait_for_contains_text(
        "#revenue-trend .hoverlayer", "month to date (1–5 Feb, 5 of 29 days)", timeout=WAIT
    )
    dash_duo.wait_for_contains_text(
        "#revenue-trend .hoverlayer", "same days of the previous month (1–5 Jan 2024): $0.00"
    )
    # Over 371 days the calendar's cells are months, and its caption says so.
    dash_duo.wait_for_contains_text("#calendar-caption", "Revenue per month (month × year)")
    donut = dash_duo.driver.execute_script(FIGURE, 'div[id*="category-donut"]')[0]
    colours = dict(zip(donut["customdata"], donut["marker"]["colors"], strict=True))
    assert colours == {"Classic Cars": "#2563eb", "Motorcycles": "#f59e0b"}
    # Status = Cancelled: the cancelled order O3 (100.00, 1 unit, Cogs), not zeros and 100 %.
    dash_duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")
    more = dash_duo.find_elements("#filters-more")  # status may be folded under "More filters"
    if more and not dash_duo.find_element("#filter-status").is_displayed():
        more[0].click()
    dash_duo.select_dcc_dropdown("#filter-status", value="Cancelled")
    revenue_is(dash_duo, "$100.00")
    dash_duo.wait_for_contains_text("#kpi-row", "CANCELLED VALUE")
    dash_duo.wait_for_text_to_equal("#kpi-orders", "1")
    dash_duo.wait_for_text_to_equal("#kpi-units", "1")
    # 1 cancelled of the 6 orders of any status: 16.7 %.
    dash_duo.wait_for_text_to_equal("#kpi-cancellation", "16.7%")
    # The trend draws the cancelled orders' value; the charts that split revenue say why not.
    dash_duo.wait_for_contains_text("#revenue-trend-caption", "Value of the cancelled orders per")
    dash_duo.wait_for_contains_text('div[id*="category-donut"]', "Cancelled orders bring no")
    assert dash_duo.get_logs() == []
