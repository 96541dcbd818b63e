"""Targets as a manager sets them: a target typed in the form, corrected in the grid, and its
progress on the Overview. The shop is tests/targets/shop.py's (its docstring has the arithmetic):
4,000.00 sold by 10 March 2024, the data's last day, day 10 of 31."""

from __future__ import annotations

import pytest

from dashapp.factory import create_app
from dashapp.targets import TargetDraft, set_target
from tests.accounts import staff
from tests.browser.grid_page import click, edit_cell, go_to
from tests.databases import migrate
from tests.targets.shop import SHIPS, seed_march


def _cell(row_id: str, col_id: str) -> str:
    return f'#tg-grid .ag-row[row-id="{row_id}"] .ag-cell[col-id="{col_id}"]'


@pytest.fixture
def march_app(new_engine):
    engine = new_engine("targets")
    migrate(engine)
    seed_march(engine)
    # A category whose name holds markup: the grid must show it as typed.
    set_target(engine, TargetDraft("2024-Q1", "orders", "20", "category", SHIPS), staff("max"))
    app = create_app(engine, demo=True)
    yield app
    engine.dispose()


def test_tg001_set_a_target_and_see_its_progress_on_the_overview(dash_duo, march_app):
    dash_duo.start_server(march_app)
    dash_duo.wait_for_element(".kpi-row .kpi-card")
    go_to(dash_duo, "Targets")
    dash_duo.wait_for_text_to_equal(_cell("1", "key"), SHIPS)
    dash_duo.find_element("#tg-period").send_keys("2024-03")
    dash_duo.find_element("#tg-amount").send_keys("5,000.00")
    click(dash_duo, "#tg-add")
    dash_duo.wait_for_contains_text(
        "#tg-message", "Set: Revenue target for the business in March 2024, $5,000.00."
    )
    # Corrected in the grid: 10,000.00.
    dash_duo.wait_for_text_to_equal(_cell("2", "amount"), "$5,000.00")
    edit_cell(dash_duo, "tg-grid", "2", "amount", "10000")
    dash_duo.wait_for_contains_text("#tg-message", "Saved: Revenue target for the business")
    # 4,000.00 of 10,000.00 is 40 %; 4,000.00 / 10 x 31 = 12,400.00 projected: on track.
    dash_duo.wait_for_text_to_equal(_cell("2", "share"), "40%")
    dash_duo.wait_for_text_to_equal(_cell("2", "projected"), "$12,400.00")
    go_to(dash_duo, "Overview")
    dash_duo.wait_for_contains_text("#target-2", "$4,000.00")
    tile = dash_duo.find_element("#target-2").text
    assert "REVENUE · MARCH 2024" in tile.upper()
    assert "of $10,000.00 target" in tile
    assert "on track" in tile
    assert "40% of target · day 10 of 31" in tile
    assert "Projected $12.40k by 31 Mar" in tile
    assert "linear run-rate" in tile
    # The trend carries the target line. Ten days of data give too few months, so the trend
    # is daily: each day's share of March's target is 10,000.00 / 31 = 322.58.
    traces = dash_duo.driver.execute_script(
        "return document.querySelector('#revenue-trend .js-plotly-plot')"
        ".data.map(t => [t.name, t.y ? t.y[t.y.length - 1] : null]);"
    )
    assert ["Target", 322.58] in traces
    assert dash_duo.get_logs() == []
