"""The report and XLSX routes: signed in, the `view` permission, a sales user's own orders only,
bad input a clear 400 that writes nothing, and a missing renderer a clear 503 (tests/tiny.py,
both backends; figures worked out in test_view_workbook.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dashapp.orders import LineDraft, OrderDraft, create_order, delete_order
from tests.accounts import staff
from tests.reports.workbooks import cents, labelled, open_book, table
from tests.sites import signed_in_client, site

PASSWORD = "mild tangerine"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JANUARY = "start=2024-01-01&end=2024-01-31"


@pytest.fixture(scope="module")
def app(tiny_engine):
    users = [("ada", "admin", PASSWORD), ("vera", "viewer", PASSWORD), ("sam", "sales", PASSWORD)]
    return site(tiny_engine, users=users)


@pytest.fixture(scope="module")
def clients(app):
    return {name: signed_in_client(app, name, PASSWORD) for name in ("ada", "vera", "sam")}


def kpis_of(book) -> dict:
    return {r["KPI"]: r for r in table(book["Report"], "KPI")}


def test_view_workbook_carries_the_links_filters(clients):
    # Motorcycles in January: O1's BIKE 50.00 + O2 135.00 = 185.00 over 2 orders.
    response = clients["vera"].get(
        f"/report/view.xlsx?{JANUARY}&category=Motorcycles&granularity=week&section=overview"
    )
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "sales-pulse-overview-" in response.headers["Content-Disposition"]
    book = open_book(response.data)
    cover = labelled(book["Report"])
    assert cover["Filters"] == "Dates: 1 Jan 2024 – 31 Jan 2024 · Category: Motorcycles"
    assert cover["Prepared for"] == "vera"
    assert cover["Granularity"] == "week"
    assert cents(kpis_of(book)["Revenue"]["Value"]) == Decimal("185.00")


def test_a_sales_user_gets_only_their_orders(app, clients):
    # Sam enters 2 x CAR at 100.00 = 200.00 for Acme; nobody entered the tiny orders.
    saved = create_order(
        app.engine,
        OrderDraft(customer_id=1, lines=(LineDraft(product="CAR", quantity=2),)),
        staff("sam", "sales"),
    )
    try:
        book = open_book(clients["sam"].get("/report/view.xlsx").data)
        assert cents(kpis_of(book)["Revenue"]["Value"]) == Decimal("200.00")
        assert [r["Customer"] for r in table(book["Top customers"], "Customer")] == ["Acme"]
        orders = open_book(clients["sam"].get("/export/orders.xlsx").data)["Orders"]
        assert [r["Order number"] for r in table(orders, "Order number")] == [saved.number]
        everyone = open_book(clients["ada"].get("/export/orders.xlsx").data)["Orders"]
        assert len(table(everyone, "Order number")) == 7  # the six tiny orders and Sam's
    finally:
        delete_order(app.engine, saved.id, staff("sam", "sales"))


def test_order_history_xlsx_follows_filters_and_sort_with_exact_totals(clients):
    # France: O1 250.00, O4 99.99, O6 100.00; by total, largest first.
    response = clients["ada"].get("/export/orders.xlsx?country=France&sort=total:desc")
    assert response.status_code == 200
    sheet = open_book(response.data)["Orders"]
    rows = table(sheet, "Order number")
    assert [(r["Order number"], cents(r["Total"])) for r in rows] == [
        ("O1", Decimal("250.00")),
        ("O6", Decimal("100.00")),
        ("O4", Decimal("99.99")),
    ]
    about = labelled(sheet)
    assert about["Filters"] == "Dates: all time · Country: France"
    assert about["Exported by"] == "ada"
    total = next(row for row in sheet.iter_rows() if row[0].value == "O4")[8]
    assert total.data_type == "n" and "$" in total.number_format


def test_catalog_xlsx(clients):
    book = open_book(clients["vera"].get("/export/products.xlsx").data)
    products = table(book["Products"], "SKU")
    assert [(r["SKU"], cents(r["List price"])) for r in products] == [
        ("BIKE", Decimal("50.00")),
        ("CAR", Decimal("100.00")),
    ]
    customers = open_book(clients["vera"].get("/export/customers.xlsx").data)["Customers"]
    assert [r["Name"] for r in table(customers, "Id")] == ["Acme", "Bolt", "Cogs"]


@pytest.mark.parametrize(
    "path, status, says",
    [
        ("/report/view.xlsx?start=2024-13-01", 400, "Cannot make the report: "),
        ("/report/view.xlsx?section=%3Cscript%3E", 400, "unknown section"),
        ("/export/orders.xlsx?sort=nope:desc", 400, "Cannot export: "),
        ("/export/orders.xlsx?columns=[1]", 400, "columns must be a JSON object"),
        ("/report/view.exe", 404, ""),
    ],
)
def test_bad_links_get_a_clear_answer(clients, path, status, says):
    response = clients["ada"].get(path)
    assert response.status_code == status
    assert says in response.get_data(as_text=True)


def test_signed_out_gets_no_report(app):
    anonymous = app.server.test_client()
    for path in ("/report/view.xlsx", "/report/view.pdf", "/export/orders.xlsx"):
        assert anonymous.get(path).status_code in (302, 401)


def test_without_chromium_pdf_and_png_say_what_to_install(clients, monkeypatch):
    monkeypatch.setattr("dashapp.reports.page.find_browser", lambda *a: None)
    for fmt in ("pdf", "png"):
        response = clients["vera"].get(f"/report/view.{fmt}")
        assert response.status_code == 503
        assert response.mimetype == "text/plain"
        assert "need Chromium on the server" in response.get_data(as_text=True)
        assert "apt-get install chromium" in response.get_data(as_text=True)
