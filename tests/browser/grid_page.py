"""What a user does with the order form, dropdown pickers and AG Grid cells, for dash_duo tests."""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def jump_to(dash_duo, element) -> None:
    """Bootstrap scrolls smoothly; jump so the click lands where the element is."""
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )


def go_to(dash_duo, link_text: str) -> None:
    """Follow a sidebar link, as a user switching sections."""
    dash_duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")
    link = next(a for a in dash_duo.find_elements(".section-nav a") if a.text == link_text)
    link.click()


def pick(dash_duo, selector: str, typed: str, option_text: str) -> None:
    """Type part of a name into a searchable dropdown and click the option that contains it.
    Tried again from the start when the page re-renders the dropdown under the typing (a
    stale element, on a busy machine)."""

    def option(driver):
        for el in driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"):
            if option_text in el.text:
                return el
        return False

    for attempt in range(3):
        try:
            dropdown = dash_duo.wait_for_element(selector)
            jump_to(dash_duo, dropdown)
            dropdown.click()
            search = dash_duo.wait_for_element(
                ".dash-dropdown-search input, input.dash-dropdown-search"
            )
            search.send_keys(typed)
            WebDriverWait(dash_duo.driver, 10).until(option).click()
            return
        except StaleElementReferenceException:
            if attempt == 2:
                raise
            ActionChains(dash_duo.driver).send_keys(Keys.ESCAPE).perform()


def cell(dash_duo, grid: str, row_id: str, col_id: str):
    return dash_duo.wait_for_element(
        f'#{grid} .ag-center-cols-container .ag-row[row-id="{row_id}"] .ag-cell[col-id="{col_id}"]'
    )


def edit_cell(dash_duo, grid: str, row_id: str, col_id: str, text: str) -> None:
    """Double-click a cell, replace what is there with `text`, press Enter."""
    target = cell(dash_duo, grid, row_id, col_id)
    jump_to(dash_duo, target)
    ActionChains(dash_duo.driver).double_click(target).perform()
    editor = dash_duo.wait_for_element(f"#{grid} .ag-cell-inline-editing input")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.BACKSPACE)
    editor.send_keys(text)
    editor.send_keys(Keys.ENTER)


def click(dash_duo, selector: str) -> None:
    element = dash_duo.wait_for_element(selector)
    jump_to(dash_duo, element)
    element.click()
