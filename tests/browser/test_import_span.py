"""The upload's warning when the file lies years from the stored orders (issue 18 item 2)."""

from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_admin import admin_app, click, open_admin, sign_in, start  # noqa: F401
from tests.browser.test_import_upload import buttons_enabled


def test_imp_span001_a_file_years_before_the_data_is_imported_with_a_warning(
    dash_duo,
    admin_app,  # noqa: F811
    tmp_path,
):
    old = tmp_path / "old-orders.csv"
    old.write_text(
        "Order ID,Order Date,Customer,SKU,Quantity,Amount\nX1,2005-05-31,Acme,P1,1,10.00\n"
    )
    start(dash_duo, admin_app)
    sign_in(dash_duo, "max")
    open_admin(dash_duo)
    dash_duo.find_element("#import-upload input[type=file]").send_keys(str(old))
    dash_duo.wait_for_text_to_equal("#import-received", "1 file received")
    WebDriverWait(dash_duo.driver, 20).until(lambda _: buttons_enabled(dash_duo))
    click(dash_duo, "#import-run")
    dash_duo.wait_for_text_to_equal("#import-outcome", "Import committed", timeout=30)
    # tests/tiny.py's orders start on 12 Jan 2023: Jun 2005 .. Dec 2022 are empty, 17 y 7 m.
    dash_duo.wait_for_contains_text(
        ".import-span",
        "The imported orders are 17 years 7 months away from the other orders: none from "
        "Jun 2005 to Dec 2022.",
    )
    assert dash_duo.get_logs() == []
