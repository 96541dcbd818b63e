"""The audit log reads as the fields that changed, not raw JSON (issue 18, item 13)."""

import json

from dashapp.ui.admin.audit import changed_fields, changes_text

CAR = {"sku": "CAR", "name": "Car A", "list_price": "12.00", "stock_on_hand": 40, "active": True}


def test_an_update_lists_only_the_fields_that_changed():
    after = CAR | {"list_price": "13.50", "stock_on_hand": 16193, "active": False}
    assert changed_fields(json.dumps(CAR), json.dumps(after)) == [
        "price: 12.00 → 13.50",
        "stock: 40 → 16,193",
        "active: yes → no",
    ]
    assert changes_text(json.dumps(CAR), json.dumps(after)) == (
        "price: 12.00 → 13.50 · stock: 40 → 16,193 · active: yes → no"
    )


def test_an_order_edit_names_the_line_and_a_line_added():
    before = {"status": "Pending", "lines": [{"quantity": 1, "unit_price": "5.00"}]}
    after = {
        "status": "Shipped",
        "lines": [{"quantity": 3, "unit_price": "5.00"}, {"quantity": 1, "unit_price": "2.00"}],
    }
    assert changed_fields(json.dumps(before), json.dumps(after)) == [
        "status: Pending → Shipped",
        "line 1 quantity: 1 → 3",
        "line 2 quantity: added 1",
        "line 2 unit price: added 2.00",
    ]


def test_a_created_record_lists_what_it_holds_and_nothing_changed_says_so():
    assert changed_fields(None, json.dumps({"sku": "VAN", "cost": None})) == ["SKU: VAN"]
    assert changed_fields(json.dumps(CAR), None)[:2] == ["SKU: CAR", "name: Car A"]
    assert changes_text(json.dumps(CAR), json.dumps(CAR)) == "no field changed"
    assert changes_text(None, None) == ""


def test_text_that_is_not_json_is_shown_as_it_is():
    assert changed_fields(None, "<b>raw</b>") == ["value: <b>raw</b>"]
