"""Admin › Import in the browser, as a user works: two files uploaded at once, the date question
answered in the mapping step, a dry run, the import, then a corrected re-export that updates.

The database starts with tests/tiny.py's six orders (O1..O6; products CAR "Car A" and BIKE
"Bike B"). The files, worked out by hand:

eu-orders.csv, dates 03/04/2024 and 05/04/2024: no day is over 12, so the page must ask
whether they are day-first; answered "dd/mm/yyyy" (3 and 5 April).
  E1  Delta  1 x CAR  @100.00 = 100.00
  E2  Delta  2 x BIKE @ 50.00 = 100.00  +  1 x CAR @100.00 = 100.00   (two lines)
us-orders.csv, ISO dates, no question:
  U1  Echo   1 x BIKE @ 50.00 =  50.00
  U2  Echo   2 x CAR  @100.00 = 200.00
Dry run: 4 orders would be added (E1, E2, U1, U2; 5 lines), nothing written (6 orders stay).
Import: 4 added, 0 updated, 0 unchanged -> 10 orders.
us-orders.csv v2 changes U1 to 3 x BIKE = 150.00 and repeats U2 as it was:
  0 added, 1 updated (U1: total 50.00 -> 150.00), 1 unchanged (U2) -> still 10 orders.
"""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from dashapp.store.models import Order, OrderLine
from tests.browser.grid_page import click_when_clear
from tests.browser.test_admin import admin_app, click, open_admin, orders, sign_in, start

__all__ = ["admin_app"]  # the fixture, used by name

HEADER = "Order ID,Order Date,Customer,SKU,Product,Category,Quantity,Unit Price,Country,Status\n"
EU = (
    HEADER + "E1,03/04/2024,Delta,CAR,Car A,Classic Cars,1,100.00,France,Shipped\n"
    "E2,05/04/2024,Delta,BIKE,Bike B,Motorcycles,2,50.00,France,Shipped\n"
    "E2,05/04/2024,Delta,CAR,Car A,Classic Cars,1,100.00,France,Shipped\n"
)
US = (
    HEADER + "U1,2024-04-10,Echo,BIKE,Bike B,Motorcycles,1,50.00,USA,Shipped\n"
    "U2,2024-04-11,Echo,CAR,Car A,Classic Cars,2,100.00,USA,Shipped\n"
)
US_V2 = US.replace("Motorcycles,1,50.00", "Motorcycles,3,50.00")


def file_section(dash_duo, name: str):
    """The section of the uploaded file called `name`."""
    for section in dash_duo.find_elements(".import-file"):
        if section.find_element(By.CSS_SELECTOR, ".import-file-name").text == name:
            return section
    raise AssertionError(f"no section for {name}")


def totals(dash_duo, added: str, updated: str, unchanged: str) -> None:
    """Wait for the import's three totals to read these."""
    for key, expected in (("added", added), ("updated", updated), ("unchanged", unchanged)):
        dash_duo.wait_for_text_to_equal(f"#import-total-{key} .stat", expected, timeout=30)


def click_answer(dash_duo, name: str, answer: str) -> None:
    """Click the answer's label in the file's question, once nothing lies over it."""
    click_when_clear(
        dash_duo,
        lambda: file_section(dash_duo, name).find_element(
            By.XPATH, f".//label[contains(., '{answer}')]"
        ),
    )


def buttons_enabled(dash_duo) -> bool:
    return all(dash_duo.find_element(b).is_enabled() for b in ("#import-dry-run", "#import-run"))


def order_total(app, number: str) -> int:
    with app.engine.connect() as conn:
        return conn.execute(
            select(func.sum(OrderLine.amount_cents))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.order_number == number)
        ).scalar_one()


def test_imp001_two_files_a_question_a_dry_run_the_import_and_an_update(
    dash_duo, admin_app, tmp_path
):
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    eu, us, us_v2 = (
        tmp_path / "v1/eu-orders.csv",
        tmp_path / "v1/us-orders.csv",
        tmp_path / "v2/us-orders.csv",
    )
    eu.write_text(EU)
    us.write_text(US)
    us_v2.write_text(US_V2)
    start(dash_duo, admin_app)
    sign_in(dash_duo, "max")
    open_admin(dash_duo)

    upload = dash_duo.find_element("#import-upload input[type=file]")
    upload.send_keys(f"{eu}\n{us}")
    dash_duo.wait_for_text_to_equal("#import-received", "2 files received")
    dash_duo.wait_for_contains_text(".import-question", "day-first or month-first")
    # One question, in eu-orders.csv only; nothing can run before it is answered.
    assert len(dash_duo.find_elements(".import-question")) == 1
    assert "Ready" in file_section(dash_duo, "us-orders.csv").text
    assert not buttons_enabled(dash_duo)
    dash_duo.wait_for_text_to_equal(
        "#import-waiting", "1 file is waiting for an answer or a column above."
    )

    click_answer(dash_duo, "eu-orders.csv", "Day first: dd/mm/yyyy")
    WebDriverWait(dash_duo.driver, 20).until(
        lambda _: "Ready: 3 rows" in file_section(dash_duo, "eu-orders.csv").text
    )
    WebDriverWait(dash_duo.driver, 10).until(lambda _: buttons_enabled(dash_duo))

    click(dash_duo, "#import-dry-run")
    dash_duo.wait_for_text_to_equal("#import-outcome", "Dry run: nothing was written", timeout=30)
    totals(dash_duo, "4", "0", "0")  # E1, E2, U1, U2 would be added
    dash_duo.wait_for_contains_text(
        "#import-notes", "2 files · 5 rows read · 5 lines would be added"
    )
    assert orders(admin_app) == 6  # tiny.py's six, nothing written

    click(dash_duo, "#import-run")
    dash_duo.wait_for_text_to_equal("#import-outcome", "Import committed", timeout=30)
    totals(dash_duo, "4", "0", "0")
    dash_duo.wait_for_contains_text("#import-file-report-0", "Dates read as")
    assert orders(admin_app) == 10  # 6 + E1, E2, U1, U2
    assert order_total(admin_app, "U1") == 5000
    # The uploads are gone with the import: the page says so, and nothing is left to run.
    dash_duo.wait_for_contains_text("#import-preview", "The files were imported")
    WebDriverWait(dash_duo.driver, 10).until(lambda _: not buttons_enabled(dash_duo))

    # The corrected re-export of one file: no question (ISO dates), U1 updated, U2 unchanged.
    # Chrome adds files sent to a multiple input to the ones it holds: empty it first, as a
    # new choice in the file dialog does.
    dash_duo.driver.execute_script("arguments[0].value = ''", upload)
    upload.send_keys(str(us_v2))
    dash_duo.wait_for_text_to_equal("#import-received", "1 file received")
    WebDriverWait(dash_duo.driver, 20).until(
        lambda _: "Ready: 2 rows" in file_section(dash_duo, "us-orders.csv").text
    )
    WebDriverWait(dash_duo.driver, 10).until(lambda _: buttons_enabled(dash_duo))
    click(dash_duo, "#import-run")
    dash_duo.wait_for_text_to_equal("#import-outcome", "Import committed", timeout=30)
    totals(dash_duo, "0", "1", "1")
    dash_duo.wait_for_text_to_equal("#import-changes-0", "U1: total 50.00 -> 150.00")
    assert orders(admin_app) == 10
    assert order_total(admin_app, "U1") == 15000  # 3 x 50.00
    assert dash_duo.get_logs() == []
