"""The shared page pieces (dashapp.ui.parts, dashapp.ui.server_grid) and callback triggers
(dashapp.ui.triggers): what each builds, checked on the component or the callback table."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest
from dash import Dash, Output, State, html
from dash.exceptions import PreventUpdate

from dashapp.ui import ids
from dashapp.ui.parts import dialog, feedback, form_field, labelled, refusal, row_button
from dashapp.ui.server_grid import infinite_grid, requested_rows, rows_answer
from dashapp.ui.triggers import on_click, on_refresh, on_selection, wrote
from dashapp.web.access import PERMISSIONS_KEY


def props(component) -> dict:
    return component.to_plotly_json()["props"]


def test_a_label_names_its_control_only_when_told_which():
    tied = labelled("Rows", html.Span(id="rows"), "pivot-control", "rows")
    loose = labelled("User", html.Span(), "filter-field")
    assert props(tied)["className"] == "pivot-control"
    assert props(props(tied)["children"][0]) == {
        "children": "Rows",
        "className": "filter-label",
        "htmlFor": "rows",
    }
    assert "htmlFor" not in props(props(loose)["children"][0])


def test_a_form_field_label_points_at_the_control():
    label, control = props(form_field("Role", dbc.Select(id="role")))["children"]
    assert props(label)["html_for"] == "role"
    assert props(control)["id"] == "role"


def test_feedback_is_a_dismissable_alert_flush_with_what_follows():
    assert props(feedback("Saved.")) == {
        "children": "Saved.",
        "color": "success",
        "dismissable": True,
        "className": "mb-0",
    }
    edit = props(feedback("Saved.", duration=6000, className="mb-0 py-2 grid-saved"))
    assert (edit["className"], edit["duration"]) == ("mb-0 py-2 grid-saved", 6000)
    assert props(refusal("Gone.", id="x")) == {"children": "Gone.", "color": "warning", "id": "x"}


def test_a_dialog_starts_closed_with_its_title_body_and_buttons():
    back = dbc.Button("Back", id="back")
    modal = dialog("m", "Sure?", dbc.ModalBody(id="body"), [back], centered=True)
    p = props(modal)
    assert (p["id"], p["is_open"], p["centered"]) == ("m", False, True)
    header, body, footer = p["children"]
    assert props(props(header)["children"])["children"] == "Sure?"
    assert props(body)["id"] == "body"
    assert props(footer)["children"] == [back]
    filled = dbc.ModalTitle(id="title")
    assert props(dialog("m", filled, dbc.ModalBody(), []))["children"][0].children is filled


def test_a_row_button_waits_for_a_selected_row():
    assert props(row_button("Delete", "del", "danger", outline=True)) == {
        "children": "Delete",
        "id": "del",
        "size": "sm",
        "color": "danger",
        "disabled": True,
        "outline": True,
    }


def test_the_grid_asks_for_a_block_and_is_answered_with_rows_and_a_count():
    assert requested_rows({"startRow": 100, "endRow": 200}, 100) == (100, 200)
    assert requested_rows({"startRow": None}, 50) == (0, 50)
    with pytest.raises(PreventUpdate):
        requested_rows(None, 100)
    assert rows_answer([{"id": "1"}], 7) == {"rowData": [{"id": "1"}], "rowCount": 7}
    grid = props(infinite_grid("g", [], 100, {"sortable": True}, {"rowBuffer": 0}))
    assert grid["rowModelType"] == "infinite"
    assert grid["dashGridOptions"]["cacheBlockSize"] == 100
    assert grid["dashGridOptions"]["rowBuffer"] == 0
    assert grid["dashGridOptions"]["rowSelection"]["mode"] == "singleRow"


def callback(app: Dash, output: str) -> dict:
    return next(c for c in app._callback_list if c["output"] == output)


def test_a_click_runs_its_callback_guarded_never_on_the_first_draw():
    app = Dash(__name__)

    @on_click(app, "users:manage", ["a", "b"], [Output("msg", "children")], [State("f", "value")])
    def clicked(_a, _b, _f):
        return ""

    @on_click(app, None, "open", [Output("modal", "is_open")])
    def opened(_clicks):
        return True

    c = callback(app, "msg.children")
    assert [(i["id"], i["property"]) for i in c["inputs"]] == [("a", "n_clicks"), ("b", "n_clicks")]
    assert [(s["id"], s["property"]) for s in c["state"]] == [("f", "value")]
    assert c["prevent_initial_call"] is True
    assert callback(app, "modal.is_open")["prevent_initial_call"] is True
    assert app.server.config[PERMISSIONS_KEY] == {"msg.children": "users:manage"}


def test_reads_ask_again_on_the_refresh_token_and_selections_on_the_selected_row():
    app = Dash(__name__)

    @on_refresh(app, "view:all", [Output("grid", "rowData")], [], [State("s", "value")])
    def rows(_token, _s):
        return []

    @on_selection(app, None, "grid", [Output("detail", "children")])
    def detail(_selected):
        return None

    read = callback(app, "grid.rowData")
    assert [i["id"] for i in read["inputs"]] == [ids.REFRESH_TOKEN]
    assert [s["id"] for s in read["state"]] == ["s"]
    chosen = callback(app, "detail.children")["inputs"]
    assert [(i["id"], i["property"]) for i in chosen] == [("grid", "selectedRows")]


def test_a_write_answers_with_its_message_and_a_new_refresh_token():
    message, token = wrote("msg")
    assert (message.component_id, message.component_property) == ("msg", "children")
    assert (token.component_id, token.component_property) == (ids.REFRESH_TOKEN, "data")
    assert message.allow_duplicate and token.allow_duplicate
