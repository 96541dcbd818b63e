"""Forecast & inventory in headless Chromium on tests/browser/forecast_data.py."""

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.grid_page import columns_fit

FORECAST_POINTS = (
    "const g = document.querySelector('#fc-body .js-plotly-plot');"
    "const t = g && g.data.find(d => d.name === 'Forecast');"
    "return t ? t.x.length : null;"
)


def open_forecast(dash_duo, app) -> None:
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/forecast")


def forecast_points_are(dash_duo, n: int) -> None:
    WebDriverWait(dash_duo.driver, 30).until(
        lambda d: d.execute_script(FORECAST_POINTS) == n, f"forecast of {n} days"
    )


def click_option(dash_duo, group: str, label: str) -> None:
    """Click a button-style radio option by its label."""
    option = next(el for el in dash_duo.find_elements(f"#{group} label") if el.text == label)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", option
    )
    option.click()


def pick(dash_duo, dropdown: str, text: str) -> None:
    """Open a dcc.Dropdown and click an option once its options have loaded, until the
    dropdown shows it: on a busy machine the dropdown can be re-rendered under the click."""

    def option(driver):
        found = driver.find_elements(
            By.CSS_SELECTOR, ".dash-dropdown-options .dash-dropdown-option"
        )
        return next((o for o in found if o.text == text), False)

    def shown(driver) -> bool:
        try:
            return text in driver.find_element(By.CSS_SELECTOR, dropdown).text
        except StaleElementReferenceException:
            return False

    for attempt in range(3):
        try:
            dash_duo.find_element(dropdown).click()
            WebDriverWait(dash_duo.driver, 30).until(option, f"option {text!r}").click()
            WebDriverWait(dash_duo.driver, 10).until(shown, f"{dropdown} showing {text!r}")
            return
        except (StaleElementReferenceException, TimeoutException):
            if attempt == 2:
                raise


def test_fc001_horizon_and_model_update_chart_and_metrics(dash_duo, sales_app):
    open_forecast(dash_duo, sales_app)
    dash_duo.wait_for_contains_text("#fc-backtest", "chosen by auto", timeout=60)
    dash_duo.wait_for_contains_text("#fc-caption", "a 30-day forecast", timeout=30)
    forecast_points_are(dash_duo, 30)
    # 120 days of history: the holdout is min(4, (120 // 5) // 7 = 3) weeks = 21 days.
    dash_duo.wait_for_contains_text("#fc-backtest", "21 days, 8 Jun 2024 – 28 Jun 2024", timeout=30)

    horizon = dash_duo.find_element("#fc-horizon")
    horizon.send_keys(Keys.CONTROL, "a")
    horizon.send_keys("60", Keys.ENTER)
    dash_duo.wait_for_contains_text("#fc-caption", "a 60-day forecast", timeout=60)
    forecast_points_are(dash_duo, 60)

    Select(dash_duo.find_element("#fc-model")).select_by_visible_text("SARIMAX")
    dash_duo.wait_for_contains_text("#fc-caption", "· SARIMAX ·", timeout=60)
    dash_duo.wait_for_contains_text("#fc-backtest", "Model used\nSARIMAX", timeout=30)
    assert "chosen by auto" not in dash_duo.find_element("#fc-backtest").text

    # BIKE sells 3m units every day (m = 2, 3 or 1 by weekday): the same week over and over,
    # so repeating the last week is exact: MAPE 0.0 %, MASE 0 / 0 scored as 0.00.
    Select(dash_duo.find_element("#fc-model")).select_by_visible_text("Seasonal naive")
    click_option(dash_duo, "fc-measure", "Units")
    click_option(dash_duo, "fc-scope", "Product")
    pick(dash_duo, "#fc-product", "Product BIKE (BIKE)")
    dash_duo.wait_for_contains_text("#fc-caption", "product: BIKE", timeout=60)
    dash_duo.wait_for_contains_text("#fc-caption", "Daily units")
    dash_duo.wait_for_contains_text("#fc-backtest", "MAPE\n0.0%")
    dash_duo.wait_for_contains_text("#fc-backtest", "MASE\n0.00")
    dash_duo.wait_for_contains_text("#fc-backtest", "It is the baseline")
    forecast_points_are(dash_duo, 60)
    assert dash_duo.get_logs() == []


def test_fc002_too_short_history_says_so_instead_of_a_chart(dash_duo, sales_app):
    open_forecast(dash_duo, sales_app)
    dash_duo.wait_for_contains_text("#fc-backtest", "Model used", timeout=60)
    click_option(dash_duo, "fc-scope", "Category")
    dash_duo.wait_for_contains_text("#fc-body", "Pick a category", timeout=30)
    pick(dash_duo, "#fc-category", "Boats")
    # Boats: NEW sells only over the last 14 days (OLD never sold).
    dash_duo.wait_for_contains_text(
        "#fc-body", "Not enough history to forecast: 14 day(s) of sales", timeout=60
    )
    assert dash_duo.find_elements("#fc-body .js-plotly-plot") == []
    assert dash_duo.find_element("#fc-backtest").text == ""
    # Out-of-range horizons are refused with a message, not a traceback.
    click_option(dash_duo, "fc-scope", "Whole business")
    horizon = dash_duo.find_element("#fc-horizon")
    horizon.send_keys(Keys.CONTROL, "a")
    horizon.send_keys("400", Keys.ENTER)
    dash_duo.wait_for_contains_text("#fc-body", "between 7 and 365 days", timeout=60)
    assert dash_duo.get_logs() == []


def test_fc003_reorder_table_flags_the_product_about_to_run_out(dash_duo, sales_app):
    dash_duo.driver.set_window_size(1366, 900)
    open_forecast(dash_duo, sales_app)
    low = '#reorder-grid .ag-row[row-id="LOW"]'
    # LOW: 6 in stock, 56 units in the last 28 days = 2.00 a day -> 3.0 days of cover.
    dash_duo.wait_for_text_to_equal(f'{low} .ag-cell[col-id="status"]', "URGENT", timeout=30)
    dash_duo.wait_for_text_to_equal(f'{low} .ag-cell[col-id="days_of_cover"]', "3.0")
    dash_duo.wait_for_text_to_equal(f'{low} .ag-cell[col-id="avg_daily_units"]', "2.00")
    status = dash_duo.find_element(f'{low} .ag-cell[col-id="status"]')
    assert "status-urgent" in status.get_attribute("class")
    dash_duo.wait_for_text_to_equal(
        '#reorder-grid .ag-row[row-id="OLD"] .ag-cell[col-id="status"]', "SLOW MOVER"
    )
    dash_duo.wait_for_contains_text("#reorder-caption", "5 active products")
    dash_duo.wait_for_contains_text("#reorder-caption", "1 urgent")
    # At 1366 px the whole row shows, Suggested order (the column one acts on) included.
    columns = ["sku", "name", "stock", "days_of_cover", "last_sale", "suggested_order_qty"]
    assert columns_fit(dash_duo, "reorder-grid", [*columns, "status"]) == {
        "outside": [],
        "scrolls": False,
    }
    header = '#reorder-grid .ag-header-cell[col-id="suggested_order_qty"]'
    assert dash_duo.find_element(header).text == "Suggested order"
    # Most pressing first: the first row on screen is LOW.
    first = dash_duo.find_element('#reorder-grid .ag-center-cols-container .ag-row[row-index="0"]')
    assert first.get_attribute("row-id") == "LOW"
    assert dash_duo.get_logs() == []


def test_fc004_an_interval_change_redraws_from_the_fitted_model(dash_duo, sales_app):
    """80 % -> 95 % -> 80 %: answered from the cached fit by a plain callback (issue 17)."""
    open_forecast(dash_duo, sales_app)
    dash_duo.wait_for_contains_text("#fc-caption", "with its 80 % interval", timeout=60)
    forecast_points_are(dash_duo, 30)
    click_option(dash_duo, "fc-level", "95 %")
    dash_duo.wait_for_contains_text("#fc-caption", "with its 95 % interval", timeout=30)
    forecast_points_are(dash_duo, 30)
    click_option(dash_duo, "fc-level", "80 %")
    dash_duo.wait_for_contains_text("#fc-caption", "with its 80 % interval", timeout=30)
    assert dash_duo.get_logs() == []
