"""The page pieces issue 16 gathered in dashapp.ui.parts (a filled grid, a row of choice
buttons, a number with its unit), checked on the components they build."""

from __future__ import annotations

from dashapp.ui.parts import PAGED, choice_buttons, filled_grid, labelled, number_field


def props(component) -> dict:
    return component.to_plotly_json()["props"]


def test_a_filled_grid_starts_empty_and_says_so_in_plain_text():
    grid = props(
        filled_grid(
            "g", [{"field": "a"}], "params.data.a", {"sortable": True}, PAGED, empty="None yet"
        )
    )
    assert grid["rowData"] == []
    assert grid["getRowId"] == "params.data.a"
    assert grid["defaultColDef"] == {"sortable": True}
    assert grid["dashGridOptions"] == {
        "pagination": True,
        "paginationPageSize": 20,
        "localeText": {"noRowsToShow": "None yet"},
    }
    assert PAGED == {"pagination": True, "paginationPageSize": 20}  # left as it was
    bare = props(filled_grid("h", [], "params.data.id", {}, {"domLayout": "autoHeight"}))
    assert bare["dashGridOptions"] == {"domLayout": "autoHeight"}


def test_choice_buttons_keep_the_order_given_and_a_group_class():
    radio = props(choice_buttons("by", {"revenue": "Revenue", "units": "Units"}, "units"))
    assert radio["options"] == [
        {"label": "Revenue", "value": "revenue"},
        {"label": "Units", "value": "units"},
    ]
    assert (radio["value"], radio["class_name"]) == ("units", "btn-group")
    assert radio["input_class_name"] == "btn-check"
    wide = props(choice_buttons("g", {"month": "Month"}, "month", class_name="btn-group x"))
    assert wide["class_name"] == "btn-group x"


def test_a_number_field_is_whole_bounded_and_shows_its_unit():
    group = props(number_field("days", "days", 7, 365, 30, "fc-horizon", required=True))
    number, unit = group["children"]
    assert props(number) == {
        "id": "days",
        "type": "number",
        "min": 7,
        "max": 365,
        "step": 1,
        "value": 30,
        "debounce": True,
        "required": True,
    }
    assert props(unit)["children"] == "days"
    assert (group["size"], group["className"]) == ("sm", "fc-horizon")


def test_a_labelled_field_can_carry_its_own_id_and_style():
    field = props(labelled("Category", None, "fc-field", "cat", id="cat-field", style={"x": 1}))
    assert (field["id"], field["style"], field["className"]) == ("cat-field", {"x": 1}, "fc-field")
