"""Download menu on the Overview in headless Chromium (tests/tiny.py): the files a user saves
hold what the page shows under its filters.

By hand, January 2024 with Category = Motorcycles: O1's BIKE 1 x 50.00 and O2's 3 x 50.00
- 10 % = 135.00, so revenue 185.00 over 2 orders, AOV 92.50, 4 units."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.grid_page import downloads_into
from tests.browser.overview_page import WAIT, revenue_is
from tests.reports.workbooks import cents, labelled, open_book, table

FILTERS_LINE = "Dates: 1 Jan 2024 – 31 Jan 2024 · Category: Motorcycles"


def download(dash_duo, folder: Path, item: str, suffix: str) -> bytes:
    """Open the Download menu, click `item`, and wait for the browser to finish the file."""
    before = set(folder.glob(f"*{suffix}"))
    dash_duo.find_element(".download-toggle").click()
    dash_duo.wait_for_element(f"#{item}", timeout=WAIT).click()

    def saved(_driver):
        new = [p for p in folder.glob(f"*{suffix}") if p not in before]
        partial = list(folder.glob("*.crdownload"))
        return new[0] if new and not partial else False

    return WebDriverWait(dash_duo.driver, 60).until(saved).read_bytes()


def test_rp001_xlsx_and_pdf_hold_the_pages_kpis_under_its_filters(dash_duo, tiny_app, tmp_path):
    dash_duo.start_server(tiny_app)
    downloads_into(dash_duo, tmp_path)
    dash_duo.driver.get(dash_duo.server_url + "/?start=2024-01-01&end=2024-01-31")
    revenue_is(dash_duo, "$385.00")  # 250.00 + 135.00, before the category filter
    dash_duo.select_dcc_dropdown("#filter-category", value="Motorcycles")
    revenue_is(dash_duo, "$185.00")
    page = {key: dash_duo.find_element(f"#kpi-{key}").text for key in ("orders", "aov", "units")}
    assert page == {"orders": "2", "aov": "$92.50", "units": "4"}

    book = open_book(download(dash_duo, tmp_path, "download-xlsx", ".xlsx"))
    assert labelled(book["Report"])["Filters"] == FILTERS_LINE
    kpis = {r["KPI"]: r for r in table(book["Report"], "KPI")}
    assert f"${cents(kpis['Revenue']['Value'])}" == "$185.00"
    assert f"${cents(kpis['Avg order value']['Value'])}" == page["aov"]
    assert (str(kpis["Orders"]["Value"]), str(kpis["Units"]["Value"])) == ("2", "4")
    products = table(book["Top products"], "SKU")
    assert [(r["SKU"], cents(r["Revenue"])) for r in products] == [("BIKE", Decimal("185.00"))]

    pdf = PdfReader(io.BytesIO(download(dash_duo, tmp_path, "download-pdf", ".pdf")))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert f"Filters: {FILTERS_LINE}" in text
    for value in ("$185.00", page["aov"]):
        assert value in text

    # Every chart's toolbar holds one button, the PNG download, named after the chart.
    trend = dash_duo.find_element("#revenue-trend")
    ActionChains(dash_duo.driver).move_to_element(trend).perform()
    buttons = dash_duo.find_elements("#revenue-trend .modebar-btn")
    assert [b.get_attribute("data-title") for b in buttons] == ["Download plot as a PNG"]
    assert dash_duo.get_logs() == []
