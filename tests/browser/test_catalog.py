"""Products and Customers sections in headless Chromium on the tiny data set (tests/tiny.py:
CAR id 1 at 100.00 and BIKE id 2 at 50.00, 100 of each in stock, both ordered)."""

import csv
import io

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from dashapp.store.models import AuditLog, Customer, Product
from tests.browser.grid_page import cell, click, columns_fit, edit_cell, go_to, pick_in_cell
from tests.browser.overview_page import WAIT

PRODUCTS = "products-grid"
CUSTOMERS = "customers-grid"


def product(app, sku: str):
    with app.engine.connect() as conn:
        return conn.execute(select(Product).where(Product.sku == sku)).one()._mapping


def audit_count(app) -> int:
    with app.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(AuditLog)).scalar_one()


def open_section(dash_duo, app, link: str, caption: str, grid: str | None = None) -> None:
    dash_duo.start_server(app)
    dash_duo.wait_for_element("#kpi-revenue", timeout=WAIT)
    go_to(dash_duo, link)
    dash_duo.wait_for_contains_text(f"#{grid or link.lower()}-caption", caption, timeout=WAIT)


def test_cat001_negative_price_is_refused_next_to_the_cell_and_put_back(dash_duo, tiny_app):
    open_section(dash_duo, tiny_app, "Products", "2 products")
    before = audit_count(tiny_app)
    edit_cell(dash_duo, PRODUCTS, "1", "list_price", "-5")
    dash_duo.wait_for_contains_text(
        "#products-message", "SKU CAR · list price: Price must be 0 or more", timeout=WAIT
    )
    dash_duo.wait_for_text_to_equal(
        f'#{PRODUCTS} .ag-row[row-id="1"] [col-id="list_price"]', "$100.00"
    )
    assert product(tiny_app, "CAR")["list_price_cents"] == 10000
    assert audit_count(tiny_app) == before
    assert dash_duo.get_logs() == []


def test_cat002_edit_stock_and_reorder_point(dash_duo, tiny_app):
    open_section(dash_duo, tiny_app, "Products", "2 products")
    before = audit_count(tiny_app)
    edit_cell(dash_duo, PRODUCTS, "2", "stock_on_hand", "40")
    dash_duo.wait_for_text_to_equal(
        f'#{PRODUCTS} .ag-row[row-id="2"] [col-id="stock_on_hand"]', "40", timeout=WAIT
    )
    edit_cell(dash_duo, PRODUCTS, "2", "reorder_point", "45")
    # At or below the reorder point: the stock cell is flagged.
    dash_duo.wait_for_element(f'#{PRODUCTS} .ag-row[row-id="2"] [col-id="stock_on_hand"].low-stock')
    # The cell is flagged in the browser at once; the save lands on the server a moment later.
    WebDriverWait(dash_duo.driver, 10).until(lambda _: audit_count(tiny_app) == before + 2)
    row = product(tiny_app, "BIKE")
    assert (row["stock_on_hand"], row["reorder_point"]) == (40, 45)
    assert dash_duo.get_logs() == []


def test_cat003_deactivate_an_ordered_product(dash_duo, tiny_app):
    open_section(dash_duo, tiny_app, "Products", "2 products")
    click(dash_duo, f'#{PRODUCTS} .ag-row[row-id="1"] [col-id="name"]')
    click(dash_duo, "#products-deactivate")
    dash_duo.wait_for_contains_text(
        "#products-message", "SKU CAR deactivated (it has orders", timeout=WAIT
    )
    assert product(tiny_app, "CAR")["active"] is False
    assert dash_duo.get_logs() == []


def test_cat004_add_customers_html_is_plain_text_and_email_unique(dash_duo, tiny_app):
    open_section(dash_duo, tiny_app, "Customer list", "3 customers", "customers")
    name = "<img src=x onerror=alert(1)>'; DROP TABLE customers;--"
    dash_duo.find_element('[id*="\\"field\\":\\"name\\""][id*="customers"]').send_keys(name)
    dash_duo.find_element('[id*="\\"field\\":\\"email\\""][id*="customers"]').send_keys("a@b.co")
    dash_duo.find_element('[id*="\\"field\\":\\"country\\""][id*="customers"]').send_keys("france")
    click(dash_duo, "#customers-add")
    dash_duo.wait_for_contains_text("#customers-message", "Added Customer #4", timeout=WAIT)
    dash_duo.wait_for_text_to_equal(
        f'#{CUSTOMERS} .ag-row[row-id="4"] [col-id="name"]', name, timeout=WAIT
    )
    assert dash_duo.find_elements(f"#{CUSTOMERS} img") == []
    assert cell(dash_duo, CUSTOMERS, "4", "country").text == "France"
    # The same email again: refused next to the field, nothing added.
    dash_duo.find_element('[id*="\\"field\\":\\"name\\""][id*="customers"]').send_keys("Other")
    dash_duo.find_element('[id*="\\"field\\":\\"email\\""][id*="customers"]').send_keys("A@B.co")
    dash_duo.find_element('[id*="\\"field\\":\\"country\\""][id*="customers"]').send_keys("Spain")
    click(dash_duo, "#customers-add")
    dash_duo.wait_for_contains_text(
        '[id*="add-field-error"][id*="\\"email\\""]', "already the email of", timeout=WAIT
    )
    with tiny_app.engine.connect() as conn:
        names = conn.execute(select(Customer.name).order_by(Customer.id)).scalars().all()
    assert names == ["Acme", "Bolt", "Cogs", name]
    assert dash_duo.get_logs() == []


def test_cat005_products_export_matches_the_catalog(dash_duo, tiny_app):
    open_section(dash_duo, tiny_app, "Products", "2 products")
    href = dash_duo.find_element("#products-export").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in dash_duo.driver.get_cookies()}
    response = requests.get(href, cookies=cookies, timeout=10)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert [r[:2] + [r[4], r[7]] for r in rows[1:]] == [
        ["BIKE", "Bike B", "50.00", "100"],
        ["CAR", "Car A", "100.00", "100"],
    ]
    assert dash_duo.get_logs() == []


def test_cat006_products_fit_a_laptop_and_edits_confirm_and_pick_categories(dash_duo, tiny_app):
    """Issue 18: at 1366 px every column through Active shows; flags are checkboxes; a saved
    edit says what changed; low stock is red; a new category is a choice confirmed in a
    dialog that warns of a near-typo; the audit log then reads as the fields changed."""
    dash_duo.driver.set_window_size(1366, 900)
    open_section(dash_duo, tiny_app, "Products", "2 products")
    columns = ["sku", "name", "category", "list_price", "stock_on_hand", "reorder_point"]
    fit = columns_fit(dash_duo, PRODUCTS, [*columns, "allow_backorder", "active"])
    assert fit == {"outside": [], "scrolls": False}
    assert (
        cell(dash_duo, PRODUCTS, "1", "active")
        .find_element(By.CSS_SELECTOR, "input[type=checkbox]")
        .is_selected()
    )

    edit_cell(dash_duo, PRODUCTS, "1", "list_price", "13.5")
    dash_duo.wait_for_contains_text(
        "#products-message", "Saved: SKU CAR, price 100.00 → 13.50", timeout=WAIT
    )
    # Stock 100 at a reorder point of 100: flagged, and the flag is red (Bootstrap's danger).
    edit_cell(dash_duo, PRODUCTS, "2", "reorder_point", "100")
    flagged = f'#{PRODUCTS} .ag-row[row-id="2"] [col-id="stock_on_hand"].low-stock'
    colour = (
        "const c = document.querySelector(arguments[0]); return c && getComputedStyle(c).color;"
    )
    WebDriverWait(dash_duo.driver, 10).until(
        lambda d: d.execute_script(colour, flagged) == "rgb(220, 53, 69)"
    )

    dash_duo.wait_for_contains_text(
        "#products-message", "Saved: SKU BIKE, reorder at 0 → 100", timeout=WAIT
    )
    pick_in_cell(dash_duo, PRODUCTS, "2", "category", "New category…")
    dash_duo.wait_for_text_to_equal("#category-modal-text", "New category for SKU BIKE")
    name = dash_duo.wait_for_element("#category-new-name")
    name.send_keys("Motorcycle")
    dash_duo.wait_for_contains_text("#category-new-hint", "Close to Motorcycles", timeout=WAIT)
    name.send_keys(Keys.CONTROL, "a")
    name.send_keys("Trucks")
    dash_duo.wait_for_text_to_equal("#category-new-hint", "Trucks will be added.", timeout=WAIT)
    click(dash_duo, "#category-confirm")
    dash_duo.wait_for_contains_text(
        "#products-message",
        "Saved: SKU BIKE, category Motorcycles → Trucks (new category)",
        timeout=WAIT,
    )
    dash_duo.wait_for_text_to_equal(
        f'#{PRODUCTS} .ag-row[row-id="2"] [col-id="category"]', "Trucks", timeout=WAIT
    )
    assert product(tiny_app, "BIKE")["category"] == "Trucks"
    assert product(tiny_app, "CAR")["list_price_cents"] == 1350

    go_to(dash_duo, "Admin")
    tab = dash_duo.wait_for_element(".admin-tabs")
    next(
        a for a in tab.find_elements(By.CSS_SELECTOR, ".nav-link") if a.text == "Audit log"
    ).click()
    dash_duo.wait_for_contains_text("#audit-grid", "price: 100.00 → 13.50", timeout=WAIT)
    dash_duo.wait_for_contains_text("#audit-grid", "category: Motorcycles → Trucks")
    price_row = next(
        c
        for c in dash_duo.find_elements('#audit-grid .ag-cell[col-id="changes"]')
        if c.text == "price: 100.00 → 13.50"
    )
    price_row.click()
    dash_duo.wait_for_contains_text("#audit-details", "Raw before / after (JSON)")
    assert dash_duo.get_logs() == []
