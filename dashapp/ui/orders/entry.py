"""Typing an order: the customer and product pickers, lines added, edited and removed, and
the running total (worked out in the browser)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from dash import Dash, Input, Output, State, ctx
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.catalog import search_customers, search_products
from dashapp.catalog.search import products_by_key
from dashapp.ui import ids
from dashapp.ui.orders.lines import line_row, next_key
from dashapp.ui.text import money_text

PICKER_LIMIT = 20


def customer_label(row: dict) -> str:
    """'Stewart Gifts Inc. · Seattle, USA · susan@stewart.com': the place and the email (or the
    customer number when there is none) tell apart customers of the same name."""
    place = ", ".join(str(row[k]) for k in ("city", "country") if row.get(k))
    contact = row.get("email") or f"#{row['id']}"
    return " · ".join(part for part in (row["name"], place, contact) if part)


def _product_label(row: dict) -> str:
    price = money_text(Decimal(row["list_price_cents"]) / 100)
    return f"{row['name']} · {row['sku']} · {price} · {row['stock_on_hand']:,} in stock"


def _register_picker(
    app: Dash, engine: Engine, picker: str, search: Callable, label: Callable, keep_on_pick: bool
) -> None:
    """A dropdown that searches as one types (PICKER_LIMIT found), the chosen option first:
    kept even when the search no longer finds it (an inactive customer being edited)."""

    @app.callback(
        Output(picker, "options"),
        Input(picker, "search_value"),
        State(picker, "value"),
        State(picker, "options"),
    )
    def options(text, selected, current):
        # The product picker: picking an option clears the search text; answering that with a
        # fresh list would drop the picked product (Dash's dropdown forgets a value missing
        # from its options).
        if keep_on_pick and not text and current and ctx.triggered_id is not None:
            raise PreventUpdate
        with engine.connect() as conn:
            found = search(conn, text, PICKER_LIMIT)
        kept = [o for o in current or [] if o["value"] == selected]
        found = [{"label": label(r), "value": r["id"]} for r in found]
        return kept + [o for o in found if o["value"] != selected]


def register_entry_callbacks(app: Dash, engine: Engine) -> None:
    """Picker options, lines from the picker and the grid, and the order total."""
    _register_picker(app, engine, ids.ORDER_CUSTOMER, search_customers, customer_label, False)
    _register_picker(app, engine, ids.ORDER_ADD_PRODUCT, search_products, _product_label, True)

    def lines_change(trigger: Input, *more: Output):
        """A callback that rewrites the lines from the grid's rows when `trigger` fires."""
        return app.callback(
            Output(ids.ORDER_LINES, "rowData", allow_duplicate=True),
            *more,
            trigger,
            State(ids.ORDER_LINES, "rowData"),
            prevent_initial_call=True,
        )

    @lines_change(Input(ids.ORDER_ADD_PRODUCT, "value"), Output(ids.ORDER_ADD_PRODUCT, "value"))
    def add_line(product_id, rows):
        if product_id is None:
            raise PreventUpdate
        with engine.connect() as conn:
            product = products_by_key(conn, ids=[product_id]).get(product_id)
        if product is None:
            raise PreventUpdate
        rows = list(rows or [])
        return rows + [line_row(next_key(rows), product)], None

    @lines_change(Input(ids.ORDER_LINES, "cellValueChanged"))
    def line_edited(changes, rows):
        """A typed SKU is looked up at once (name and catalog price); an edit clears the
        line's old message."""
        rows = [dict(r) for r in rows or []]
        by_key = {r["key"]: r for r in rows}
        skus = [c["data"].get("sku") for c in changes or [] if c.get("colId") == "sku"]
        with engine.connect() as conn:
            catalog = products_by_key(conn, skus=[str(s).strip() for s in skus if s])
        changed = False
        for change in changes or []:
            row = by_key.get(change.get("rowId"))
            if row is None:
                continue
            if row.get("error"):
                row["error"], changed = "", True
            if change.get("colId") == "sku":
                sku = str(row.get("sku") or "").strip()
                product = catalog.get(sku)
                fresh = line_row(row["key"], product) if product else None
                row["product_id"] = product["id"] if product else None
                row["name"] = fresh["name"] if fresh else ""
                row["unit_price"] = fresh["unit_price"] if fresh else row.get("unit_price")
                row["error"] = "" if product or not sku else f"Unknown product {sku!r}"
                changed = True
        if not changed:
            raise PreventUpdate
        return rows

    @lines_change(Input(ids.ORDER_LINES, "cellRendererData"))
    def remove_line(clicked, rows):
        if not clicked:
            raise PreventUpdate
        return [r for r in rows or [] if r["key"] != clicked.get("rowId")]

    app.clientside_callback(
        # Edits change the row objects in place, so rowData alone does not fire this again:
        # cellValueChanged does, and the rows are read from the grid itself.
        f"""function(rows, changed) {{
            let current = rows;
            const edited = (window.dash_clientside.callback_context.triggered || [])
                .some(t => t.prop_id.endsWith('.cellValueChanged'));
            if (edited) {{
                try {{
                    const api = dash_ag_grid.getApi('{ids.ORDER_LINES}');
                    current = [];
                    api.forEachNode(node => current.push(node.data));
                }} catch (e) {{ current = rows; }}
            }}
            const t = window.dashAgGridFunctions.orderTotalText(current);
            const open = t.open ? ` · ${{t.open}} incomplete` : '';
            return [t.total, `${{t.lines}}${{open}}`];
        }}""",
        Output(ids.ORDER_TOTAL, "children"),
        Output(ids.ORDER_TOTAL + "-lines", "children"),
        Input(ids.ORDER_LINES, "rowData"),
        Input(ids.ORDER_LINES, "cellValueChanged"),
    )
