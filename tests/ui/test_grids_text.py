"""How the grids and their messages word counts, rows and edits (issue 18, items 4, 7 and 8):
thousands separators, plurals, no Python None, the row a message is about, and the customer
picker telling apart customers of the same name."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashapp.analytics.forecasting import ForecastResult
from dashapp.backup import BackupInfo
from dashapp.filters import Filters
from dashapp.ui.admin.backup import _describe
from dashapp.ui.catalog import CUSTOMERS, PRODUCTS, as_stored, new_name_hint, saved_text
from dashapp.ui.counts import counted
from dashapp.ui.forecast import fitted_filters, forecast_caption, reorder_caption
from dashapp.ui.orders.entry import customer_label


@pytest.mark.parametrize(
    ("n", "noun", "plural", "text"),
    [
        (0, "user", None, "0 users"),
        (1, "user", None, "1 user"),
        (16193, "product", None, "16,193 products"),
        (1, "category", "categories", "1 category"),
        (2, "category", "categories", "2 categories"),
    ],
)
def test_counted_separates_thousands_and_agrees_in_number(n, noun, plural, text):
    assert counted(n, noun, plural) == text


def test_a_backup_with_one_user_says_one_user():
    info = BackupInfo(
        path=None,
        kind="sqlite",
        revision="abc",
        counts={"orders": 1, "customers": 16193, "products": 2, "users": 1},
        size=2048,
    )
    paragraph = _describe(info, "b.sqlite")[1]
    assert paragraph.children == "It holds 1 order, 16,193 customers, 2 products and 1 user."


def test_reorder_caption_counts_with_separators():
    assert reorder_caption(1, 0).startswith("1 active product · ")
    text = reorder_caption(16193, 1200)
    assert text.startswith("16,193 active products · ")
    assert "· 1,200 urgent ·" in text


def _result(days: int) -> ForecastResult:
    history = pd.Series(
        [1.0] * days, index=pd.date_range("2024-01-01", periods=days, freq="D"), name="revenue"
    )
    future = pd.Series([1.0] * 30, index=pd.date_range("2025-01-01", periods=30, freq="D"))
    return ForecastResult(history, future, future, future, "ets", 0.8, (), None)


def test_forecast_caption_names_the_fitted_days_not_all_time():
    result = _result(200)
    # 200 days from 1 Jan 2024: the last is 1 Jan + 199 days = 18 Jul 2024 (leap year: Jan 31,
    # Feb 29, Mar 31, Apr 30, May 31, Jun 30 = 182 days to 1 Jul, +17 = 18 Jul).
    f = fitted_filters(Filters(), result.history)
    assert (f.start, f.end) == (date(2024, 1, 1), date(2024, 7, 18))
    caption = forecast_caption(result, "1 Jan 2024 – 18 Jul 2024")
    assert caption.startswith("Daily revenue: the last 180 days of history and a 30-day ")
    assert caption.endswith("· fitted on 1 Jan 2024 – 18 Jul 2024")
    # Shorter than the chart's window: the days there are, not 180.
    assert "the last 90 days of history" in forecast_caption(_result(90), "x")


def test_dates_the_user_chose_are_kept():
    chosen = Filters(start=date(2024, 3, 1), end=date(2024, 3, 31))
    history = _result(31).history
    kept = fitted_filters(chosen, history)
    assert (kept.start, kept.end) == (date(2024, 1, 1), date(2024, 1, 31))  # the series' days
    assert fitted_filters(chosen, history.iloc[:0]) == chosen  # nothing fitted: unchanged


def test_customers_of_the_same_name_read_differently():
    rows = [
        {
            "id": 52,
            "name": "Stewart Classics Inc.",
            "city": "Boston",
            "country": "USA",
            "email": "ann@stewart.com",
        },
        {
            "id": 53,
            "name": "Stewart Classics Inc.",
            "city": "Seattle",
            "country": "USA",
            "email": None,
        },
        {"id": 54, "name": "Stewart Classics Inc.", "city": None, "country": "USA", "email": None},
    ]
    assert [customer_label(r) for r in rows] == [
        "Stewart Classics Inc. · Boston, USA · ann@stewart.com",
        "Stewart Classics Inc. · Seattle, USA · #53",
        "Stewart Classics Inc. · USA · #54",
    ]


def test_a_customer_not_added_yet_is_never_customer_none():
    assert CUSTOMERS.row_name({"name": "Other"}) == "New customer (Other)"
    assert CUSTOMERS.row_name({"id": 4, "name": ""}) == "Customer #4 (no name)"
    assert PRODUCTS.row_name({"sku": " "}) == "The new product"


def test_a_refused_sku_change_names_the_row_being_edited():
    # Product BIKE renamed to CAR's SKU: the message is about BIKE, the row being edited.
    change = {"colId": "sku", "oldValue": "BIKE", "value": "car", "data": {"id": 2, "sku": "car"}}
    assert PRODUCTS.row_name(as_stored(change)) == "SKU BIKE"


@pytest.mark.parametrize(
    ("field", "old", "new", "text"),
    [
        ("list_price", 12, 13.5, "Saved: SKU CAR, price 12.00 → 13.50"),
        ("stock_on_hand", 16193, 16000, "Saved: SKU CAR, stock 16,193 → 16,000"),
        ("active", True, False, "Saved: SKU CAR, active yes → no"),
        ("cost", None, "2.5", "Saved: SKU CAR, cost empty → 2.50"),
        ("sku", "CAR", "CAR-2", "Saved: SKU CAR, sku CAR → CAR-2"),
    ],
)
def test_a_saved_edit_says_what_changed(field, old, new, text):
    change = {
        "colId": field,
        "oldValue": old,
        "value": new,
        "data": {"id": 1, "sku": "CAR", field: new},
    }
    assert saved_text(PRODUCTS, change) == text


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("classic cars", "Classic Cars exists already: it will be used."),
        (
            "Clasic Cars",
            "Close to Classic Cars: check the spelling, or pick Classic Cars from the list.",
        ),
        ("Trucks", "Trucks will be added."),
    ],
)
def test_the_new_category_dialog_warns_of_a_near_typo_before_saving(typed, text):
    assert new_name_hint(typed, ["Classic Cars", "Motorcycles"]) == text


def test_the_add_form_passes_the_new_category_tick_to_the_domain():
    typed = {"sku": "VAN", "name": "Van", "category": "Trucks", "list_price": "1"}
    assert PRODUCTS.to_draft(typed | {"new_category": True}).new_category is True
    assert PRODUCTS.to_draft(typed).new_category is False  # not ticked: must be known
