"""The view's workbook on the sections beyond the Overview (issue 20 item 5): one sheet per card,
each read with the function the section's callback calls, on tests/loss_shop.py, both backends.

March 2024 of the loss shop (order L4 is cancelled, so left out; the lamp has no cost, so it
counts in no profit):
  DESK  L2 140.00 (cost 170.00) + L3 160.00 (cost 170.00) = 300.00 at cost 340.00: -40.00
  STOOL L5 80.00 at cost 90.00: -10.00
  CHAIR L1 200.00 + L5 90.00 = 290.00 at cost 180.00, PEN L1 100.00 + L5 40.00 at 60.00: earn
  Bolt: L2 140.00 + L3's desk 160.00 = 300.00 at 340.00: -40.00; Acme earns 510 - 330 = 180.00
  orders: L2 140 - 170 = -30.00, L3 160 - 170 = -10.00; L1 and L5 earn.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert

from dashapp.alerts import add_rule, check_rules
from dashapp.auth import Account
from dashapp.filters import Filters
from dashapp.reports.page import page_html
from dashapp.reports.view import view_report
from dashapp.reports.workbook import write_view_workbook
from dashapp.store.models import Alert
from dashapp.targets import TargetDraft, set_target
from tests.accounts import staff
from tests.alerts.shop import PLANES_IN_FRANCE, TODAY, seed_base, seed_later
from tests.databases import seeded_engine
from tests.loss_shop import IN_MARCH
from tests.reports.workbooks import cents, labelled, open_book, table
from tests.targets.shop import seed_march
from tests.tiny import alert_row

NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
MANAGER = staff("max", "manager")


def workbook_of(engine, f: Filters, section: str, **options):
    with engine.connect() as conn:
        report = view_report(conn, f, section=section, user="ann", now=NOON, **options)
    out = io.BytesIO()
    write_view_workbook(report, out)
    return open_book(out.getvalue())


@pytest.fixture(scope="module")
def losses_book(loss_shop):
    return workbook_of(loss_shop, IN_MARCH, "losses")


def test_the_loss_finders_report_has_a_sheet_per_card(losses_book):
    assert losses_book.sheetnames == [
        "Report",
        "Losing products",
        "Losing customers",
        "Losing orders",
        "Discount vs margin",
    ]
    assert labelled(losses_book["Report"])["Section"] == "Loss finder"
    assert "Note" not in labelled(losses_book["Report"])


def test_losing_products_customers_and_orders_most_lost_first(losses_book):
    products = table(losses_book["Losing products"], "SKU")
    assert [
        (r["SKU"], cents(r["Revenue"]), cents(r["Cost"]), cents(r["Profit"])) for r in products
    ] == [
        ("DESK", Decimal("300.00"), Decimal("340.00"), Decimal("-40.00")),
        ("STOOL", Decimal("80.00"), Decimal("90.00"), Decimal("-10.00")),
    ]
    assert products[0]["Product"] == "<b>Desk</b>"  # the stored name, as text
    assert products[0]["Margin"] == pytest.approx(-40 / 300)
    assert cents(products[0]["Discounts"]) == Decimal("100.00")  # 60.00 (30 %) + 40.00 (20 %)
    assert products[0]["Orders"] == 2
    customers = table(losses_book["Losing customers"], "Customer id")
    assert [(r["Customer"], cents(r["Profit"])) for r in customers] == [("Bolt", Decimal("-40.00"))]
    orders = table(losses_book["Losing orders"], "Order")
    assert [(r["Order"], r["Customer"], cents(r["Profit"])) for r in orders] == [
        ("L2", "Bolt", Decimal("-30.00")),
        ("L3", "Bolt", Decimal("-10.00")),
    ]
    name = next(
        c
        for row in losses_book["Losing products"].iter_rows()
        for c in row
        if c.value == "<b>Desk</b>"
    )
    assert name.data_type == "s"
    money = losses_book["Losing products"]["C5"]
    assert money.data_type == "n" and "$" in money.number_format


def test_discount_against_margin_per_sub_category(losses_book):
    # Chairs: CHAIR 200.00 + 90.00 (list 100.00, 10.00 off) + STOOL 80.00 = 370.00, cost
    # 120 + 60 + 90 = 270.00, margin 100 / 370; discount 10 / 380.
    # Tables: DESK 140.00 + 160.00 = 300.00, 60 + 40 = 100.00 off, list 400.00, margin -40 / 300.
    # Art: PEN 100.00 + 40.00 (list 50.00) = 140.00, 10.00 off, cost 60.00, margin 80 / 140.
    # Lighting: LAMP 50.00, no cost: no margin.
    rows = table(losses_book["Discount vs margin"], "Sub-category")
    assert [(r["Sub-category"], cents(r["Revenue"]), cents(r["Discounts"])) for r in rows] == [
        ("Chairs", Decimal("370.00"), Decimal("10.00")),
        ("Tables", Decimal("300.00"), Decimal("100.00")),
        ("Art", Decimal("140.00"), Decimal("10.00")),
        ("Lighting", Decimal("50.00"), Decimal("0.00")),
    ]
    margins = {r["Sub-category"]: r["Margin"] for r in rows}
    assert margins["Chairs"] == pytest.approx(100 / 370)
    assert margins["Tables"] == pytest.approx(-40 / 300)
    assert margins["Art"] == pytest.approx(80 / 140)
    assert margins["Lighting"] is None
    assert rows[0]["Discount rate"] == pytest.approx(10 / 380)
    assert rows[1]["Discount rate"] == pytest.approx(100 / 400)


def test_a_sales_users_loss_sheets_hold_only_their_orders(loss_shop):
    # sam entered L2 only: the desk sold 30 % off, 140.00 against a cost of 170.00.
    f = IN_MARCH.for_account(Account(0, "sam", "sales"))
    book = workbook_of(loss_shop, f, "losses")
    products = table(book["Losing products"], "SKU")
    assert [(r["SKU"], cents(r["Profit"])) for r in products] == [("DESK", Decimal("-30.00"))]
    assert [r["Order"] for r in table(book["Losing orders"], "Order")] == ["L2"]
    assert [r["Sub-category"] for r in table(book["Discount vs margin"], "Sub-category")] == [
        "Tables"
    ]
    assert labelled(book["Report"])["Filters"].endswith("Orders entered by: sam")


def test_the_loss_finders_pdf_page_lists_its_tables_with_names_as_text(loss_shop):
    with loss_shop.connect() as conn:
        report = view_report(conn, IN_MARCH, section="losses", user="ann", now=NOON)
    document = page_html(report, 1000)
    assert "Losing orders" in document and "Discount vs margin" in document
    assert "&lt;b&gt;Desk&lt;/b&gt;" in document and "<b>Desk</b>" not in document


def test_the_pivots_report_holds_its_default_table(tiny_engine):
    # tests/tiny.py, all time, revenue (O3 cancelled, left out) by category and year:
    # Classic Cars 2023 O6 100.00; 2024 O1 200.00 + O4 99.99 = 299.99; total 399.99.
    # Motorcycles 2023 O5 100.00; 2024 O1 50.00 + O2 135.00 = 185.00; total 285.00.
    # Totals: 2023 200.00, 2024 484.99, all 684.99; the larger total first.
    book = workbook_of(tiny_engine, Filters(), "pivot")
    assert book.sheetnames == ["Report", "Pivot"]
    assert labelled(book["Report"])["Section"] == "Pivot"
    rows = table(book["Pivot"], "Category")
    assert [
        (r["Category"], cents(r["2023"]), cents(r["2024"]), cents(r["Total"])) for r in rows
    ] == [
        ("Classic Cars", Decimal("100.00"), Decimal("299.99"), Decimal("399.99")),
        ("Motorcycles", Decimal("100.00"), Decimal("185.00"), Decimal("285.00")),
        ("Total", Decimal("200.00"), Decimal("484.99"), Decimal("684.99")),
    ]
    money = book["Pivot"]["B5"]
    assert money.data_type == "n" and "$" in money.number_format


def test_the_targets_report_lists_each_target_with_its_progress(engine):
    # tests/targets/shop.py, data to Sun 10 March 2024 (day 10 of 31):
    # business revenue 4,000.00 -> 4,000.00 / 10 x 31 = 12,400.00 >= 10,000.00: on track,
    # share 4,000 / 10,000 = 40 %; orders 10 -> 31 < 40: at risk, share 10 / 40 = 25 %;
    # profit 6 x 100.00 = 600.00 -> 1,860.00 < 2,000.00: at risk; sam's 800.00 -> 2,480.00 >=
    # 2,000.00: on track. February 2024 (over, no orders): missed at 0.
    seed_march(engine)
    for draft in (
        TargetDraft("2024-03", "revenue", "10,000.00"),
        TargetDraft("2024-03", "orders", "40"),
        TargetDraft("2024-03", "profit", "2,000.00"),
        TargetDraft("2024-03", "revenue", "2,000.00", "user", "sam"),
        TargetDraft("2024-02", "revenue", "1,000.00"),
    ):
        set_target(engine, draft, MANAGER)
    book = workbook_of(engine, Filters(), "targets", account=MANAGER)
    assert book.sheetnames == ["Report", "Revenue targets", "Orders targets", "Profit targets"]
    assert labelled(book["Report"])["Section"] == "Targets"
    revenue = table(book["Revenue targets"], "Period")
    assert [
        (r["Period"], r["Scope"], r["Key"], cents(r["Target"]), cents(r["Actual"]), r["Status"])
        for r in revenue
    ] == [
        ("2024-03", "Business", None, Decimal("10000.00"), Decimal("4000.00"), "on track"),
        ("2024-03", "User", "sam", Decimal("2000.00"), Decimal("800.00"), "on track"),
        ("2024-02", "Business", None, Decimal("1000.00"), Decimal("0.00"), "missed"),
    ]
    assert revenue[0]["Share"] == pytest.approx(0.4)
    assert cents(revenue[0]["Projected"]) == Decimal("12400.00")
    assert cents(revenue[1]["Projected"]) == Decimal("2480.00")
    assert revenue[2]["Projected"] is None  # February is over: its actual is final
    assert "linear run-rate" in revenue[0]["Method"]
    orders = table(book["Orders targets"], "Period")
    assert [(r["Target"], r["Actual"], r["Projected"], r["Status"]) for r in orders] == [
        (40, 10, 31, "at risk")
    ]
    assert orders[0]["Share"] == pytest.approx(0.25)
    assert book["Orders targets"]["D5"].number_format == "#,##0"
    profit = table(book["Profit targets"], "Period")
    assert [(cents(r["Actual"]), cents(r["Projected"]), r["Status"]) for r in profit] == [
        (Decimal("600.00"), Decimal("1860.00"), "at risk")
    ]
    # A sales user's report lists only their own targets.
    sam = Account(0, "sam", "sales")
    book = workbook_of(engine, Filters().for_account(sam), "targets", account=sam)
    assert [(r["Scope"], r["Key"]) for r in table(book["Revenue targets"], "Period")] == [
        ("User", "sam")
    ]
    assert table(book["Orders targets"], "Period") == []


def test_the_anomalies_report_lists_the_alerts_and_the_fired_kpi_alerts(engine):
    # tests/alerts/shop.py to Wed 13 March: the rule "Planes in France" (revenue of a week
    # below 1,000.00) fires on the week of 4 March at 400.00 + 400.00 = 800.00.
    seed_base(engine)
    seed_later(engine)
    add_rule(engine, PLANES_IN_FRANCE, MANAGER)
    check_rules(engine, today=TODAY)
    drivers = '[{"dimension": "product", "key": "=P1", "lost_cents": 30000}]'
    with engine.begin() as conn:
        conn.execute(insert(Alert), [alert_row(id=1), alert_row(id=2, day=TODAY, drivers=drivers)])
    book = workbook_of(engine, Filters(), "anomalies", account=MANAGER)
    assert book.sheetnames == ["Report", "Alerts", "KPI alerts"]
    assert labelled(book["Report"])["Section"] == "Anomalies"
    alerts = table(book["Alerts"], "Day")
    # alert_row: France, 200.00 against 800.00 expected, a 75 % drop; newest day first.
    assert [(r["Day"].date(), cents(r["Expected"]), cents(r["Actual"])) for r in alerts] == [
        (date(2024, 6, 5), Decimal("800.00"), Decimal("200.00")),
        (TODAY, Decimal("800.00"), Decimal("200.00")),
    ]
    assert alerts[0]["Drop"] == pytest.approx(0.75)
    assert alerts[1]["Drivers"] == "=P1 (product) -300.00"
    driver = next(
        c for row in book["Alerts"].iter_rows() for c in row if c.value == alerts[1]["Drivers"]
    )
    assert driver.data_type == "s"  # a key starting with = stays text
    [fired] = table(book["KPI alerts"], "Period start")
    assert (fired["Period start"].date(), fired["Period end"].date()) == (
        date(2024, 3, 4),
        date(2024, 3, 10),
    )
    assert fired["Rule"] == "Planes in France"
    assert fired["Status"] == "open"
    assert fired["Note"] == "fired on 2024-03-20: $800.00, below $1,000.00"
    # A sales user's report holds no whole-business alerts, and says why.
    sam = Account(0, "sam", "sales")
    book = workbook_of(engine, Filters().for_account(sam), "anomalies", account=sam)
    assert book.sheetnames == ["Report"]
    assert labelled(book["Report"])["Note"].startswith("Alerts watch the whole business")


def test_the_forecast_report_holds_the_reorder_list_and_says_why_no_forecast(tiny_engine):
    # tests/tiny.py sells on a handful of days between 12 Jan 2023 and 5 Feb 2024; its last
    # week holds one sale, O4's 99.99 on Monday 5 Feb. The seasonal naive forecast repeats that
    # week over the 30 days from 6 Feb: 99.99 on the Mondays 12, 19, 26 Feb and 4 Mar, 0.00 on
    # the 26 other days.
    # tests/tiny.py: the data ends 5 Feb 2024, so the 28-day window is 9 Jan - 5 Feb.
    # CAR: O1 2 + O4 1 = 3 units (O3 cancelled), 3 / 28 = 0.107 -> 0.11 a day, 100 in stock:
    # 100 / (3 / 28) = 933.3 days of cover. BIKE: O1 1 + O2 3 = 4 units, 4 / 28 = 0.14 a day,
    # 100 / (4 / 28) = 700.0 days. Both OK, the shorter cover first.
    book = workbook_of(tiny_engine, Filters(), "forecast", account=MANAGER)
    assert book.sheetnames == ["Report", "Forecast", "Reorder"]
    assert labelled(book["Report"])["Section"] == "Forecast & inventory"
    rows = table(book["Reorder"], "SKU")
    assert [
        (r["SKU"], r["Stock"], r["Units sold in the window"], r["Days of cover"], r["Status"])
        for r in rows
    ] == [("BIKE", 100, 4, 700.0, "OK"), ("CAR", 100, 3, 933.3, "OK")]
    assert rows[1]["Avg units a day"] == pytest.approx(0.11)
    # Last sales: BIKE O2 15 Jan, CAR O4 5 Feb, as day cells (the PDF prints them as days).
    assert [r["Last sale"].date() for r in rows] == [date(2024, 1, 15), date(2024, 2, 5)]
    with tiny_engine.connect() as conn:
        report = view_report(conn, Filters(), section="forecast", account=MANAGER)
    assert "5 Feb 2024" in page_html(report, 1000)
    forecast = table(book["Forecast"], "Day")
    assert (len(forecast), forecast[0]["Day"].date()) == (30, date(2024, 2, 6))
    mondays = [r["Day"].date() for r in forecast if cents(r["Forecast"]) == Decimal("99.99")]
    assert mondays == [date(2024, 2, 12), date(2024, 2, 19), date(2024, 2, 26), date(2024, 3, 4)]
    assert sum(cents(r["Forecast"]) == Decimal("0.00") for r in forecast) == 26
    # A sales user's report has no whole-business stock, and says why.
    sam = Account(0, "sam", "sales")
    book = workbook_of(tiny_engine, Filters().for_account(sam), "forecast", account=sam)
    assert book.sheetnames == ["Report", "Forecast"]
    assert labelled(book["Report"])["Note"].startswith("The reorder list covers the whole")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def weekly_engine(request, tmp_path_factory):
    from tests.browser.forecast_data import seed_forecast_data

    with seeded_engine(request.param, tmp_path_factory.mktemp("fc"), seed_forecast_data) as eng:
        yield eng


def test_the_forecast_sheet_is_the_pages_first_look(weekly_engine):
    """tests/browser/forecast_data.py, category Bikes: BIKE sells m to France and 2m to the
    USA at 100.00, m = 2 on weekdays, 3 on Saturday, 1 on Sunday, every day of 120 (no drop,
    no new product): 600.00, 900.00, 300.00 a week apart, exactly. The backtest of the exactly
    weekly series picks seasonal naive (zero error; ties go to the simplest), so the 30 days
    after Fri 28 June 2024 repeat the last week: Sat 29 June 900.00, Sun 30 June 300.00,
    Mon 1 July 600.00, ..., and the same week again up to Sun 28 July."""
    book = workbook_of(weekly_engine, Filters(categories=("Bikes",)), "forecast", account=MANAGER)
    rows = table(book["Forecast"], "Day")
    assert "Seasonal naive (picked by backtest)" in book["Forecast"]["A2"].value
    assert len(rows) == 30
    assert [r["Day"].date() for r in rows[:3]] == [
        date(2024, 6, 29),
        date(2024, 6, 30),
        date(2024, 7, 1),
    ]
    assert [cents(r["Forecast"]) for r in rows[:3]] == [
        Decimal("900.00"),
        Decimal("300.00"),
        Decimal("600.00"),
    ]
    assert rows[-1]["Day"].date() == date(2024, 7, 28)  # a Sunday
    assert cents(rows[-1]["Forecast"]) == Decimal("300.00")
    assert all(cents(r["Low"]) <= cents(r["Forecast"]) <= cents(r["High"]) for r in rows)
