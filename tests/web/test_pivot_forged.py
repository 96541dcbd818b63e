"""The pivot's callback, forged from the table the server publishes: a dimension or measure
the page never offers gets the pivot's own refusal in the caption (no 500, no table), and a
sales user's pivot counts only the orders that user entered (SPEC §6), whatever is posted.

tiny.py: revenue per product line, cancelled O3 excluded: Classic Cars O1 200.00 + O4 99.99 +
O6 100.00 = 399.99; Motorcycles O1 50.00 + O2 135.00 + O5 100.00 = 285.00.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from dashapp.store.models import Order
from dashapp.ui import ids
from tests.sites import signed_in_client, tiny_site
from tests.web.forge import forge

PASSWORD = "mild tangerine"
TRIGGER = f"{ids.PIVOT_MEASURE}.value"
OUTPUT = f"{ids.PIVOT_CAPTION}.children"


@pytest.fixture
def site(new_engine):
    users = [("vera", "viewer", PASSWORD), ("sam", "sales", PASSWORD)]
    app = tiny_site(new_engine("pivot-forged"), users=users)
    with app.engine.begin() as conn:  # sam entered O2 (Motorcycles, 135.00) only
        conn.execute(update(Order).where(Order.order_number == "O2").values(created_by="sam"))
    return app


def _pivot(app, user, rows, columns, measure):
    client = signed_in_client(app, user, PASSWORD)
    values = {
        f"{ids.VIEW}.data": {"filters": "", "granularity": "month"},
        f"{ids.PIVOT_ROWS}.value": rows,
        f"{ids.PIVOT_COLUMNS}.value": columns,
    }
    return forge(client, TRIGGER, values, output=OUTPUT, trigger_value=measure)


def _answer(response) -> dict:
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def test_a_viewer_sees_every_order(site):
    answer = _answer(_pivot(site, "vera", "category", "none", "revenue"))
    grid = answer[ids.PIVOT_GRID]
    assert [(r["m0"], r["m1"]) for r in grid["rowData"]] == [
        ("Classic Cars", 399.99),
        ("Motorcycles", 285.0),
    ]
    assert grid["dashGridOptions"]["pinnedBottomRowData"] == [{"m0": "Total", "m1": 684.99}]


def test_a_sales_user_pivots_only_their_own_orders(site):
    answer = _answer(_pivot(site, "sam", "category", "none", "revenue"))
    grid = answer[ids.PIVOT_GRID]
    assert [(r["m0"], r["m1"]) for r in grid["rowData"]] == [("Motorcycles", 135.0)]


@pytest.mark.parametrize(
    ("rows", "columns", "measure", "message"),
    [
        ("planet", "none", "revenue", "Unknown row dimension 'planet'"),
        ("category", "<script>", "revenue", "Unknown column dimension '<script>'"),
        ("category", "category", "revenue", "Rows and columns are the same dimension"),
        ("category", "none", "=HYPERLINK(1)", "Unknown measure '=HYPERLINK(1)'"),
    ],
)
def test_a_forged_choice_is_refused_in_words(site, rows, columns, measure, message):
    answer = _answer(_pivot(site, "vera", rows, columns, measure))
    assert answer[ids.PIVOT_CAPTION]["children"].startswith(message)
    assert answer[ids.PIVOT_GRID]["rowData"] == []
