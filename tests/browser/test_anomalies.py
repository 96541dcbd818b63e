"""Anomalies in headless Chromium on tests/browser/forecast_data.py (a drop on 2024-06-05)."""

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select

from dashapp.store.models import Alert, AuditLog
from tests.analytics.anomalies.late_orders import add_order
from tests.browser.forecast_data import CATALOG, DROP_DAY

ROW = '#an-grid .ag-center-cols-container .ag-row[row-id="{id}"]'


def open_anomalies(dash_duo, app) -> None:
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/anomalies")
    dash_duo.wait_for_contains_text("#an-caption", "0 alerts", timeout=30)


def click(dash_duo, selector: str) -> None:
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    element.click()


def stored_alerts(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(select(Alert.id, Alert.scope, Alert.key, Alert.status)).all()
    return {key: (alert_id, scope, status) for alert_id, scope, key, status in rows}


def test_an001_run_the_check_and_acknowledge_an_alert(dash_duo, sales_app):
    open_anomalies(dash_duo, sales_app)
    click(dash_duo, "#an-run")
    # France, CAR and Cars each lost three quarters on 5 June; the business only 42.3 %.
    dash_duo.wait_for_contains_text("#an-run-result", "3 new alerts", timeout=60)
    dash_duo.wait_for_contains_text("#an-caption", "3 alerts", timeout=30)
    alerts = stored_alerts(sales_app.engine)
    assert set(alerts) == {"France", "CAR", "Cars"}
    france_id = alerts["France"][0]
    france = ROW.format(id=france_id)
    dash_duo.wait_for_text_to_equal(f'{france} .ag-cell[col-id="day"]', "2024-06-05")
    # France on a weekday: 800.00 expected, 200.00 sold (3 x 2 CAR at 100.00 missing).
    dash_duo.wait_for_text_to_equal(f'{france} .ag-cell[col-id="baseline"]', "$800.00")
    dash_duo.wait_for_text_to_equal(f'{france} .ag-cell[col-id="actual"]', "$200.00")
    dash_duo.wait_for_text_to_equal(f'{france} .ag-cell[col-id="drop_pct"]', "75.0 %")
    dash_duo.wait_for_contains_text(f'{france} .ag-cell[col-id="drivers_text"]', "CAR (product)")
    dash_duo.wait_for_text_to_equal(f'{france} .ag-cell[col-id="status_label"]', "Open")

    click(dash_duo, f'{france} .ag-cell[col-id="key"]')
    dash_duo.wait_for_contains_text("#an-detail-caption", "Country France · 5 Jun 2024")
    dash_duo.wait_for_contains_text("#an-drivers", "CAR (product): $0.00 against $600.00")
    dash_duo.wait_for_text_to_equal("#an-status-badge", "Open")
    WebDriverWait(dash_duo.driver, 10).until(
        lambda d: d.execute_script(
            "const g = document.querySelector('#an-chart .js-plotly-plot');"
            "return g && g.data.some(t => t.name === 'Alert');"
        )
    )
    click(dash_duo, "#an-acknowledge")
    dash_duo.wait_for_text_to_equal("#an-status-badge", "Acknowledged", timeout=20)
    dash_duo.wait_for_text_to_equal(f'{france} .ag-cell[col-id="status_label"]', "Acknowledged")
    status = dash_duo.find_element(f'{france} .ag-cell[col-id="status_label"]')
    assert "status-acknowledged" in status.get_attribute("class")
    assert stored_alerts(sales_app.engine)["France"] == (france_id, "country", "acknowledged")
    with sales_app.engine.connect() as conn:
        audit = conn.execute(
            select(AuditLog.username, AuditLog.entity_id).where(AuditLog.entity == "alert")
        ).all()
    assert audit == [("demo", str(france_id))]

    # The list filters by status: the acknowledged one leaves the open list.
    Select(dash_duo.find_element("#an-status-filter")).select_by_visible_text("Open")
    dash_duo.wait_for_contains_text("#an-caption", "2 alerts · open", timeout=20)
    assert dash_duo.get_logs() == []


def test_an002_thresholds_change_what_the_check_finds(dash_duo, sales_app):
    open_anomalies(dash_duo, sales_app)
    field = dash_duo.find_element("#an-min-drop")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("80")
    click(dash_duo, "#an-run")
    # No key lost 80 % (the largest drops are 75 %).
    dash_duo.wait_for_contains_text("#an-run-result", "0 new alerts (0 found", timeout=60)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("40")
    Select(dash_duo.find_element("#an-scope-filter")).select_by_visible_text("Whole business")
    click(dash_duo, "#an-run")
    # At 40 % the business's 42.3 % drop counts too: 4 alerts, 1 of them for the business.
    dash_duo.wait_for_contains_text("#an-run-result", "4 new alerts", timeout=60)
    dash_duo.wait_for_contains_text("#an-caption", "1 alert · any status, whole business")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("0")
    click(dash_duo, "#an-run")
    dash_duo.wait_for_contains_text("#an-run-result", "Minimum drop must be between", timeout=30)
    assert dash_duo.get_logs() == []


def test_an003_scan_window_one_line_rows_and_a_filled_day_resolves(dash_duo, sales_app):
    open_anomalies(dash_duo, sales_app)
    dash_duo.driver.set_window_size(1366, 900)
    # The data ends on Fri 28 June: the last 30 complete days are 29 May..27 June, and the
    # 28th, the data's last day, is not scored.
    Select(dash_duo.find_element("#an-scan")).select_by_visible_text("Last 30 days")
    click(dash_duo, "#an-run")
    dash_duo.wait_for_contains_text(
        "#an-run-result",
        "3 new alerts (3 found in 29 May 2024 – 27 Jun 2024, the last 30 complete days).",
        timeout=60,
    )
    dash_duo.wait_for_contains_text(
        "#an-run-result", "Not scored: 28 Jun 2024. A day is scored once orders dated on a later"
    )
    france_id = stored_alerts(sales_app.engine)["France"][0]
    france = ROW.format(id=france_id)
    dash_duo.wait_for_contains_text(f'{france} .ag-cell[col-id="drivers_text"]', "CAR (product)")
    # One line per alert at 1366 px (drivers used to wrap to six lines).
    row_height = dash_duo.find_element(france).size["height"]
    assert row_height <= 50, row_height
    score = dash_duo.find_element(f'{france} .ag-cell[col-id="score"]').text
    assert score.startswith("\u2212")  # a true minus sign, as the caption below writes it
    click(dash_duo, f'{france} .ag-cell[col-id="key"]')
    dash_duo.wait_for_contains_text("#an-detail-caption", f"score {score})")

    # France's missing 3 x 2 CAR arrive late: 5 June totals 800.00 again, like any weekday.
    france_customer, car = 1, CATALOG.id_of("CAR")
    add_order(sales_app.engine, DROP_DAY, france_customer, "France", [(car, "Cars", 60000)])
    Select(dash_duo.find_element("#an-scan")).select_by_visible_text(
        "What changed since the last check"
    )
    click(dash_duo, "#an-run")
    dash_duo.wait_for_contains_text("#an-run-result", "0 new alerts", timeout=60)
    dash_duo.wait_for_contains_text("#an-run-result", "3 resolved: their day's revenue changed")
    dash_duo.wait_for_text_to_equal(
        f'{france} .ag-cell[col-id="status_label"]', "Resolved", timeout=20
    )
    dash_duo.wait_for_text_to_equal(f'{france} .ag-cell[col-id="actual"]', "$800.00")
    click(dash_duo, f'{france} .ag-cell[col-id="key"]')
    dash_duo.wait_for_contains_text(
        "#an-note", "the day now totals 800.00 (was 200.00)", timeout=20
    )
    dash_duo.wait_for_contains_text("#an-note", "within the expected range")
    assert stored_alerts(sales_app.engine)["France"] == (france_id, "country", "resolved")
    assert dash_duo.get_logs() == []


def test_an004_admin_sends_a_digest_now(dash_duo, sales_app):
    from datetime import date, timedelta

    from tests.digests.loopback import WebhookReceiver

    receiver = WebhookReceiver()
    try:
        open_anomalies(dash_duo, sales_app)
        field = dash_duo.find_element("#dg-to")
        field.send_keys("boss at shop")
        click(dash_duo, "#dg-send")
        dash_duo.wait_for_contains_text(
            "#dg-result", "Nothing sent: 'boss at shop' is neither an email address", timeout=20
        )
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(receiver.url)
        click(dash_duo, "#dg-send")
        dash_duo.wait_for_contains_text(
            "#dg-result", f"Sent to {receiver.url} (webhook)", timeout=30
        )
        # The daily digest covers yesterday; this data ended in 2024, so it is all zeros.
        yesterday = date.today() - timedelta(days=1)
        title = f"Daily digest for {yesterday:%a} {yesterday.day} {yesterday:%b %Y}"
        dash_duo.wait_for_contains_text("#dg-result", title)
        ((content_type, payload),) = receiver.received
        assert content_type == "application/json"
        assert payload["text"] == f"Sales Pulse: {title}"
        assert "*Revenue*: $0.00 (was $0.00, none either)" in payload["blocks"][1]["text"]["text"]

        # Schedule it for the demo admin, every Monday at 09:00, to the same webhook; then
        # remove it again.
        dash_duo.wait_for_contains_text("#ds-list", "No digest scheduled yet.", timeout=20)
        WebDriverWait(dash_duo.driver, 20).until(
            lambda d: "demo" in [o.text for o in Select(d.find_element("id", "ds-user")).options]
        )
        Select(dash_duo.find_element("#ds-user")).select_by_visible_text("demo")
        dash_duo.find_element("#ds-to").send_keys(receiver.url)
        Select(dash_duo.find_element("#ds-period")).select_by_value("weekly")
        Select(dash_duo.find_element("#ds-hour")).select_by_visible_text("09:00")
        click(dash_duo, "#ds-add")
        dash_duo.wait_for_contains_text("#ds-result", "Scheduled for demo.", timeout=20)
        listed = f"demo: Weekly (Mondays) at 09:00 to {receiver.url}, the whole business"
        dash_duo.wait_for_text_to_equal("#ds-list li", listed, timeout=20)
        WebDriverWait(dash_duo.driver, 20).until(
            lambda d: listed in [o.text for o in Select(d.find_element("id", "ds-pick")).options]
        )
        Select(dash_duo.find_element("#ds-pick")).select_by_visible_text(listed)
        click(dash_duo, "#ds-remove")
        dash_duo.wait_for_contains_text("#ds-result", "Removed.", timeout=20)
        dash_duo.wait_for_contains_text("#ds-list", "No digest scheduled yet.", timeout=20)
        assert len(receiver.received) == 1  # scheduling sends nothing by itself
    finally:
        receiver.close()
    assert dash_duo.get_logs() == []
