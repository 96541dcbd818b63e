"""CSV and XLSX downloads streamed from the database: the filtered order history, products,
customers (the XLSX through dashapp.reports.tables, from the same queries).

The history URL carries the page's filters (the same query as the page), the grid's sort
(`sort=date:desc`, repeatable) and its column filters (`columns=<AG Grid filter model JSON>`),
so the file holds exactly the rows the grid shows, in the same order.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import chain
from urllib.parse import parse_qsl, urlencode

from flask import Flask, Response, abort, request, send_file, stream_with_context
from flask_login import current_user
from sqlalchemy import Engine

from dashapp.catalog.export import export_customers_csv, export_products_csv
from dashapp.csv_writer import streamed
from dashapp.filters import FilterError, Filters
from dashapp.orders.history import HistoryQueryError, export_history_csv
from dashapp.reports.tables import customers_workbook, history_workbook, products_workbook
from dashapp.reports.view import filter_lines
from dashapp.reports.workbook import XLSX_MIME
from dashapp.web.access import current_account

ORDERS_PATH = "/export/orders.csv"
PRODUCTS_PATH = "/export/products.csv"
CUSTOMERS_PATH = "/export/customers.csv"
# The same tables as XLSX: the CSV path with .xlsx, the same query parameters.
XLSX = {path: path.removesuffix(".csv") + ".xlsx" for path in (ORDERS_PATH, PRODUCTS_PATH)}
XLSX[CUSTOMERS_PATH] = CUSTOMERS_PATH.removesuffix(".csv") + ".xlsx"
# A workbook is built whole before it is sent (a zip): in memory up to this, then on disk.
SPOOL_BYTES = 8 * 1024 * 1024


def history_export_url(
    filters_query: str, sort_model: list | None, filter_model: dict | None, fmt: str = "csv"
) -> str:
    """The download link (CSV, or "xlsx") for what the history grid shows."""
    params = parse_qsl(filters_query or "")
    params += [("sort", f"{m['colId']}:{m.get('sort') or 'asc'}") for m in sort_model or ()]
    if filter_model:
        params.append(("columns", json.dumps(filter_model, separators=(",", ":"))))
    path = XLSX[ORDERS_PATH] if fmt == "xlsx" else ORDERS_PATH
    return f"{path}?{urlencode(params)}" if params else path


def init_exports(server: Flask, engine: Engine) -> None:
    """Register the CSV routes on `server` (sign-in is enforced by dashapp.web.access)."""

    @server.route(ORDERS_PATH)
    def export_orders():
        _require("view")
        try:
            f, sort, columns = _history_request()
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

    @server.route(XLSX[ORDERS_PATH])
    def export_orders_xlsx():
        _require("view")
        try:
            f, sort, columns = _history_request()
            return _xlsx(
                engine,
                lambda conn, out: history_workbook(
                    conn, out, f, sort, columns, _about(conn, f, "Order history")
                ),
                "orders",
            )
        except (FilterError, HistoryQueryError, ValueError) as exc:
            return Response(f"Cannot export: {exc}\n", status=400, mimetype="text/plain")

    @server.route(XLSX[PRODUCTS_PATH])
    def export_products_xlsx():
        _require("view")
        return _xlsx(
            engine, lambda conn, out: products_workbook(conn, out, _about(None, None)), "products"
        )

    @server.route(XLSX[CUSTOMERS_PATH])
    def export_customers_xlsx():
        _require("view")
        return _xlsx(
            engine, lambda conn, out: customers_workbook(conn, out, _about(None, None)), "customers"
        )


def _about(conn, f: Filters | None, what: str = "") -> list[tuple[str, str]]:
    """The lines above an exported table: what, the filters, who, when."""
    lines = [("Table", what)] if what else []
    if f is not None:
        lines.append(("Filters", " · ".join(f"{n}: {v}" for n, v in filter_lines(conn, f))))
    lines.append(("Exported by", getattr(current_user, "username", "") or "—"))
    lines.append(("Exported at", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")))
    return lines


def _xlsx(engine: Engine, write: Callable, name: str) -> Response:
    """Build the workbook on a spooled file (`write(conn, file)`), then send it."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - send_file closes it
    try:
        with engine.connect() as conn:
            write(conn, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    day = datetime.now().date().isoformat()
    return send_file(
        out, mimetype=XLSX_MIME, as_attachment=True, download_name=f"{name}-{day}.xlsx"
    )


def _history_request():
    """The order history export's filters (scoped to the account), sort and columns from the
    query string, as the CSV and XLSX routes both read them; a bad one raises ValueError."""
    args = request.args.to_dict(flat=False)
    f = Filters.from_params(args).for_account(current_account())
    sort = [_sort_item(s) for s in args.get("sort", [])]
    columns = json.loads(args["columns"][-1]) if args.get("columns") else None
    if columns is not None and not isinstance(columns, dict):
        raise ValueError("columns must be a JSON object")
    return f, sort, columns


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
