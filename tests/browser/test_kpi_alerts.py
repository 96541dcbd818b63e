"""KPI alert rules in headless Chromium on tests/alerts/shop.py: add a rule as a manager types
it, run the check, see the alert with its figure (the week of 4 March, Planes in France:
400.00 + 400.00 = 800.00, below 1,000.00); then acknowledge, resolve and reopen it by hand."""

from selenium.webdriver.support.ui import Select

from dashapp.alerts import add_rule, check_rules
from tests.alerts.shop import MANAGER, PLANES_IN_FRANCE, TODAY, seed_all
from tests.sites import site

NAME = "<b>Planes</b> in France"
ALERT = '#ka-alerts .ag-center-cols-container .ag-row[row-id="1"] .ag-cell[col-id="{col}"]'
RULE = '#ka-rules .ag-center-cols-container .ag-row[row-id="1"] .ag-cell[col-id="{col}"]'


def _click(dash_duo, selector: str) -> None:
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    element.click()


def test_ka001_add_a_rule_run_the_check_and_see_its_alert(dash_duo, new_engine):
    app = site(new_engine("kpi-alerts"), demo=True, seed=seed_all)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/anomalies")
    dash_duo.wait_for_text_to_equal("#ka-rules-caption", "0 rules, 0 on", timeout=30)

    # A rule without a threshold is refused with a message, and nothing is added.
    dash_duo.find_element("#ka-name").send_keys(NAME)
    _click(dash_duo, "#ka-add")
    dash_duo.wait_for_contains_text("#ka-message", "Threshold is required")
    dash_duo.wait_for_text_to_equal("#ka-rules-caption", "0 rules, 0 on")

    dash_duo.find_element("#ka-filter").send_keys("category=Planes&country=France")
    Select(dash_duo.find_element("#ka-period")).select_by_visible_text("Week")
    Select(dash_duo.find_element("#ka-comparison")).select_by_visible_text("Below")
    dash_duo.wait_for_text_to_equal("#ka-unit", "$")
    dash_duo.find_element("#ka-threshold").send_keys("1,000.00")
    _click(dash_duo, "#ka-add")
    dash_duo.wait_for_contains_text("#ka-message", f"Added {NAME}")
    dash_duo.wait_for_text_to_equal("#ka-rules-caption", "1 rule, 1 on")
    # The name as typed: text, not a bold tag.
    dash_duo.wait_for_text_to_equal(RULE.format(col="name"), NAME)
    dash_duo.wait_for_text_to_equal(
        RULE.format(col="watches"), "Revenue of category Planes and country France"
    )
    dash_duo.wait_for_text_to_equal(RULE.format(col="checked"), "not yet")

    _click(dash_duo, "#an-run")
    dash_duo.wait_for_contains_text("#an-run-result", "KPI alert rules: 1 alert fired", 60)
    dash_duo.wait_for_contains_text("#ka-alerts-caption", "1 alert, 1 open", timeout=30)
    dash_duo.wait_for_text_to_equal(ALERT.format(col="period"), "4 Mar 2024 – 10 Mar 2024")
    dash_duo.wait_for_text_to_equal(ALERT.format(col="rule"), NAME)
    dash_duo.wait_for_text_to_equal(ALERT.format(col="figure"), "$800.00")
    dash_duo.wait_for_text_to_equal(ALERT.format(col="condition"), "below $1,000.00")
    dash_duo.wait_for_text_to_equal(ALERT.format(col="status_label"), "Open")
    dash_duo.wait_for_text_to_equal(RULE.format(col="checked"), "4 Mar 2024 – 10 Mar 2024")
    assert dash_duo.find_elements("#ka-rules b") == []
    assert dash_duo.get_logs() == []


def _fired(engine) -> None:
    seed_all(engine)
    add_rule(engine, PLANES_IN_FRANCE, MANAGER)
    check_rules(engine, today=TODAY)  # the week of 4 March fires at 800.00


def test_ka002_acknowledge_resolve_and_reopen_an_alert_by_hand(dash_duo, new_engine):
    app = site(new_engine("kpi-alerts-hand"), demo=True, seed=_fired)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/anomalies")
    dash_duo.wait_for_contains_text("#ka-alerts-caption", "1 alert, 1 open", timeout=30)
    dash_duo.wait_for_text_to_equal(ALERT.format(col="status_label"), "Open")
    # Nothing selected: nothing to act on.
    assert not dash_duo.find_element("#ka-ack").is_enabled()

    _click(dash_duo, ALERT.format(col="rule"))
    dash_duo.wait_for_element("#ka-ack:not([disabled])", timeout=30)
    assert not dash_duo.find_element("#ka-reopen").is_enabled()
    _click(dash_duo, "#ka-ack")
    dash_duo.wait_for_contains_text(
        "#ka-alert-message", "Planes in France, 4 Mar 2024 – 10 Mar 2024: acknowledged."
    )
    dash_duo.wait_for_text_to_equal(ALERT.format(col="status_label"), "Acknowledged", timeout=30)
    dash_duo.wait_for_contains_text("#ka-alerts-caption", "1 alert, 0 open")
    dash_duo.wait_for_contains_text(ALERT.format(col="note"), "acknowledged by")

    _click(dash_duo, ALERT.format(col="rule"))
    dash_duo.wait_for_element("#ka-resolve:not([disabled])", timeout=30)
    _click(dash_duo, "#ka-resolve")
    dash_duo.wait_for_text_to_equal(ALERT.format(col="status_label"), "Resolved", timeout=30)
    _click(dash_duo, ALERT.format(col="rule"))
    dash_duo.wait_for_element("#ka-reopen:not([disabled])", timeout=30)
    _click(dash_duo, "#ka-reopen")
    dash_duo.wait_for_text_to_equal(ALERT.format(col="status_label"), "Open", timeout=30)
    dash_duo.wait_for_contains_text("#ka-alerts-caption", "1 alert, 1 open")
    assert dash_duo.get_logs() == []
