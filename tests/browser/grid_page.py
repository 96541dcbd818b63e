"""What a user does with the order form, dropdown pickers and AG Grid cells, for dash_duo tests."""

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def jump_to(dash_duo, element) -> None:
    """Bootstrap scrolls smoothly; jump so the click lands where the element is."""
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )


def click_when_clear(dash_duo, find, timeout: float = 10) -> None:
    """Scroll the element `find()` returns to the middle and click it, tried again until
    nothing lies over it (a panel or grid above it still growing)."""

    def clicked(_driver) -> bool:
        element = find()
        jump_to(dash_duo, element)
        try:
            element.click()
        except ElementClickInterceptedException:
            return False
        return True

    WebDriverWait(dash_duo.driver, timeout).until(clicked)


def downloads_into(dash_duo, folder):
    """Let the browser save downloads into `folder` (a Path, made here) without asking;
    returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    dash_duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    return folder


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
    """A cell, in the scrolling part of the grid or in a pinned column."""
    return dash_duo.wait_for_element(
        f'#{grid} .ag-row[row-id="{row_id}"] .ag-cell[col-id="{col_id}"]'
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


def pick_in_cell(dash_duo, grid: str, row_id: str, col_id: str, option_text: str) -> None:
    """Double-click a pick-list cell and click one of its choices, as a user would; tried
    again when the grid re-renders its rows under the click (a save elsewhere landing)."""

    def option(driver):
        items = driver.find_elements(By.CSS_SELECTOR, ".ag-select-list .ag-select-list-item")
        return next((i for i in items if i.text == option_text), False)

    for attempt in range(3):
        try:
            target = cell(dash_duo, grid, row_id, col_id)
            jump_to(dash_duo, target)
            ActionChains(dash_duo.driver).double_click(target).perform()
            # The editor is a closed pick list in the cell: a click opens it.
            dash_duo.wait_for_element(
                f"#{grid} .ag-cell-inline-editing .ag-picker-field-wrapper"
            ).click()
            WebDriverWait(dash_duo.driver, 10).until(option).click()
            return
        except StaleElementReferenceException:
            if attempt == 2:
                raise


# How far the grid's columns reach: every named column inside the grid, and no scrollbar.
COLUMNS_FIT = """
const grid = document.querySelector(arguments[0]).getBoundingClientRect();
const viewport = document.querySelector(arguments[0] + ' .ag-center-cols-viewport');
const outside = arguments[1].filter(id => {
    const h = document.querySelector(`${arguments[0]} .ag-header-cell[col-id="${id}"]`);
    if (!h) return true;
    const r = h.getBoundingClientRect();
    return r.width === 0 || r.left < grid.left || r.right > grid.right + 1;
});
return {outside: outside, scrolls: viewport.scrollWidth > viewport.clientWidth};
"""


def columns_fit(dash_duo, grid: str, col_ids: list[str]) -> dict:
    """Which of `col_ids` show whole inside the grid, and whether it scrolls sideways."""
    return dash_duo.driver.execute_script(COLUMNS_FIT, f"#{grid}", col_ids)
