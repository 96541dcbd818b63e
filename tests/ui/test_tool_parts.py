"""The pieces the tool cards and the write callbacks share (dashapp.ui.parts): a tool card's
field, and the red alert that says why a write was refused."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashapp.ui.parts import not_done, tool_field
from dashapp.validation import FieldError, InputError, ValidationError


def props(component) -> dict:
    return component.to_plotly_json()["props"]


def test_a_tool_field_ties_its_label_to_the_control_or_to_the_input_it_is_told():
    own = tool_field("Period", dbc.Select(id="period"))
    label, control = props(own)["children"]
    assert props(own)["className"] == "fc-field"
    assert props(label) == {"children": "Period", "className": "filter-label", "htmlFor": "period"}
    assert props(control)["id"] == "period"
    # An input group has no id of its own: the label points at the input inside it.
    group = dbc.InputGroup([dbc.Input(id="drop"), dbc.InputGroupText("%")])
    inner = tool_field("Drop", group, "drop", class_name="fc-field wide")
    assert props(inner)["className"] == "fc-field wide"
    assert props(props(inner)["children"][0])["htmlFor"] == "drop"


def test_a_refusal_lists_each_problem_under_its_lead():
    exc = ValidationError(
        [FieldError("amount", "must be more than 0"), FieldError("period", "is not a month", 2)]
    )
    alert = props(not_done("Not set.", exc))
    assert (alert["color"], alert["dismissable"], alert["className"]) == ("danger", True, "mb-0")
    lead, items = alert["children"]
    assert props(lead)["children"] == "Not set."
    assert [props(li)["children"] for li in props(items)["children"]] == [
        "must be more than 0",
        "is not a month",
    ]
    # Worded by the caller: the field's name before its problem, "line 3" for line index 2.
    worded = props(not_done("Not set.", exc, str))["children"][1]
    assert [props(li)["children"] for li in props(worded)["children"]] == [
        "amount: must be more than 0",
        "line 3, period: is not a month",
    ]


def test_another_refusal_says_its_own_text_after_the_lead():
    alert = props(not_done("Nothing changed.", InputError("Pick a rule first.")))
    lead, space, text = alert["children"]
    assert (props(lead)["children"], space, text) == ("Nothing changed.", " ", "Pick a rule first.")
    assert isinstance(alert["children"][0], html.Strong)
