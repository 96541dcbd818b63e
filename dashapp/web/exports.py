"""CSV downloads streamed from the database: the filtered order history, products, customers.

The history URL carries the page's filters (the same query as the page), the grid's sort
(`sort=date:desc`, repeatable) and its column filters (`columns=<AG Grid filter model JSON>`),
so the file holds exactly the rows the grid shows, in the same order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain
from urllib.parse import parse_qsl, urlencode

from flask import Flask, Response, abort, request, stream_with_context
from flask_login import current_user
from sqlalchemy import Engine

from dashapp.catalog.export import export_customers_csv, export_products_csv
from dashapp.csv_writer import streamed
from dashapp.filters import FilterError, Filters
from dashapp.orders.history import HistoryQueryError, export_history_csv
from dashapp.web.access import current_account

ORDERS_PATH = "/export/orders.csv"
PRODUCTS_PATH = "/export/products.csv"
CUSTOMERS_PATH = "/export/customers.csv"


def history_export_url(
    filters_query: str, sort_model: list | None, filter_model: dict | None
) -> str:
    """The download link for what the history grid shows."""
    params = parse_qsl(filters_query or "")
    params += [("sort", f"{m['colId']}:{m.get('sort') or 'asc'}") for m in sort_model or ()]
    if filter_model:
        params.append(("columns", json.dumps(filter_model, separators=(",", ":"))))
    return f"{ORDERS_PATH}?{urlencode(params)}" if params else ORDERS_PATH


def init_exports(server: Flask, engine: Engine) -> None:
    """Register the CSV routes on `server` (sign-in is enforced by dashapp.web.access)."""

    @server.route(ORDERS_PATH)
    def export_orders():
        _require("view")
        args = request.args.to_dict(flat=False)
        try:
            f = Filters.from_params(args).for_account(current_account())
            sort = [_sort_item(s) for s in args.get("sort", [])]
            columns = json.loads(args["columns"][-1]) if args.get("columns") else None
            if columns is not None and not isinstance(columns, dict):
                raise ValueError("columns must be a JSON object")
            chunks = streamed(engine, export_history_csv, f, sort, columns)
            first = next(chunks)  # runs the query now, so a bad sort or filter is a 400
        except (FilterError, HistoryQueryError, ValueError) as exc:
            return Response(f"Cannot export: {exc}\n", status=400, mimetype="text/plain")
        return _csv(chain([first], chunks), "orders.csv")

    @server.route(PRODUCTS_PATH)
    def export_products():
        _require("view")
        return _csv(streamed(engine, export_products_csv), "products.csv")

    @server.route(CUSTOMERS_PATH)
    def export_customers():
        _require("view")
        return _csv(streamed(engine, export_customers_csv), "customers.csv")


def _require(permission: str) -> None:
    if not current_user.is_authenticated or not current_user.can(permission):
        abort(403)


def _sort_item(raw: str) -> dict:
    column, _, direction = raw.partition(":")
    return {"colId": column, "sort": direction or "asc"}


def _csv(chunks: Iterator[str], filename: str) -> Response:
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
