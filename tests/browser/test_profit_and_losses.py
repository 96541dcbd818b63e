"""Profit and margin, drill-through and the loss finder as a sales manager uses them (issue 19
items 1, 4 and 5), on the loss shop (tests/loss_shop.py, whose docstring has every line) in
March 2024.

Cards: profit 810.00 - 670.00 = 140.00, margin 140 / 810 = 17.3 %, cost known for 94 % of
sales; February's profit 40.00: +250.0 %. Office in March: L1 (pens 100.00), L3 (lamp 50.00),
L5 (pens 40.00): 3 orders, 190.00. The loss finder: <b>Desk</b> loses 300.00 - 340.00 =
-40.00, first; its orders are L2 and L3 (L4, cancelled, left out).
"""

from __future__ import annotations

from dashapp.ui import ids
from tests.browser.grid_page import cell, jump_to
from tests.browser.overview_page import WAIT, click_mark
from tests.loss_shop import seed_loss_shop
from tests.sites import site

MARCH = "?start=2024-03-01&end=2024-03-31"


def _open(dash_duo, new_engine, path: str) -> None:
    app = site(new_engine("profit"), demo=True, seed=seed_loss_shop)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + path)


def _show_orders_and_come_back(dash_duo, link: str, count: str, back_path: str) -> None:
    button = dash_duo.wait_for_element(link, timeout=WAIT)
    jump_to(dash_duo, button)
    button.click()
    dash_duo.wait_for_contains_text(f"#{ids.HISTORY_CAPTION}", count, timeout=WAIT)
    back = dash_duo.wait_for_element(f"#{ids.DRILL_BACK}", timeout=WAIT)
    jump_to(dash_duo, back)
    back.click()
    dash_duo.wait_for_element(back_path, timeout=WAIT)


def test_pf001_profit_cards_and_a_drill_from_a_category(dash_duo, new_engine):
    _open(dash_duo, new_engine, "/" + MARCH)
    dash_duo.wait_for_text_to_equal("#kpi-profit", "$140.00", timeout=WAIT)
    dash_duo.wait_for_text_to_equal("#kpi-margin", "17.3%", timeout=WAIT)
    assert dash_duo.find_element("#kpi-profit-delta").text == "▲ 250.0% vs previous period"
    assert dash_duo.find_element("#kpi-margin-hint").text == "cost known for 94% of sales"

    # The donut's Office slice (190 of 860: the wedge before 12 o'clock; Furniture's wedge
    # wraps around the hole, so its middle is not on it).
    click_mark(dash_duo, f'div[id*="{ids.CATEGORY_DONUT}"] .js-plotly-plot path.surface', 1)
    dash_duo.wait_for_text_to_equal(".drill-title", "Category: Office", timeout=WAIT)
    dash_duo.wait_for_text_to_equal("#drill-count", "3 orders · $190.00", timeout=WAIT)
    # The history lists the same 3 orders; Back returns to the Overview, Office selected.
    _show_orders_and_come_back(dash_duo, f"#{ids.DRILL_LINK}", "3 orders", "#kpi-profit")
    assert "category=Office" in dash_duo.driver.current_url
    dash_duo.wait_for_contains_text(f"#{ids.CHIPS}", "Category: Office", timeout=WAIT)
    assert dash_duo.get_logs() == []


def test_lf001_the_loss_finder_lists_the_desk_first(dash_duo, new_engine):
    _open(dash_duo, new_engine, "/losses" + MARCH)
    dash_duo.wait_for_contains_text(f"#{ids.LF_CAPTION}", "2 products losing money", timeout=WAIT)
    first = dash_duo.find_element(f"#{ids.LF_GRID} .ag-row[row-index='0']")
    # The name is shown as typed, tags and all, not as bold markup.
    assert first.find_element("css selector", ".ag-cell[col-id='label']").text == "<b>Desk</b>"
    assert first.find_element("css selector", ".ag-cell[col-id='profit']").text == "-$40.00"
    cell(dash_duo, ids.LF_GRID, "DESK", "label").click()
    _show_orders_and_come_back(
        dash_duo, f"#{ids.LF_SHOW_ORDERS}:not(.disabled)", "2 orders", f"#{ids.LF_GRID}"
    )
    assert "/losses" + MARCH in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
