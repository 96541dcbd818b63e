"""The pivot's and the RFM list's "Export XLSX" callbacks, forged from the published callback
table: a sales user's workbook holds only the orders that user entered, whatever is posted.

tiny.py, Sam entered O2 only (Bolt, Motorcycles, 3 x 50.00 - 10 % = 135.00): the pivot by
category is Motorcycles 135.00 and the total 135.00; the scored customers are Bolt alone, 135.00
over 1 order. A viewer's pivot has both lines: 399.99 + 285.00 = 684.99."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from sqlalchemy import update

from dashapp.store.models import Order
from dashapp.ui import ids
from tests.databases import fresh_engine
from tests.reports.workbooks import cents, open_book, table
from tests.sites import signed_in_client, tiny_site
from tests.web.forge import forge

PASSWORD = "mild tangerine"
VIEW = {f"{ids.VIEW}.data": {"filters": "", "granularity": "month"}}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with fresh_engine(tmp_path_factory.mktemp("forged-xlsx"), "forged-xlsx") as engine:
        users = [("vera", "viewer", PASSWORD), ("sam", "sales", PASSWORD)]
        app = tiny_site(engine, users=users)
        with engine.begin() as conn:
            conn.execute(update(Order).where(Order.order_number == "O2").values(created_by="sam"))
        yield app


def _workbook(response, output: str):
    assert response.status_code == 200, response.data[:300]
    sent = response.get_json()["response"][output]["data"]
    assert sent["filename"].endswith(".xlsx") and sent["base64"]
    return open_book(base64.b64decode(sent["content"]))


def _pivot(site, user: str):
    client = signed_in_client(site, user, PASSWORD)
    values = {
        **VIEW,
        f"{ids.PIVOT_ROWS}.value": "category",
        f"{ids.PIVOT_COLUMNS}.value": "none",
        f"{ids.PIVOT_MEASURE}.value": "revenue",
    }
    response = forge(client, f"{ids.PIVOT_XLSX}.n_clicks", values, trigger_value=1)
    rows = table(_workbook(response, ids.PIVOT_XLSX_DOWNLOAD)["Pivot"], "Category")
    return [(r["Category"], cents(r["Total"])) for r in rows]


def test_pivot_xlsx_is_scoped_to_the_account(site):
    assert _pivot(site, "sam") == [("Motorcycles", Decimal("135.00")), ("Total", Decimal("135.00"))]
    assert _pivot(site, "vera")[-1] == ("Total", Decimal("684.99"))


def test_members_xlsx_is_scoped_to_the_account(site):
    client = signed_in_client(site, "sam", PASSWORD)
    response = forge(client, f"{ids.MEMBERS_XLSX}.n_clicks", VIEW, trigger_value=1)
    rows = table(_workbook(response, ids.MEMBERS_XLSX_DOWNLOAD)["Customers"], "Customer")
    assert [(r["Customer"], r["Frequency"], cents(r["Monetary"])) for r in rows] == [
        ("Bolt", 1, Decimal("135.00"))
    ]


def test_reorder_xlsx_is_refused_to_a_sales_user(site):
    # Stock and whole-business velocity are not part of a sales user's own view (SPEC §6).
    trigger = f"{ids.REORDER_XLSX}.n_clicks"
    refused = forge(signed_in_client(site, "sam", PASSWORD), trigger, {}, trigger_value=1)
    assert refused.status_code == 403
    allowed = forge(signed_in_client(site, "vera", PASSWORD), trigger, {}, trigger_value=1)
    rows = table(_workbook(allowed, ids.REORDER_XLSX_DOWNLOAD)["Reorder"], "SKU")
    # 28 days to 5 Feb 2024: BIKE sold 1 + 3 = 4 units (0.14 a day, 100 in stock: 700 days of
    # cover), CAR 2 + 1 = 3 (933 days): the shorter cover first.
    assert [(r["SKU"], r["Units sold in the window"]) for r in rows] == [("BIKE", 4), ("CAR", 3)]
