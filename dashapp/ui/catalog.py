"""Products and Customers sections (issue 4): editable grids paged from the server, an add form,
deactivation and CSV export. Both are built from one description (`Entity`) of what differs."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp import catalog as domain
from dashapp.catalog.listing import ListingError, customer_block, product_block
from dashapp.ui import ids, server_grid
from dashapp.ui.parts import (
    checked_field,
    dialog,
    feedback,
    not_done,
    refusal,
    row_button,
    secondary_button,
)
from dashapp.ui.shell import Section
from dashapp.ui.triggers import new_token, on_click, on_refresh, on_selection, wrote
from dashapp.validation import ValidationError, record_id, selected_id
from dashapp.web.access import current_account, guarded
from dashapp.web.exports import CUSTOMERS_PATH, PRODUCTS_PATH

BLOCK = 100
ROW_GONE = "That row no longer exists."
CATEGORY_LIST = ids.CATEGORY_CHOICES + "-list"  # the add form's datalist of categories
MONEY = {"function": "moneyText(params.value)"}


@dataclass(frozen=True)
class Entity:
    """What the products and customers pages do differently."""

    key: str
    noun: str
    ids: dict[str, str]
    columns: list[dict]
    block: Callable
    to_row: Callable[[dict], dict]
    to_draft: Callable[[dict], Any]
    create: Callable
    update: Callable
    retire: Callable
    add_fields: list[tuple[str, str, dict]]
    export_path: str
    row_name: Callable[[dict], str]


def _money(cents: int | None) -> float | None:
    return None if cents is None else float(Decimal(cents) / 100)


def _typed(value: Any) -> Any:
    """Grid numbers as text, so 12.5 reaches the domain as typed (never 12.4999..)."""
    return None if value is None or value == "" else str(value)


PRODUCT_TEXT = ["sku", "name", "category", "sub_category"]
PRODUCT_COUNTS = ["stock_on_hand", "reorder_point", "lead_time_days"]


def _product_row(r: dict) -> dict:
    """A product as the grid shows it: money in currency units (stored as cents), flags as
    booleans."""
    row = {"id": r["id"]}
    row.update({f: r[f] for f in PRODUCT_TEXT})
    row.update({f: _money(r[f"{f}_cents"]) for f in ("list_price", "cost", "msrp")})
    row.update({f: r[f] for f in PRODUCT_COUNTS})
    row.update({f: bool(r[f]) for f in ("allow_backorder", "active")})
    return row


def _product_draft(d: dict) -> domain.ProductDraft:
    return domain.ProductDraft(
        sku=d.get("sku"),
        name=d.get("name"),
        category=d.get("category"),
        sub_category=d.get("sub_category"),
        list_price=_typed(d.get("list_price")),
        cost=_typed(d.get("cost")),
        msrp=_typed(d.get("msrp")),
        stock_on_hand=d.get("stock_on_hand") if d.get("stock_on_hand") != "" else None,
        reorder_point=d.get("reorder_point") if d.get("reorder_point") != "" else None,
        lead_time_days=d.get("lead_time_days", 7),
        # Raw to the domain's strict parse_bool: bool("false") would be True.
        allow_backorder=_unset_as(d.get("allow_backorder"), False),
        active=d.get("active", True),
        new_category=_unset_as(d.get("new_category"), False),
        new_sub_category=_unset_as(d.get("new_sub_category"), False),
    )


def _unset_as(value: Any, default: Any) -> Any:
    """A cell the grid sends as null or leaves out means the field's default."""
    return default if value is None else value


CUSTOMER_TEXT = ["name", "email", "phone", "city", "state", "country", "segment"]


def _customer_row(r: dict) -> dict:
    row = {"id": r["id"], "active": bool(r["active"])}
    row.update({f: r[f] for f in CUSTOMER_TEXT})
    row.update({f: r[f] for f in ("contact_first_name", "contact_last_name", "postal_code")})
    row.update({f: r[f] for f in ("address_line1", "address_line2", "territory")})
    return row


def _customer_draft(d: dict) -> domain.CustomerDraft:
    fields = domain.CustomerDraft.__dataclass_fields__
    return domain.CustomerDraft(**{k: v for k, v in d.items() if k in fields})


def _text_col(field: str, header: str, **kw) -> dict:
    return {"field": field, "headerName": header, "editable": True, **kw}


def _number_col(field: str, header: str, **kw) -> dict:
    return {
        "field": field,
        "headerName": header,
        "editable": True,
        "cellDataType": "number",
        "type": "rightAligned",
        **kw,
    }


# Shown at the end of the category pick lists: choosing it asks for the name in a dialog, so a
# new category is always a decision, never a typo saved as one.
NEW_CATEGORY = "New category…"
NEW_SUB_CATEGORY = "New sub-category…"
COUNT = {"function": "params.value == null ? '' : d3.format(',')(params.value)"}


def _flag_col(field: str, header: str, width: int) -> dict:
    """A yes/no column shown as a checkbox; clicking it saves the row."""
    return {
        "field": field,
        "headerName": header,
        "editable": True,
        "cellDataType": "boolean",
        "width": width,
        "cellClass": "flag-cell",
    }


# Widths fit the content (a price to the cent, a stock count, a flag); the name takes what is
# left, so at 1366 px every column through Active shows without scrolling, and the SKU stays
# pinned when a narrow screen scrolls.
PRODUCT_COLUMNS = [
    _text_col("sku", "SKU", width=95, minWidth=80, pinned="left"),
    _text_col("name", "Name", minWidth=130, flex=1, tooltipField="name"),
    _text_col(
        "category",
        "Category",
        width=115,
        tooltipField="category",
        cellEditor="agSelectCellEditor",
        cellEditorParams={"function": "categoryChoices(params)"},
    ),
    _text_col(
        "sub_category",
        "Sub-category",
        width=116,
        cellEditor="agSelectCellEditor",
        cellEditorParams={"function": "subCategoryChoices(params)"},
    ),
    _number_col("list_price", "Price", valueFormatter=MONEY, width=84),
    _number_col("cost", "Cost", valueFormatter=MONEY, width=80),
    _number_col(
        "stock_on_hand",
        "Stock",
        width=72,
        valueFormatter=COUNT,
        cellClassRules={"low-stock": "params.data && params.value <= params.data.reorder_point"},
        headerTooltip="Red when at or below the reorder point",
    ),
    _number_col("reorder_point", "Reorder at", width=98, valueFormatter=COUNT),
    _number_col("lead_time_days", "Lead days", width=92, valueFormatter=COUNT),
    _flag_col("allow_backorder", "Backorder", 94),
    _flag_col("active", "Active", 66),
]
CUSTOMER_COLUMNS = [
    {"field": "id", "headerName": "#", "width": 70, "type": "rightAligned", "pinned": "left"},
    _text_col("name", "Name", minWidth=170, flex=2, tooltipField="name"),
    _text_col("email", "Email", minWidth=170, flex=1, tooltipField="email"),
    _text_col("phone", "Phone", width=130),
    _text_col("city", "City", width=120),
    _text_col(
        "country",
        "Country",
        width=125,
        cellEditor="agSelectCellEditor",
        cellEditorParams={"values": []},
    ),
    _text_col("segment", "Segment", width=105),
    _flag_col("active", "Active", 70),
]


def _product_name(d: dict) -> str:
    """'SKU CAR'; a product not added yet has no SKU to go by."""
    sku = str(d.get("sku") or "").strip()
    return f"SKU {sku}" if sku else "The new product"


def _customer_name(d: dict) -> str:
    """'Customer #4 (Acme)'; a customer not added yet has no number."""
    name = str(d.get("name") or "").strip() or "no name"
    return f"Customer #{d['id']} ({name})" if d.get("id") is not None else f"New customer ({name})"


def as_stored(change: dict) -> dict:
    """The edited row as it was before this edit, so a message names the row being edited:
    a refused SKU change must name this product, not the one that holds the SKU."""
    data = change.get("data") if isinstance(change.get("data"), dict) else {}
    column = change.get("colId")
    if column in data and "oldValue" in change:
        return {**data, column: change["oldValue"]}
    return data


MONEY_FIELDS = {"list_price", "cost", "msrp"}


def _cell_text(field: str, value: Any) -> str:
    """A cell value in a message: money to the cent, yes/no for flags, "empty" for nothing."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field in MONEY_FIELDS:
        try:
            return f"{Decimal(str(value)).quantize(Decimal('0.01')):,}"
        except ArithmeticError:
            return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def saved_text(entity: Entity, change: dict) -> str:
    """'Saved: SKU CAR, price 100.00 → 13.50', the confirmation of one grid edit."""
    field = str(change.get("colId") or "")
    header = next((c["headerName"] for c in entity.columns if c.get("field") == field), field)
    before, after = (
        _cell_text(field, change.get("oldValue")),
        _cell_text(field, change.get("value")),
    )
    return f"Saved: {entity.row_name(as_stored(change))}, {header.lower()} {before} → {after}"


def _asks_new(change: Any) -> bool:
    return isinstance(change, dict) and change.get("value") in (NEW_CATEGORY, NEW_SUB_CATEGORY)


def _ids(prefix: str) -> dict[str, str]:
    return {
        "grid": getattr(ids, f"{prefix}_GRID"),
        "search": getattr(ids, f"{prefix}_SEARCH"),
        "caption": getattr(ids, f"{prefix}_CAPTION"),
        "message": getattr(ids, f"{prefix}_MESSAGE"),
        "export": getattr(ids, f"{prefix}_EXPORT"),
        "xlsx": getattr(ids, f"{prefix}_XLSX"),
        "deactivate": getattr(ids, f"{prefix}_DEACTIVATE"),
        "add": getattr(ids, f"{prefix}_ADD"),
        "reloaded": getattr(ids, f"{prefix}_RELOADED"),
    }


PRODUCTS = Entity(
    key="products",
    noun="product",
    ids=_ids("PRODUCTS"),
    columns=PRODUCT_COLUMNS,
    block=product_block,
    to_row=_product_row,
    to_draft=_product_draft,
    create=domain.create_product,
    update=domain.update_product,
    retire=domain.delete_product,
    add_fields=[
        ("sku", "SKU", {"placeholder": "e.g. S10_1678"}),
        ("name", "Name", {}),
        ("category", "Category", {"list": CATEGORY_LIST, "placeholder": "Pick from the list"}),
        ("new_category", "New category", {"kind": "check"}),
        ("list_price", "Price", {"type": "number", "min": 0, "step": "0.01"}),
        ("stock_on_hand", "Stock", {"type": "number", "step": 1, "value": 0}),
        ("reorder_point", "Reorder at", {"type": "number", "min": 0, "step": 1, "value": 0}),
    ],
    export_path=PRODUCTS_PATH,
    row_name=lambda d: _product_name(d),
)
CUSTOMERS = Entity(
    key="customers",
    noun="customer",
    ids=_ids("CUSTOMERS"),
    columns=CUSTOMER_COLUMNS,
    block=customer_block,
    to_row=_customer_row,
    to_draft=_customer_draft,
    create=domain.create_customer,
    update=domain.update_customer,
    retire=domain.delete_customer,
    add_fields=[
        ("name", "Name", {}),
        ("email", "Email", {"type": "email", "placeholder": "Optional"}),
        ("country", "Country", {"list": "country-choices", "placeholder": "Type to pick"}),
        ("city", "City", {}),
        ("phone", "Phone", {}),
    ],
    export_path=CUSTOMERS_PATH,
    row_name=lambda d: _customer_name(d),
)
ENTITIES = (PRODUCTS, CUSTOMERS)


def _add_field(entity: Entity, field: str, label: str, props: dict) -> html.Div:
    control_id, error_id = ids.add_field(entity.key, field), ids.add_field_error(entity.key, field)
    if props.get("kind") != "check":
        return checked_field(label, dbc.Input(id=control_id, **props), error_id)
    # A checkbox: its label is beside it, so the line above stays blank.
    return html.Div(
        [
            html.Label("\u00a0", className="form-label small"),
            dbc.Checkbox(id=control_id, label="New category", value=False, class_name="pt-2"),
            html.Div(id=error_id, className="field-error"),
        ],
        className="order-field",
    )


def _add_form(entity: Entity) -> dbc.Card:
    fields = [_add_field(entity, *spec) for spec in entity.add_fields]
    if entity is CUSTOMERS:
        extra = [html.Datalist(id="country-choices")]
    else:
        extra = [html.Datalist(id=CATEGORY_LIST), dcc.Store(id=ids.CATEGORY_CHOICES)]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(f"Add a {entity.noun}", className="card-title mb-2"),
                html.Div(fields, className="order-form-grid"),
                *extra,
                dbc.Button(f"Add {entity.noun}", id=entity.ids["add"], color="primary"),
            ]
        ),
        className="chart-card",
    )


def _choices(entity: Entity) -> list:
    """The products' category pick lists: the grid's editors and the add form's datalist."""
    if entity is not PRODUCTS:
        return []
    return [dcc.Store(id=ids.CATEGORY_CHOICES), html.Datalist(id=CATEGORY_LIST)]


def _category_dialog() -> dbc.Modal:
    """Asks for a new category's name when "New category…" is picked in the grid."""
    body = dbc.ModalBody(
        [
            dbc.Label("Name", html_for=ids.CATEGORY_NEW_NAME),
            dbc.Input(id=ids.CATEGORY_NEW_NAME, maxLength=100, debounce=0.3),
            html.Div(id=ids.CATEGORY_NEW_HINT, className="small mt-2", role="status"),
        ]
    )
    return dialog(
        ids.CATEGORY_MODAL,
        dbc.ModalTitle(id=ids.CATEGORY_MODAL_TEXT),
        body,
        [
            secondary_button("Back", ids.CATEGORY_BACK),
            dbc.Button("Add and save", id=ids.CATEGORY_CONFIRM, color="primary"),
        ],
    )


def _layout(entity: Entity) -> html.Div:
    account = current_account()
    can_write = account is None or account.can("catalog:write")
    columns = [{**c, "editable": bool(c.get("editable")) and can_write} for c in entity.columns]
    tools = [
        dbc.Input(
            id=entity.ids["search"],
            type="search",
            placeholder=f"Search {entity.key}",
            debounce=0.4,
            size="sm",
            className="grid-search",
        ),
        server_grid.export_link(entity.ids["export"], entity.export_path, f"{entity.key}.csv"),
        server_grid.export_link(
            entity.ids["xlsx"],
            entity.export_path.removesuffix(".csv") + ".xlsx",
            f"{entity.key}.xlsx",
            "Export XLSX",
        ),
    ]
    if can_write:
        retire = row_button(
            "Deactivate",
            entity.ids["deactivate"],
            "danger",
            outline=True,
            title=f"Retire the selected {entity.noun}: deactivated if it has orders, "
            "removed if it never had any",
        )
        tools.insert(1, retire)
    hint = "Double-click a cell to edit it; Enter saves." if can_write else "Read only."
    grid = server_grid.infinite_grid(
        entity.ids["grid"],
        columns,
        BLOCK,
        {"sortable": True, "resizable": True, "minWidth": 60},
        {"stopEditingWhenCellsLoseFocus": True},
        style={"height": "520px"},
        className="catalog-grid",
    )
    grid_card = dbc.Card(
        dbc.CardBody(
            [
                server_grid.header(
                    entity.key.title(), entity.ids["caption"], tools, "grid-tools", hint
                ),
                html.Div(id=entity.ids["message"], className="mb-2"),
                grid,
                html.Div(id=entity.ids["reloaded"], hidden=True),
                *_choices(entity),
            ]
        ),
        className="chart-card",
    )
    parts = [grid_card]
    if can_write:
        parts.append(_add_form(entity))
        if entity is PRODUCTS:
            parts += [_category_dialog(), dcc.Store(id=ids.CATEGORY_PENDING)]
    return html.Div(parts, className="catalog-section")


SECTIONS = (
    # The page filters do not apply to the catalog grids (filters=()).
    Section(
        key="products",
        label="Products",
        layout=lambda: _layout(PRODUCTS),
        filters=(),
    ),
    Section(
        key="customers",
        label="Customer list",
        layout=lambda: _layout(CUSTOMERS),
        filters=(),
    ),
)


def _user() -> str | None:
    account = current_account()
    return account.username if account else None


def _error_alert(entity: Entity, data: dict, exc: ValidationError, reverted: bool) -> dbc.Alert:
    what = entity.row_name(data)
    lead = "Not saved; the cell was put back. " if reverted else "Not added. "
    return not_done(lead, exc, lambda e: f"{what} · {e.field.replace('_', ' ')}: {e.message}")


def register_callbacks(app: Dash, engine: Engine) -> None:
    """The two grids' paging, editing, adding and retiring."""
    for entity in ENTITIES:
        _register(app, engine, entity)
    _register_categories(app, engine)

    @app.callback(
        Output(CUSTOMERS.ids["grid"], "columnDefs"),
        Output("country-choices", "children"),
        Input(CUSTOMERS.ids["grid"], "id"),
        State(CUSTOMERS.ids["grid"], "columnDefs"),
    )
    def country_choices(_id, columns):
        with engine.connect() as conn:
            countries = domain.known_countries(conn)
        columns = [
            {**c, "cellEditorParams": {"values": countries}} if c["field"] == "country" else c
            for c in columns
        ]
        return columns, [html.Option(value=c) for c in countries]


def _register_categories(app: Dash, engine: Engine) -> None:
    """The category pick lists, and the dialog that adds a new category or sub-category."""
    grid = PRODUCTS.ids["grid"]

    @on_refresh(app, None, [Output(ids.CATEGORY_CHOICES, "data")], [Input(grid, "id")])
    def category_choices(_id, _token):
        with engine.connect() as conn:
            known = domain.categories(conn)
        return {"categories": known, "new": [NEW_CATEGORY, NEW_SUB_CATEGORY]}

    # The grid's select editors read the lists from here (salesPulseCategoryChoices).
    app.clientside_callback(
        """function(data) {
            window.salesPulseCategories = data || {};
            return Object.keys((data || {}).categories || {}).map(
                c => ({type: 'Option', namespace: 'dash_html_components', props: {value: c}})
            );
        }""",
        Output(CATEGORY_LIST, "children"),
        Input(ids.CATEGORY_CHOICES, "data"),
    )

    @app.callback(
        Output(ids.CATEGORY_MODAL, "is_open"),
        Output(ids.CATEGORY_MODAL_TEXT, "children"),
        Output(ids.CATEGORY_NEW_NAME, "value"),
        Output(ids.CATEGORY_NEW_HINT, "children"),
        Input(ids.CATEGORY_PENDING, "data"),
        prevent_initial_call=True,
    )
    def ask_new_category(pending):
        """The dialog, asking for the name of the category the grid's edit wants."""
        if not pending or pending.get("field") not in ("category", "sub_category"):
            raise PreventUpdate
        row = pending.get("row") if isinstance(pending.get("row"), dict) else {}
        what = "category"
        if pending["field"] == "sub_category":
            what = f"sub-category of {row.get('category')}"
        return True, f"New {what} for {PRODUCTS.row_name(row)}", "", ""

    @guarded(
        app,
        "catalog:write",
        Output(ids.CATEGORY_NEW_HINT, "children", allow_duplicate=True),
        Input(ids.CATEGORY_NEW_NAME, "value"),
        State(ids.CATEGORY_PENDING, "data"),
        prevent_initial_call=True,
    )
    def new_category_hint(name, pending):
        """Says before saving when the name is one the catalog has, or close to one."""
        name = (name or "").strip()
        if not name or not pending:
            return ""
        with engine.connect() as conn:
            known = domain.categories(conn)
        if pending.get("field") == "sub_category":
            known = {s: [] for s in known.get((pending.get("row") or {}).get("category"), [])}
        return new_name_hint(name, list(known))

    @on_click(
        app,
        "catalog:write",
        ids.CATEGORY_CONFIRM,
        [
            Output(ids.CATEGORY_MODAL, "is_open", allow_duplicate=True),
            Output(ids.CATEGORY_NEW_HINT, "children", allow_duplicate=True),
            *wrote(PRODUCTS.ids["message"]),
        ],
        [State(ids.CATEGORY_NEW_NAME, "value"), State(ids.CATEGORY_PENDING, "data")],
    )
    def add_category(n, name, pending):
        """Saves the product with the confirmed new name; a refusal stays in the dialog."""
        if not n or not pending:
            raise PreventUpdate
        field = pending.get("field")
        if field not in ("category", "sub_category"):
            raise PreventUpdate
        row = pending.get("row") if isinstance(pending.get("row"), dict) else {}
        data = {**row, field: name, f"new_{field}": True}
        try:
            PRODUCTS.update(
                engine, record_id(pending.get("id"), "a row"), PRODUCTS.to_draft(data), _user()
            )
        except ValidationError as exc:
            problems = html.Ul([html.Li(e.message) for e in exc.errors], className="mb-0")
            return no_update, html.Div(problems, className="text-danger"), no_update, no_update
        except LookupError:
            return False, "", refusal(ROW_GONE), no_update
        change = {"colId": field, "oldValue": row.get(field), "value": name, "data": data}
        saved = f"{saved_text(PRODUCTS, change)} (new {field.replace('_', '-')})"
        return False, "", _saved_edit(saved), new_token(engine)

    app.clientside_callback(
        "function(n) { return false; }",
        Output(ids.CATEGORY_MODAL, "is_open", allow_duplicate=True),
        Input(ids.CATEGORY_BACK, "n_clicks"),
        prevent_initial_call=True,
    )


def new_category_request(change: dict) -> dict:
    """What the dialog needs of a cell edit that picked "New category…": the row as stored
    and which of its fields gets the new name."""
    row = as_stored(change)
    field = "category" if change.get("value") == NEW_CATEGORY else "sub_category"
    # "asked" makes a second pick of the same row a change the dialog hears.
    return {"id": row.get("id"), "field": field, "row": row, "asked": _stamp()}


def new_name_hint(name: str, known: list[str]) -> str:
    """Before a new category is added: say if it exists already, or is close to one."""
    same = next((k for k in known if k.lower() == name.lower()), None)
    if same is not None:
        return f"{same} exists already: it will be used."
    near = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    if near:
        return f"Close to {near[0]}: check the spelling, or pick {near[0]} from the list."
    return f"{name} will be added."


def _register(app: Dash, engine: Engine, entity: Entity) -> None:
    grid = entity.ids["grid"]

    @server_grid.on_rows_request(
        app, grid, entity.ids["caption"], states=[State(entity.ids["search"], "value")]
    )
    def rows(request, text):
        start, end = server_grid.requested_rows(request, BLOCK)
        try:
            with engine.connect() as conn:
                found, total = entity.block(
                    conn, text, start, end - start, request.get("sortModel") or []
                )
        except ListingError as exc:
            return server_grid.rows_answer([], 0), str(exc)
        matching = f" matching “{text.strip()}”" if text and text.strip() else ""
        caption = f"{total:,} {entity.key}{matching}"
        return server_grid.rows_answer([entity.to_row(r) for r in found], total), caption

    app.clientside_callback(
        f"""function(text, token, reloaded) {{
            dash_ag_grid.getApiAsync('{grid}').then(api => api.purgeInfiniteCache());
            return window.dash_clientside.no_update;
        }}""",
        Output(grid, "className"),
        Input(entity.ids["search"], "value"),
        Input(ids.REFRESH_TOKEN, "data"),
        Input(entity.ids["reloaded"], "children"),
        prevent_initial_call=True,
    )

    # The products' edits can also ask for a new category: that goes to the dialog's store.
    asks = (
        [Output(ids.CATEGORY_PENDING, "data", allow_duplicate=True)] if entity is PRODUCTS else []
    )

    def reply(message, reloaded, token, pending=no_update):
        return (message, reloaded, token, pending) if asks else (message, reloaded, token)

    @guarded(
        app,
        "catalog:write",
        Output(entity.ids["message"], "children"),
        Output(entity.ids["reloaded"], "children"),
        Output(ids.REFRESH_TOKEN, "data", allow_duplicate=True),
        *asks,
        Input(grid, "cellValueChanged"),
        prevent_initial_call=True,
    )
    def edited(changes):
        """Each edited row is saved whole; a refused edit is reverted by reloading the rows.
        "New category…" picked in a cell puts the cell back and asks for the name instead."""
        if not changes:
            raise PreventUpdate
        wanted = next((c for c in changes if _asks_new(c)), None)
        if wanted is not None:
            return reply(no_update, _stamp(), no_update, new_category_request(wanted))
        saved = []
        for change in changes or []:
            change = change if isinstance(change, dict) else {}
            data = change.get("data") if isinstance(change.get("data"), dict) else {}
            try:
                entity.update(
                    engine, record_id(data.get("id"), "a row"), entity.to_draft(data), _user()
                )
            except ValidationError as exc:
                alert = _error_alert(entity, as_stored(change), exc, reverted=True)
                return reply(alert, _stamp(), no_update)
            except LookupError:
                return reply(refusal(ROW_GONE), _stamp(), no_update)
            saved.append(saved_text(entity, change))
        return reply(_saved_edit("; ".join(saved)), no_update, new_token(engine))

    @on_selection(app, None, grid, [Output(entity.ids["deactivate"], "disabled")])
    def can_retire(selected):
        return not selected

    @on_click(
        app,
        "catalog:write",
        entity.ids["deactivate"],
        wrote(entity.ids["message"]),
        [State(grid, "selectedRows")],
    )
    def retire(n, selected):
        if not n or not selected:
            raise PreventUpdate
        data = selected[0]
        try:
            outcome = entity.retire(engine, selected_id(selected, "a row"), _user())
        except LookupError:
            return refusal(ROW_GONE), no_update
        detail = "it has orders, so it stays in the history" if outcome == "deactivated" else ""
        text = f"{entity.row_name(data)} {outcome}" + (f" ({detail})." if detail else ".")
        return feedback(text), new_token(engine)

    fields = [f for f, _, _ in entity.add_fields]

    message, token = wrote(entity.ids["message"])
    form = ids.add_field(entity.key, ALL)

    @on_click(
        app,
        "catalog:write",
        entity.ids["add"],
        [
            message,
            Output(ids.add_field_error(entity.key, ALL), "children"),
            Output(form, "value"),
            token,
        ],
        [State(form, "value"), State(form, "id")],
    )
    def add(n, values, slots):
        # Called when the form appears too (the refresh token was already on the page).
        if not n:
            raise PreventUpdate
        typed = {s["field"]: v for s, v in zip(slots, values, strict=True)}
        draft_data = {f: typed.get(f) for f in fields}
        if entity is PRODUCTS:
            draft_data["list_price"] = _typed(draft_data.get("list_price"))
        try:
            new_id = entity.create(engine, entity.to_draft(draft_data), _user())
        except ValidationError as exc:
            messages = [
                " ".join(e.message for e in exc.errors if e.field == s["field"]) for s in slots
            ]
            alert = _error_alert(entity, draft_data, exc, reverted=False)
            # Wildcard outputs take a list, also to leave them alone.
            return alert, messages, [no_update] * len(slots), no_update
        name = entity.row_name({**draft_data, "id": new_id})
        blank = [BLANK.get(s["field"], "") for s in slots]
        return feedback(f"Added {name}."), [""] * len(slots), blank, new_token(engine)


BLANK = {"stock_on_hand": 0, "reorder_point": 0, "new_category": False}


def _saved_edit(text: str) -> dbc.Alert:
    """The confirmation of a grid edit: it goes away by itself, as edits come one by one."""
    return feedback(text, duration=6000, className="mb-0 py-2 grid-saved")


def _stamp() -> str:
    """A fresh value that makes the grid reload its rows."""
    return datetime.now().isoformat()
