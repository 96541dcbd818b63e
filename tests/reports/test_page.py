"""The page as PDF and PNG, printed by headless Chromium (installed for the browser tests), on
tests/tiny.py in January 2024 under Category = Motorcycles (SQLite: the numbers are the
workbook's, checked on both backends in test_view_workbook.py).

By hand: Motorcycles lines in January are O1's BIKE 1 x 50.00 and O2's 3 x 50.00 - 10 %
= 135.00: revenue 185.00 over 2 orders, AOV 92.50, 2 customers, 4 units; O3 (cancelled) is a
CAR, so no Motorcycles order is cancelled: 0.0 %."""

from __future__ import annotations

import io
import struct
import threading
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from dashapp.filters import Filters
from dashapp.reports import page
from dashapp.reports.view import view_report
from tests.databases import seeded_engine
from tests.tiny import seed_tiny

FILTERS = Filters(start=date(2024, 1, 1), end=date(2024, 1, 31), categories=("Motorcycles",))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    with seeded_engine("sqlite", tmp_path_factory.mktemp("page"), seed_tiny) as engine:
        conn = engine.connect()
        yield view_report(conn, FILTERS, user="ann", now=datetime(2026, 12, 6, 12, tzinfo=UTC))
        conn.close()


def test_pdf_prints_the_filters_and_the_kpis(report):
    reader = PdfReader(io.BytesIO(page.render_pdf(report)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Filters: Dates: 1 Jan 2024 – 31 Jan 2024 · Category: Motorcycles" in text
    assert "prepared for ann · generated 2026-12-06 12:00 UTC" in text
    for value in ("$185.00", "$92.50", "0.0%"):
        assert value in text
    assert "Top products" in text and "Bike B" in text


def test_png_is_a_png_of_the_stated_size(report):
    image = page.render_png(report)
    assert image.png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", image.png[16:24])  # IHDR
    assert (width, height) == (image.width, image.height) == (1366, page.page_height(report))
    assert height > 1000  # KPIs and eight figures, not a viewport's worth


def test_no_browser_is_a_clear_error(report):
    with pytest.raises(page.RendererMissing, match="apt-get install chromium"):
        page.render_pdf(report, browser="/nonexistent/chromium")


def test_prints_queued_past_the_timeout_say_so(report, monkeypatch):
    busy = threading.BoundedSemaphore(1)
    busy.acquire()  # both slots taken by other prints
    monkeypatch.setattr(page, "_SLOTS", busy)
    monkeypatch.setattr(page, "TIMEOUT_S", 0.01)
    with pytest.raises(page.RenderFailed, match="try again in a minute"):
        page.render_pdf(report)
