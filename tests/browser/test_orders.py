"""Orders section in headless Chromium on the tiny data set (tests/tiny.py: every product starts
with 100 in stock; All time revenue is $684.99)."""

import csv
import io
from datetime import datetime

import requests
from sqlalchemy import func, select, update

from dashapp.store.models import AuditLog, Order, Product
from tests.browser.grid_page import cell, click, columns_fit, edit_cell, go_to, pick
from tests.browser.overview_page import WAIT, click_chip, revenue_is
from tests.databases import migrate

LINES = "order-lines"
HISTORY = "order-history"


def stock(app) -> dict[str, int]:
    with app.engine.connect() as conn:
        return dict(conn.execute(select(Product.sku, Product.stock_on_hand)).all())


def count(app, model) -> int:
    with app.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def open_orders(dash_duo, app) -> None:
    dash_duo.start_server(app)
    revenue_is(dash_duo, "$684.99")
    go_to(dash_duo, "Orders")
    dash_duo.wait_for_contains_text("#order-history-caption", "6 orders", timeout=WAIT)


def add_product(dash_duo, typed: str, name: str) -> None:
    pick(dash_duo, "#order-add-product", typed, name)


def test_ord001_two_line_order_raises_revenue_by_its_total(dash_duo, tiny_app):
    open_orders(dash_duo, tiny_app)
    pick(dash_duo, "#order-customer", "bol", "Bolt")
    add_product(dash_duo, "car", "Car A")
    # Prefilled: one unit at the catalog price.
    dash_duo.wait_for_text_to_equal(
        f'#{LINES} .ag-row[row-id="1"] [col-id="unit_price"]', "$100.00"
    )
    edit_cell(dash_duo, LINES, "1", "quantity", "2")
    add_product(dash_duo, "bike", "Bike B")
    edit_cell(dash_duo, LINES, "2", "quantity", "3")
    edit_cell(dash_duo, LINES, "2", "discount_pct", "10")
    # 3 x 50.00 x 0.90 = 135.00 on line 2; total 2 x 100.00 + 135.00 = 335.00, before saving.
    dash_duo.wait_for_text_to_equal(f'#{LINES} .ag-row[row-id="2"] [col-id="amount"]', "$135.00")
    dash_duo.wait_for_text_to_equal("#order-total", "$335.00")
    click(dash_duo, "#order-save")
    dash_duo.wait_for_contains_text("#order-saved", "total $335.00", timeout=WAIT)
    dash_duo.wait_for_contains_text("#order-history-caption", "7 orders", timeout=WAIT)
    assert count(tiny_app, Order) == 7
    assert stock(tiny_app) == {"CAR": 98, "BIKE": 97}
    go_to(dash_duo, "Overview")
    # 684.99 + 335.00 (the date defaults to now; the Overview shows All time).
    revenue_is(dash_duo, "$1,019.99")
    assert dash_duo.get_logs() == []


def test_ord002_negative_quantity_and_unknown_product_save_nothing(dash_duo, tiny_app):
    open_orders(dash_duo, tiny_app)
    audit_before = count(tiny_app, AuditLog)
    pick(dash_duo, "#order-customer", "acm", "Acme")
    add_product(dash_duo, "car", "Car A")
    edit_cell(dash_duo, LINES, "1", "quantity", "-1")
    add_product(dash_duo, "bike", "Bike B")
    edit_cell(dash_duo, LINES, "2", "sku", "NOPE")
    # The typed SKU is checked at once, next to the line.
    dash_duo.wait_for_text_to_equal(
        f'#{LINES} .ag-row[row-id="2"] [col-id="error"]', "Unknown product 'NOPE'"
    )
    click(dash_duo, "#order-save")
    dash_duo.wait_for_contains_text("#order-errors", "Nothing was saved", timeout=WAIT)
    dash_duo.wait_for_contains_text("#order-errors", "Line 1 · quantity: Quantity must be")
    dash_duo.wait_for_contains_text("#order-errors", "Line 2 · product: Unknown product 'NOPE'")
    dash_duo.wait_for_contains_text(
        f'#{LINES} .ag-row[row-id="1"] [col-id="error"]', "quantity: Quantity must be"
    )
    assert count(tiny_app, Order) == 6
    assert count(tiny_app, AuditLog) == audit_before
    assert stock(tiny_app) == {"CAR": 100, "BIKE": 100}
    assert dash_duo.get_logs() == []


def test_ord003_edit_a_quantity_and_stock_follows(dash_duo, tiny_app):
    open_orders(dash_duo, tiny_app)
    # O2: Bolt, 3 x BIKE at 50.00, 10 % off.
    click(dash_duo, f'#{HISTORY} .ag-row[row-id="2"] [col-id="number"]')
    click(dash_duo, "#order-history-edit")
    dash_duo.wait_for_text_to_equal("#order-form-title", "Editing order O2")
    dash_duo.wait_for_text_to_equal(f'#{LINES} .ag-row[row-id="1"] [col-id="quantity"]', "3")
    edit_cell(dash_duo, LINES, "1", "quantity", "5")
    # 5 x 50.00 x 0.90 = 225.00
    dash_duo.wait_for_text_to_equal("#order-total", "$225.00")
    click(dash_duo, "#order-save")
    dash_duo.wait_for_contains_text(
        "#order-saved", "Updated order O2 · total $225.00", timeout=WAIT
    )
    # Two more units leave stock: 100 - (5 - 3).
    assert stock(tiny_app) == {"CAR": 100, "BIKE": 98}
    dash_duo.wait_for_text_to_equal(f'#{HISTORY} .ag-row[row-id="2"] [col-id="units"]', "5")
    assert count(tiny_app, Order) == 6
    assert dash_duo.get_logs() == []


def test_ord004_cancel_an_order_restores_revenue_and_stock(dash_duo, tiny_app):
    open_orders(dash_duo, tiny_app)
    pick(dash_duo, "#order-customer", "acm", "Acme")
    add_product(dash_duo, "car", "Car A")
    edit_cell(dash_duo, LINES, "1", "quantity", "2")
    dash_duo.wait_for_text_to_equal("#order-total", "$200.00")
    click(dash_duo, "#order-save")
    dash_duo.wait_for_contains_text("#order-saved", "total $200.00", timeout=WAIT)
    assert stock(tiny_app)["CAR"] == 98
    go_to(dash_duo, "Overview")
    revenue_is(dash_duo, "$884.99")  # 684.99 + 200.00
    go_to(dash_duo, "Orders")
    # The new order is dated now: first by date, id 7.
    click(dash_duo, f'#{HISTORY} .ag-row[row-id="7"] [col-id="number"]')
    click(dash_duo, "#order-history-cancel")
    dash_duo.wait_for_contains_text("#order-confirm-text", "Cancel order SO-000007")
    click(dash_duo, "#order-confirm-ok")
    dash_duo.wait_for_contains_text("#order-message", "Cancelled order SO-000007", timeout=WAIT)
    dash_duo.wait_for_text_to_equal(
        f'#{HISTORY} .ag-row[row-id="7"] [col-id="status"]', "Cancelled", timeout=WAIT
    )
    assert stock(tiny_app) == {"CAR": 100, "BIKE": 100}
    go_to(dash_duo, "Overview")
    revenue_is(dash_duo, "$684.99")
    assert dash_duo.get_logs() == []


def grid_rows(dash_duo) -> list[tuple[str, str]]:
    rows = dash_duo.find_elements(f"#{HISTORY} .ag-center-cols-container .ag-row")
    rows = sorted(rows, key=lambda r: int(r.get_attribute("row-index")))
    return [
        (
            r.find_element("css selector", '[col-id="number"]').text,
            # Total is pinned on the right: its cell sits in the pinned part of the row.
            cell(dash_duo, HISTORY, r.get_attribute("row-id"), "total").text,
        )
        for r in rows
    ]


def test_ord005_export_is_exactly_the_filtered_sorted_history(dash_duo, tiny_app):
    dash_duo.start_server(tiny_app)
    dash_duo.driver.get(dash_duo.server_url + "/orders?country=France")
    # France: O1 250.00, O4 99.99, O6 100.00.
    dash_duo.wait_for_contains_text("#order-history-caption", "3 orders", timeout=WAIT)
    click(dash_duo, f'#{HISTORY} .ag-header-cell[col-id="total"] .ag-header-cell-label')
    dash_duo.wait_for_text_to_equal(
        f'#{HISTORY} .ag-row[row-index="0"] [col-id="number"]', "O4", timeout=WAIT
    )
    shown = grid_rows(dash_duo)
    assert shown == [("O4", "$99.99"), ("O6", "$100.00"), ("O1", "$250.00")]
    href = dash_duo.find_element("#order-history-export").get_attribute("href")
    assert "country=France" in href and "sort=total%3Aasc" in href
    cookies = {c["name"]: c["value"] for c in dash_duo.driver.get_cookies()}
    response = requests.get(href, cookies=cookies, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][0] == "Order number"
    assert [(r[0], f"${r[-1]}") for r in rows[1:]] == shown
    assert dash_duo.get_logs() == []


def test_ord006_history_cell_shows_html_as_text(dash_duo, tiny_app):
    with tiny_app.engine.begin() as conn:
        from dashapp.store.models import Customer

        conn.execute(
            Customer.__table__.update()
            .where(Customer.__table__.c.id == 2)
            .values(name="<b>Bolt</b>'; DROP TABLE orders;--")
        )
    open_orders(dash_duo, tiny_app)
    target = cell(dash_duo, HISTORY, "2", "customer")
    assert target.text == "<b>Bolt</b>'; DROP TABLE orders;--"
    assert dash_duo.find_elements(f"#{HISTORY} b") == []
    assert dash_duo.get_logs() == []


def test_ord008_a_channel_link_is_named_in_the_caption_like_its_chip(dash_duo, tiny_app):
    with tiny_app.engine.begin() as conn:
        conn.execute(update(Order).where(Order.id == 2).values(channel="Web"))
    dash_duo.start_server(tiny_app)
    dash_duo.driver.get(dash_duo.server_url + "/orders?channel=Web")
    # Only O2 came in through the web; the chip and the caption both say why.
    dash_duo.wait_for_contains_text("#filter-chips", "Channel: Web", timeout=WAIT)
    dash_duo.wait_for_text_to_equal(
        "#order-history-caption", "1 order · all time · channel: Web · click a row to select it"
    )
    click_chip(dash_duo, "Channel: Web")
    dash_duo.wait_for_text_to_equal(
        "#order-history-caption", "6 orders · all time · click a row to select it", timeout=WAIT
    )
    assert dash_duo.get_logs() == []


def test_ord007_a_sales_user_sees_and_edits_only_its_own_orders(dash_duo, new_engine):
    """SPEC §6 as a sales associate meets it: the history lists only the orders they entered
    (one of the 7 stored), their order loads for editing, the whole-business Anomalies section
    is not offered, and the Forecast page says why the reorder table is not shown and calls its
    scope "Your orders", not "Whole business"."""
    from dashapp.auth import create_user
    from dashapp.factory import create_app
    from dashapp.orders import LineDraft, OrderDraft, create_order
    from tests.sites import sign_in_page
    from tests.tiny import seed_tiny

    engine = new_engine("sales")
    migrate(engine)
    seed_tiny(engine)
    sam, _ = create_user(engine, "sam", "sales", "quiet harbour lamp")
    # id 7, 1 x BIKE @50.00 for Bolt.
    create_order(engine, OrderDraft(2, [LineDraft("BIKE", 1)], "2024-03-02 09:00"), sam)
    app = create_app(engine, demo=False)
    dash_duo.start_server(app, navigate=False)
    sign_in_page(dash_duo, "sam", "quiet harbour lamp")
    revenue_is(dash_duo, "$50.00")
    labels = [a.text for a in dash_duo.find_elements(".section-nav .nav-link")]
    assert "Anomalies" not in labels and "Forecast & inventory" in labels
    go_to(dash_duo, "Orders")
    dash_duo.wait_for_contains_text("#order-history-caption", "1 order ·", timeout=WAIT)
    click(dash_duo, f'#{HISTORY} .ag-row[row-id="7"] [col-id="number"]')
    click(dash_duo, "#order-history-edit")
    dash_duo.wait_for_text_to_equal("#order-form-title", "Editing order SO-000007")
    dash_duo.wait_for_text_to_equal(f'#{LINES} .ag-row[row-id="1"] [col-id="quantity"]', "1")
    go_to(dash_duo, "Forecast & inventory")
    dash_duo.wait_for_contains_text("#reorder-caption-note", "whole business", timeout=WAIT)
    assert dash_duo.find_elements("#reorder-grid") == []
    # The forecast covers sam's own orders, and its scope and caption say so.
    scopes = [label.text for label in dash_duo.find_elements("#fc-scope label")]
    assert scopes == ["Your orders", "Category", "Product"]
    dash_duo.wait_for_contains_text("#fc-caption", "Daily revenue · your orders · ", timeout=WAIT)
    assert dash_duo.get_logs() == []
    engine.dispose()


def test_ord009_history_fits_a_laptop_and_the_picker_tells_customers_apart(dash_duo, tiny_app):
    """Issue 18: at 1366 px the whole history row shows, Total to the cent and the time of
    day; the customer picker shows the place and the email, or the number without one."""
    with tiny_app.engine.begin() as conn:
        conn.execute(
            update(Order).where(Order.id == 4).values(ordered_at=datetime(2024, 2, 5, 14, 35))
        )
    dash_duo.driver.set_window_size(1366, 900)
    open_orders(dash_duo, tiny_app)
    columns = ["number", "date", "customer", "country", "status", "lines", "units", "total"]
    assert columns_fit(dash_duo, HISTORY, columns) == {"outside": [], "scrolls": False}
    date = cell(dash_duo, HISTORY, "4", "date")
    dash_duo.wait_for_text_to_equal(
        f'#{HISTORY} .ag-row[row-id="4"] [col-id="date"]', "2024-02-05 14:35"
    )
    total = cell(dash_duo, HISTORY, "1", "total")
    assert total.text == "$250.00"  # O1: 200.00 + 50.00
    for shown in (date, total):  # nothing cut off ("$526.")
        assert dash_duo.driver.execute_script(
            "const v = arguments[0].querySelector('.ag-cell-value') || arguments[0];"
            "return v.scrollWidth <= v.clientWidth;",
            shown,
        )
    pick(dash_duo, "#order-customer", "bol", "Bolt · USA · #2")
    dash_duo.wait_for_contains_text("#order-customer", "Bolt · USA · #2")
    assert dash_duo.get_logs() == []
