"""The page while the database is unavailable, in headless Chromium: the error alert says the
database is busy or unreachable and to try again, and the page recovers by itself once the
lock is released or the server is back. No browser console errors throughout."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.engine import make_url

from dashapp.factory import create_app
from dashapp.orders import LineDraft, OrderDraft, create_order
from dashapp.store.db import make_engine
from dashapp.store.errors import BUSY_MESSAGE, UNREACHABLE_MESSAGE
from tests.accounts import staff
from tests.browser.grid_page import click, go_to, pick
from tests.browser.overview_page import revenue_is
from tests.databases import postgres_database
from tests.faults.proxy import TcpProxy
from tests.faults.store_checks import order_count, tiny_engine_at

ALERT = "#error-alert"


def test_flt020_order_saved_after_the_lock_is_released(dash_duo, tmp_path):
    path = tmp_path / "locked.db"
    engine = tiny_engine_at(f"sqlite:///{path}", busy_timeout_ms=300)
    dash_duo.start_server(create_app(engine, demo=True))
    revenue_is(dash_duo, "$684.99")
    go_to(dash_duo, "Orders")
    dash_duo.wait_for_contains_text("#order-history-caption", "6 orders", timeout=10)
    pick(dash_duo, "#order-customer", "bol", "Bolt")
    pick(dash_duo, "#order-add-product", "car", "Car A")
    dash_duo.wait_for_text_to_equal("#order-total", "$100.00")

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    click(dash_duo, "#order-save")
    dash_duo.wait_for_text_to_equal(ALERT, BUSY_MESSAGE, timeout=10)
    assert order_count(engine) == 6

    holder.execute("ROLLBACK")
    holder.close()
    click(dash_duo, "#order-save")  # the form kept what was typed: save it again
    dash_duo.wait_for_contains_text("#order-saved", "total $100.00", timeout=10)
    assert order_count(engine) == 7
    go_to(dash_duo, "Overview")
    revenue_is(dash_duo, "$784.99")
    assert dash_duo.get_logs() == []
    engine.dispose()


@pytest.mark.pg
def test_flt021_overview_says_unreachable_then_shows_new_figures(dash_duo):
    with postgres_database() as direct_url:
        direct = tiny_engine_at(direct_url)
        parsed = make_url(direct_url)
        proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
        proxy.start()
        engine = make_engine(parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
        try:
            dash_duo.start_server(create_app(engine, demo=True))
            revenue_is(dash_duo, "$684.99")

            proxy.stop()  # the database server goes away
            click(dash_duo, "#refresh-button")
            dash_duo.wait_for_text_to_equal(ALERT, UNREACHABLE_MESSAGE, timeout=15)
            # Meanwhile an order arrives by another way: 1 CAR at 100.00.
            draft = OrderDraft(customer_id=2, lines=(LineDraft("CAR", 1),))
            create_order(direct, draft, staff("elsewhere"))

            proxy.start()  # back; the app was not restarted
            click(dash_duo, "#refresh-button")
            revenue_is(dash_duo, "$784.99")
            dash_duo.wait_for_no_elements(ALERT, timeout=10)  # the retry closed the alert
            assert dash_duo.get_logs() == []
        finally:
            engine.dispose()
            direct.dispose()
            proxy.stop()
