"""Admin section in the browser: roles see the right sections, a CSV import with a corrected
mapping, backup then restore from the list, and changing one's own password."""

from __future__ import annotations

import threading

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import delete, func, select

from dashapp.store.models import Order, OrderLine
from dashapp.ui.admin import backup as backup_page
from tests.browser.grid_page import click_when_clear, downloads_into
from tests.sites import sign_in_page, tiny_site

# "Ref" is no known name for the order id, so the mapping must be corrected by hand.
# Line 4 has a bad date and is rejected; lines 2 and 3 are two new orders.
CSV = (
    "Ref,Date,Client,SKU,Category,Quantity,Price,Country,Status\n"
    "N100,2024-03-01,Delta,CAR,Classic Cars,1,100.00,France,Shipped\n"
    "N101,2024-03-02,Delta,BIKE,Motorcycles,2,50.00,France,Shipped\n"
    "N102,not a date,Delta,BIKE,Motorcycles,2,50.00,France,Shipped\n"
)


@pytest.fixture
def admin_app(tmp_path, new_engine, monkeypatch):
    for var, sub in [
        ("SALES_PULSE_BACKUP_DIR", "backups"),
        ("SALES_PULSE_UPLOAD_DIR", "uploads"),
        ("SALES_PULSE_CACHE_DIR", "cache"),
    ]:
        monkeypatch.setenv(var, str(tmp_path / sub))
    users = [("ada", "admin"), ("max", "manager"), ("vera", "viewer")]
    return tiny_site(new_engine("admin"), users=[(n, r, "mild tangerine") for n, r in users])


def start(dash_duo, app) -> None:
    # Not signed in, the page redirects to /login, so do not wait for the Dash page here.
    dash_duo.start_server(app, navigate=False)


def sign_in(dash_duo, name: str, password: str | None = None) -> None:
    # GET /logout only asks (a signed-out visitor goes straight to /login); its button signs out.
    dash_duo.driver.get(dash_duo.server.url + "/logout")
    for confirm in dash_duo.driver.find_elements(By.ID, "logout-confirm"):
        confirm.click()
    dash_duo.wait_for_element("#login-form")
    sign_in_page(dash_duo, name, password or "mild tangerine")


def open_admin(dash_duo) -> None:
    dash_duo.driver.get(dash_duo.server.url + "/admin")
    dash_duo.wait_for_element(".admin-tabs")


def nav_labels(dash_duo) -> list[str]:
    return [a.text for a in dash_duo.find_elements(".section-nav .nav-link")]


def tab_labels(dash_duo) -> list[str]:
    return [a.text for a in dash_duo.find_elements(".admin-tabs .nav-link")]


def click(dash_duo, selector: str) -> None:
    """Scroll the element to the middle and click it, once the layout has settled under it."""
    click_when_clear(dash_duo, lambda: dash_duo.find_element(selector))


def click_tab(dash_duo, label: str) -> None:
    for link in dash_duo.find_elements(".admin-tabs .nav-link"):
        if link.text == label:
            link.click()
            return
    raise AssertionError(f"no tab {label}")


def orders(app) -> int:
    with app.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Order)).scalar_one()


def test_adm001_each_role_sees_its_sections(dash_duo, admin_app):
    start(dash_duo, admin_app)
    sign_in(dash_duo, "vera")
    dash_duo.wait_for_text_to_equal(".section-nav .nav-link", "Overview")
    assert "Admin" not in nav_labels(dash_duo)
    dash_duo.driver.get(dash_duo.server.url + "/admin")
    dash_duo.wait_for_contains_text("#page-content", "Your role (viewer) cannot open Admin")

    sign_in(dash_duo, "max")
    assert "Admin" in nav_labels(dash_duo)
    open_admin(dash_duo)
    assert tab_labels(dash_duo) == ["Import"]

    sign_in(dash_duo, "ada")
    open_admin(dash_duo)
    assert tab_labels(dash_duo) == ["Import", "Backup & restore", "Users", "Audit log"]
    assert dash_duo.get_logs() == []


def test_adm002_import_with_a_corrected_mapping(dash_duo, admin_app, tmp_path):
    path = tmp_path / "new-orders.csv"
    path.write_text(CSV)
    start(dash_duo, admin_app)
    sign_in(dash_duo, "max")
    open_admin(dash_duo)
    dash_duo.find_element("#import-upload input[type=file]").send_keys(str(path))
    dash_duo.wait_for_contains_text("#import-file-0 .import-file-name", "new-orders.csv")
    # Not recognised yet: no column for the order id.
    status = '[id=\'{"file":0,"type":"import-status"}\']'
    dash_duo.wait_for_contains_text(status, "order_id")
    order_id = '[id=\'{"field":"order_id","file":0,"type":"import-map"}\']'
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})",
        dash_duo.find_element(order_id),
    )
    dash_duo.select_dcc_dropdown(order_id, "Ref")
    dash_duo.wait_for_contains_text(status, "order_id ← Ref")

    click(dash_duo, "#import-dry-run")
    dash_duo.wait_for_text_to_equal("#import-outcome", "Dry run: nothing was written", timeout=30)
    dash_duo.wait_for_text_to_equal("#import-total-added .stat", "2")  # would be added
    dash_duo.wait_for_text_to_equal("#import-total-rejected .stat", "1")
    dash_duo.wait_for_contains_text("#import-rejects-0", "4")  # line 4: the bad date
    assert orders(admin_app) == 6  # tiny.py's six, nothing written

    click(dash_duo, "#import-run")
    dash_duo.wait_for_text_to_equal("#import-outcome", "Import committed", timeout=30)
    dash_duo.wait_for_text_to_equal("#import-total-added .stat", "2")
    assert orders(admin_app) == 8  # 6 + N100 + N101
    assert dash_duo.get_logs() == []


def test_adm003_backup_then_restore_from_the_list(dash_duo, admin_app, monkeypatch):
    # Checking a large backup takes seconds: held here until the dialog has shown that it is
    # checking (issue 18: it used to open after 2.7 s with no sign of life).
    checked = threading.Event()
    verify = backup_page.verify_backup
    monkeypatch.setattr(
        backup_page, "verify_backup", lambda path: checked.wait(20) and verify(path)
    )
    start(dash_duo, admin_app)
    sign_in(dash_duo, "ada")
    open_admin(dash_duo)
    click_tab(dash_duo, "Backup & restore")
    click(dash_duo, "#backup-now")
    dash_duo.wait_for_contains_text("#backup-alert", "Backup made")
    dash_duo.wait_for_contains_text("#backup-list", "backup-")

    with admin_app.engine.begin() as conn:  # change data behind the page's back
        conn.execute(delete(OrderLine).where(OrderLine.order_id == 6))
        conn.execute(delete(Order).where(Order.id == 6))
    assert orders(admin_app) == 5

    restore_button = dash_duo.driver.find_element(
        By.CSS_SELECTOR, "#backup-list button.btn-outline-danger"
    )
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", restore_button
    )
    restore_button.click()
    dash_duo.wait_for_contains_text("#restore-checking", "Checking backup-")
    assert not dash_duo.find_element("#restore-confirm").is_enabled()
    checked.set()
    dash_duo.wait_for_contains_text("#restore-modal-body", "It holds 6 orders")
    assert dash_duo.find_elements("#restore-checking") == []  # the check's answer replaced it
    assert dash_duo.find_element("#restore-confirm").is_enabled()
    click(dash_duo, "#restore-confirm")
    dash_duo.wait_for_contains_text("#backup-alert", "Restored backup-", timeout=30)
    assert orders(admin_app) == 6
    dash_duo.wait_for_contains_text("#backup-list", "auto-before-restore-")
    assert dash_duo.get_logs() == []


def test_adm004_viewer_changes_own_password(dash_duo, admin_app):
    start(dash_duo, admin_app)
    sign_in(dash_duo, "vera")
    click(dash_duo, "#account-open")
    dash_duo.wait_for_element("#account-old-password").send_keys("mild tangerine")
    dash_duo.find_element("#account-new-password").send_keys("a new secret")
    dash_duo.find_element("#account-repeat-password").send_keys("a new secret")
    click(dash_duo, "#account-save")
    dash_duo.wait_for_text_to_equal("#account-alert", "Your password was changed.")
    sign_in(dash_duo, "vera", "a new secret")
    assert dash_duo.get_logs() == []


def test_adm005_download_button_posts_and_the_backup_downloads(dash_duo, admin_app, tmp_path):
    """The button submits a small form (POST): the file downloads, the page stays, and the
    download is in the audit log."""
    from dashapp.store.models import AuditLog

    start(dash_duo, admin_app)
    downloads = downloads_into(dash_duo, tmp_path / "downloads")
    sign_in(dash_duo, "ada")
    open_admin(dash_duo)
    click_tab(dash_duo, "Backup & restore")
    click(dash_duo, "#backup-download")
    done = WebDriverWait(dash_duo.driver, 30).until(
        lambda _d: [p for p in downloads.glob("backup-*") if not p.name.endswith(".crdownload")]
    )
    assert done[0].read_bytes().startswith(b"SQLite format 3\x00")
    dash_duo.wait_for_element("#backup-download")  # still on the admin page
    with admin_app.engine.connect() as conn:
        entry = conn.execute(select(AuditLog).where(AuditLog.action == "download")).one()
    assert (entry.username, entry.entity, entry.entity_id) == ("ada", "backup", done[0].name)
    assert dash_duo.get_logs() == []
