"""Page pieces the sections share, so that a field, a dialog, a message or a card looks and
behaves the same wherever it appears."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from dashapp.validation import ValidationError

# One row at a time, selected by a click anywhere on it (no checkbox column).
SINGLE_ROW = {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True}
HIDDEN = {"display": "none"}
ADMIN_CARD = "chart-card admin-card"  # a card on one of the admin tabs
PAGED = {"pagination": True, "paginationPageSize": 20}  # a grid's rows, 20 to a page
# A list of alerts (anomalies, KPI alerts): one selected at a time, as tall as its page of
# rows, a truncated cell's tooltip after 300 ms.
ALERT_LIST = {
    "rowSelection": SINGLE_ROW,
    "animateRows": False,
    "domLayout": "autoHeight",
    "tooltipShowDelay": 300,
    **PAGED,
}


def labelled(
    label: str, control, class_name: str = "filter-field", html_for: str = "", **props
) -> html.Div:
    """A control under a small label, as in the filter panel (`html_for` ties the two for a
    screen reader when the control has an id; `props` adds the field's own id or style)."""
    target = {"htmlFor": html_for} if html_for else {}
    return html.Div(
        [html.Label(label, className="filter-label", **target), control],
        className=class_name,
        **props,
    )


def tool_field(
    label: str, control, html_for: str | None = None, class_name: str = "fc-field"
) -> html.Div:
    """A field in the row of controls of a tool card (a check, a rule, a digest), its label tied
    to the control's id, or to `html_for` when the control is a group around the input."""
    return labelled(label, control, class_name, control.id if html_for is None else html_for)


def form_field(label: str, control, class_name: str = "filter-field") -> html.Div:
    """A form control under its Bootstrap label, which points at the control's id."""
    return html.Div([dbc.Label(label, html_for=control.id), control], className=class_name)


def checked_field(
    label: str, control, error_id: dict, class_name: str = "order-field", **error_props
) -> html.Div:
    """A form control with a message slot under it, filled when the server refuses the value."""
    return html.Div(
        [
            html.Label(label, className="form-label small fw-semibold"),
            control,
            html.Div(id=error_id, className="field-error", **error_props),
        ],
        className=class_name,
    )


def choice_buttons(id_: str, options: dict[str, str], value: str, **props) -> dbc.RadioItems:
    """One choice of a few, as a group of small outlined buttons, the chosen one filled
    (`options` maps each value to its label; `class_name` replaces "btn-group")."""
    return dbc.RadioItems(
        id=id_,
        value=value,
        inline=True,
        options=[{"label": label, "value": key} for key, label in options.items()],
        input_class_name="btn-check",
        label_class_name="btn btn-outline-primary btn-sm",
        label_checked_class_name="active",
        **{"class_name": "btn-group", **props},
    )


def number_field(
    id_: str, unit: str, low: int, high: int, value: int, class_name: str, **props
) -> dbc.InputGroup:
    """A whole number from `low` to `high`, with its unit beside it; sent when the field is left
    or Enter is pressed (debounce), not at each keystroke."""
    return dbc.InputGroup(
        [
            dbc.Input(
                id=id_,
                type="number",
                min=low,
                max=high,
                step=1,
                value=value,
                debounce=True,
                **props,
            ),
            dbc.InputGroupText(unit),
        ],
        size="sm",
        className=class_name,
    )


def filled_grid(
    grid_id: str,
    columns: list[dict],
    row_id: str,
    default_column: dict,
    options: dict,
    empty: str = "",
    **props,
) -> dag.AgGrid:
    """A grid whose rows a callback fills (none in the layout), each known by `row_id` (AG
    Grid's getRowId); `empty`, the plain text shown without rows (localeText, not an HTML
    overlay template)."""
    if empty:
        options = {**options, "localeText": {"noRowsToShow": empty}}
    return dag.AgGrid(
        id=grid_id,
        columnDefs=columns,
        rowData=[],
        getRowId=row_id,
        defaultColDef=default_column,
        dashGridOptions=options,
        **props,
    )


def secondary_button(label, id_: str, **props) -> dbc.Button:
    """A step aside (back, cancel, reset, a second action): outlined grey."""
    return dbc.Button(label, id=id_, color="secondary", outline=True, **props)


def dialog(modal_id: str, title, body: dbc.ModalBody, buttons, **props) -> dbc.Modal:
    """A closed dialog: its title (text, or a ModalTitle a callback fills), its body and the
    buttons at its foot, the way back first."""
    if not isinstance(title, dbc.ModalTitle):
        title = dbc.ModalTitle(title)
    return dbc.Modal(
        [dbc.ModalHeader(title), body, dbc.ModalFooter(buttons)],
        id=modal_id,
        is_open=False,
        **props,
    )


def titled_card(
    title: str, *body, title_class: str = "card-title", class_name: str = "chart-card"
) -> dbc.Card:
    """A card under a heading; an admin tab's cards add "admin-card"."""
    return dbc.Card(
        dbc.CardBody([html.H2(title, className=title_class), *body]), className=class_name
    )


def feedback(children, color: str = "success", **props) -> dbc.Alert:
    """What a button did, in the message slot beside it: green when it is done, red when
    nothing was; dismissable, flush with what follows (`props` adds an id or a duration)."""
    return dbc.Alert(
        children, **{"color": color, "dismissable": True, "className": "mb-0", **props}
    )


def refusal(text, **props) -> dbc.Alert:
    """A change the server turned down (the record is gone, the account may not): amber,
    nothing was changed."""
    return dbc.Alert(text, color="warning", **props)


def not_done(lead: str, exc: Exception, reason=lambda e: e.message) -> dbc.Alert:
    """Why a write was refused, in red under its `lead`: each problem of a ValidationError as
    an item (`reason` words one FieldError), or another error's own text."""
    if isinstance(exc, ValidationError):
        items = [html.Li(reason(e)) for e in exc.errors]
        body = [html.Strong(lead), html.Ul(items, className="mb-0 mt-1")]
    else:
        body = [html.Strong(lead), " ", str(exc)]
    return feedback(body, "danger")


def background_run(label: str, button_id: str, progress_id: str, **props) -> html.Div:
    """The button that starts a background job, and beside it a spinner with the job's progress
    (the callback's `running` shows "<progress_id>-wrap" while the job runs)."""
    return html.Div(
        [
            dbc.Button(label, id=button_id, color="primary", size="sm"),
            html.Span(
                [dbc.Spinner(size="sm", spinner_class_name="me-2"), html.Span(id=progress_id)],
                id=progress_id + "-wrap",
                className="fc-progress",
                style=HIDDEN,
                **{"aria-live": "polite"},
            ),
        ],
        className="d-flex align-items-center gap-2 fc-run",
        **props,
    )


def row_button(label: str, id_: str, color: str, **props) -> dbc.Button:
    """A small button that acts on the selected row: disabled until a row is selected."""
    return dbc.Button(label, id=id_, size="sm", color=color, disabled=True, **props)
