"""The Pivot section as an analyst uses it: pick rows, columns and a measure, read the cells
and totals, narrow with the page filters, export the CSV. The shop is
tests/analytics/test_pivot.py's (its docstring has the arithmetic), imported as a user would."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from dashapp.factory import create_app
from dashapp.importer import import_csv
from dashapp.store.migrate import upgrade
from tests.analytics.test_pivot import SHOP
from tests.browser.grid_page import click, go_to, pick


@pytest.fixture
def shop_app(new_engine, tmp_path):
    engine = new_engine("pivot")
    upgrade(engine)
    path = tmp_path / "shop.csv"
    path.write_text(SHOP, encoding="utf-8")
    assert import_csv(engine, path).rejects == []
    app = create_app(engine, demo=True)
    yield app
    engine.dispose()


def _table(dash_duo) -> list[list[str]]:
    """The grid as the user reads it: each row's cells left to right (pinned columns
    included), the pinned totals row last."""
    return dash_duo.driver.execute_script(
        """
        const grid = document.querySelector('#pivot-grid');
        if (!grid) return [];
        const rows = {};
        grid.querySelectorAll('.ag-row').forEach(row => {
            const key = (row.closest('.ag-floating-bottom') ? 'z' : 'a') +
                row.getAttribute('row-index').padStart(4, '0');
            rows[key] = rows[key] || [];
            row.querySelectorAll('.ag-cell').forEach(cell => rows[key].push(
                [cell.getBoundingClientRect().left, cell.innerText.trim()]));
        });
        return Object.keys(rows).sort().map(
            k => rows[k].sort((a, b) => a[0] - b[0]).map(c => c[1]));
        """
    )


def _headers(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script(
        """
        return [...document.querySelectorAll('#pivot-grid .ag-header-cell')]
            .sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left)
            .map(h => h.innerText.trim());
        """
    )


def _table_is(dash_duo, expected) -> None:
    seen = []

    def shown(_driver):
        seen[:] = _table(dash_duo)
        return seen == expected

    try:
        WebDriverWait(dash_duo.driver, 15).until(shown)
    except TimeoutException:
        raise AssertionError(f"the pivot shows {seen}, not {expected}") from None


def test_pv001_region_by_year_profit_then_export(dash_duo, shop_app, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    dash_duo.start_server(shop_app)
    dash_duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    dash_duo.wait_for_element(".section-nav")
    go_to(dash_duo, "Pivot")
    # Default: revenue by category x year. Furniture 100.00 + 300.00 (2024), 50.00 (2025);
    # Office Supplies 10.00 (2024; A4's 20.00 is cancelled).
    _table_is(
        dash_duo,
        [
            ["Furniture", "$400.00", "$50.00", "$450.00"],
            ["Office Supplies", "$10.00", "$0.00", "$10.00"],
            ["Total", "$410.00", "$50.00", "$460.00"],
        ],
    )
    pick(dash_duo, "#pivot-rows", "Reg", "Region")
    pick(dash_duo, "#pivot-measure", "Gross", "Gross profit")
    # West 2024: (100.00 - 80.00) + (10.00 - 6.00) = 24.00; East 2024: 300.00 - 360.00 =
    # -60.00; 2025 has only A3 (no cost): n/a... as money, "–". Totals: -36.00.
    _table_is(
        dash_duo,
        [
            ["West", "$24.00", "–", "$24.00"],
            ["East", "−$60.00", "–", "−$60.00"],
            ["Total", "−$36.00", "–", "−$36.00"],
        ],
    )
    assert _headers(dash_duo) == ["Region", "2024", "2025", "Total"]
    caption = dash_duo.find_element("#pivot-caption").text
    assert caption.startswith("Gross profit by Region × Year")
    assert "over the lines whose cost is known" in caption
    click(dash_duo, "#pivot-export")
    WebDriverWait(dash_duo.driver, 15).until(lambda _d: list(downloads.glob("pivot-*.csv")))
    exported = next(downloads.glob("pivot-*.csv"))
    assert exported.name == "pivot-profit-by-region-by-year.csv"
    assert exported.read_text(encoding="utf-8").splitlines() == [
        "Region,2024,2025,Total",
        "West,24.00,,24.00",
        "East,-60.00,,-60.00",
        "Total,-36.00,,-36.00",
    ]
    # Margin: West 2024 24.00 / 110.00 = 21.818..%; East -60.00 / 300.00; in all -36.00 /
    # 410.00 = -8.780..%; 2025 has no cost: n/a. Negative numbers with the typographic minus.
    pick(dash_duo, "#pivot-measure", "Mar", "Margin %")
    _table_is(
        dash_duo,
        [
            ["West", "21.82 %", "n/a", "21.82 %"],
            ["East", "−20.00 %", "n/a", "−20.00 %"],
            ["Total", "−8.78 %", "n/a", "−8.78 %"],
        ],
    )
    # The page's filters apply: Furniture only. West 2024: (100.00 - 80.00) / 100.00 = 20 %;
    # East -20 %; in all (20.00 - 60.00) / 400.00 = -10 %.
    pick(dash_duo, "#filter-category", "Furn", "Furniture")
    _table_is(
        dash_duo,
        [
            ["West", "20.00 %", "n/a", "20.00 %"],
            ["East", "−20.00 %", "n/a", "−20.00 %"],
            ["Total", "−10.00 %", "n/a", "−10.00 %"],
        ],
    )
    assert "Furniture" in dash_duo.find_element("#pivot-caption").text
    assert dash_duo.get_logs() == []
