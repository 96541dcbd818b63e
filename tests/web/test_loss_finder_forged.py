"""The loss finder's and the drill panel's callbacks, forged from the table the server publishes
(issue 19 items 4 and 5): a level, threshold or cell the page never offers gets a message (no
500, no rows), a sales user's numbers count only the orders that user entered (SPEC §6)
whatever is posted, and a name with markup stays text.

The loss shop (tests/loss_shop.py), March: DESK loses 300.00 - 340.00 = -40.00 (L2 -30.00 by
sam, L3 -10.00), STOOL -10.00. Furniture: L1, L2, L3, L5 = 4 orders, 670.00; sam's: L2 alone.
"""

from __future__ import annotations

import json

import pytest

from dashapp.ui import ids
from tests.loss_shop import seed_loss_shop
from tests.sites import signed_in_client, site
from tests.web.forge import forge

PASSWORD = "mild tangerine"
MARCH_VIEW = {"filters": "start=2024-03-01&end=2024-03-31", "granularity": "month"}


@pytest.fixture
def app(new_engine):
    users = [("vera", "viewer", PASSWORD), ("sam", "sales", PASSWORD)]
    return site(new_engine("loss-finder"), users=users, seed=seed_loss_shop)


def text(answer) -> str:
    """An answer's JSON as a person reads it (no \\u escapes)."""
    return json.dumps(answer, ensure_ascii=False)


def _answer(response) -> dict:
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def _losses(app, user, level="product", threshold=0):
    client = signed_in_client(app, user, PASSWORD)
    values = {f"{ids.VIEW}.data": MARCH_VIEW, f"{ids.LF_LEVEL}.value": level}
    response = forge(
        client,
        f"{ids.LF_THRESHOLD}.value",
        values,
        output=f"{ids.LF_CAPTION}.children",
        trigger_value=threshold,
    )
    return _answer(response)


def test_the_loss_makers_most_money_lost_first_with_names_as_text(app):
    answer = _losses(app, "vera")
    rows = answer[ids.LF_GRID]["rowData"]
    assert [(r["key"], r["label"], r["profit"]) for r in rows] == [
        ("DESK", "<b>Desk</b>", -40.0),
        ("STOOL", "Stool", -10.0),
    ]
    # AG Grid shows a value as text unless a column says otherwise: none of these does.
    assert "cellRenderer" not in text(answer)
    caption = answer[ids.LF_CAPTION]["children"]
    assert caption.startswith("2 products losing money · $50.00 lost")


def test_a_sales_user_finds_losses_in_their_own_orders_only(app):
    rows = _losses(app, "sam")[ids.LF_GRID]["rowData"]
    assert [(r["key"], r["profit"], r["orders"]) for r in rows] == [("DESK", -30.0, 1)]


@pytest.mark.parametrize(
    "level, threshold, message",
    [
        ("<script>", 0, "Unknown level '<script>'"),
        ("product", 1e9, "Type a whole percent"),
        ("product", "abc", "Type a whole percent"),
        ("product", 2.5, "Type a whole percent"),
    ],
)
def test_a_forged_level_or_threshold_is_refused_in_words(app, level, threshold, message):
    answer = _losses(app, "vera", level, threshold)
    assert message in text(answer[ids.LF_MESSAGE])
    assert answer[ids.LF_GRID]["rowData"] == []


def _calendar_click(app, user, text):
    client = signed_in_client(app, user, PASSWORD)
    click = {"points": [{"x": "11 Mar", "y": "Mon", "text": text}]}
    response = forge(
        client,
        f"{ids.CALENDAR}.clickData",
        {f"{ids.VIEW}.data": MARCH_VIEW},
        output=f"{ids.DRILL_BODY}.children",
        matches={"xfilter": []},
        trigger_value=click,
    )
    return _answer(response)


def test_a_calendar_day_offers_its_orders_counted_for_the_account(app):
    # 11 March: L2 (140.00), entered by sam; 4 March: L1 (300.00), not sam's.
    answer = _calendar_click(app, "vera", "Mon 11 Mar 2024")
    assert "1 order · $140.00" in text(answer[ids.DRILL_BODY])
    assert answer[ids.DRILL_TARGET]["data"] == "/orders?start=2024-03-11&end=2024-03-11"
    sams = _calendar_click(app, "sam", "Mon 04 Mar 2024")
    assert "0 orders · $0.00" in text(sams[ids.DRILL_BODY])


def _pivot_click(app, user, cell, rows="category", columns="month", row_label="Furniture"):
    client = signed_in_client(app, user, PASSWORD)
    values = {
        f"{ids.VIEW}.data": MARCH_VIEW,
        f"{ids.PIVOT_GRID}.rowData": [{"m0": row_label}],
        f"{ids.PIVOT_GRID}.columnDefs": [
            {"field": "m0", "headerName": "Category"},
            {"field": "m1", "headerName": "2024-03"},
            {"field": "m2", "headerName": "Total"},
        ],
        f"{ids.PIVOT_ROWS}.value": rows,
        f"{ids.PIVOT_COLUMNS}.value": columns,
    }
    return forge(
        client,
        f"{ids.PIVOT_GRID}.cellClicked",
        values,
        output=f"{ids.DRILL_BODY}.children",
        trigger_value=cell,
    )


def test_a_pivot_cell_counts_the_orders_behind_it(app):
    answer = _answer(_pivot_click(app, "vera", {"colId": "m1", "rowId": "0"}))
    body = text(answer[ids.DRILL_BODY])
    assert "Category: Furniture · March 2024" in body
    assert "4 orders · $670.00" in body
    sams = _answer(_pivot_click(app, "sam", {"colId": "m1", "rowId": "0"}))
    assert "1 order · $140.00" in text(sams[ids.DRILL_BODY])


@pytest.mark.parametrize(
    "cell, columns, row_label, message",
    [
        ({"colId": "m1", "rowId": "0"}, "sku", "Furniture", "cannot be filtered by 'sku'"),
        ({"colId": "m0", "rowId": "0"}, "month", "(none)", "cannot be picked out"),
    ],
)
def test_a_forged_pivot_cell_gets_a_message_and_no_link(app, cell, columns, row_label, message):
    answer = _answer(_pivot_click(app, "vera", cell, columns=columns, row_label=row_label))
    assert message in text(answer[ids.DRILL_BODY])
    assert answer[ids.DRILL_TARGET]["data"] is None
    assert answer[ids.DRILL_LINK]["style"] == {"display": "none"}


@pytest.mark.parametrize("cell", [{"colId": "m1", "rowId": "999"}, {"colId": "zz"}, "junk"])
def test_a_cell_the_grid_does_not_have_changes_nothing(app, cell):
    assert _pivot_click(app, "vera", cell).status_code == 204


def test_no_cost_known_is_said_not_shown_as_no_loss(app):
    # The lamp alone (50.00 in March, no cost): nothing to work profit out from.
    client = signed_in_client(app, "vera", PASSWORD)
    view = {"filters": "start=2024-03-01&end=2024-03-31&product=LAMP", "granularity": "month"}
    answer = _answer(
        forge(
            client,
            f"{ids.LF_THRESHOLD}.value",
            {f"{ids.VIEW}.data": view, f"{ids.LF_LEVEL}.value": "product"},
            output=f"{ids.LF_CAPTION}.children",
            trigger_value=0,
        )
    )
    assert answer[ids.LF_CAPTION]["children"].startswith("No cost known")
    assert "No cost is known for the orders in view" in text(answer[ids.LF_MESSAGE])
    assert answer[ids.LF_GRID]["rowData"] == []
