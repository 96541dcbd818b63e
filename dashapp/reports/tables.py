"""The app's tables as XLSX, streamed: rows go from a server-side cursor into a constant-memory
worksheet, so a million-order history never sits in memory whole. Each reads the same query as
its CSV export (orders/history.export_query, catalog/export.*_query)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

import pandas as pd
from sqlalchemy import Connection, Select

from dashapp.analytics.pivot import Pivot
from dashapp.catalog.export import CUSTOMER_FIELDS, customers_query, products_query
from dashapp.csv_writer import CHUNK_ROWS
from dashapp.filters import Filters
from dashapp.orders.history import export_query
from dashapp.reports.view import (
    COUNT,
    DAY,
    MONEY,
    REORDER_COLUMNS,
    TEXT,
    Column,
    pivot_sheet,
    reorder_rows,
)
from dashapp.reports.workbook import write_table_workbook
from dashapp.segments.summary import segment_members

HISTORY_COLUMNS = (
    Column("Order number"),
    Column("Date", DAY),
    Column("Customer"),
    Column("Country"),
    Column("Status"),
    Column("Channel"),
    Column("Lines", COUNT),
    Column("Units", COUNT),
    Column("Total", MONEY),
)
PRODUCT_COLUMNS = (
    Column("SKU"),
    Column("Name"),
    Column("Category"),
    Column("Sub-category"),
    Column("List price", MONEY),
    Column("Cost", MONEY),
    Column("MSRP", MONEY),
    Column("Stock on hand", COUNT),
    Column("Reorder point", COUNT),
    Column("Lead time (days)", COUNT),
    Column("Backorders allowed"),
    Column("Active"),
)
CUSTOMER_COLUMNS = (
    Column("Id", COUNT),
    *(Column(f.replace("_", " ").capitalize(), TEXT) for f in CUSTOMER_FIELDS),
    Column("First order", DAY),
    Column("Active"),
)


def _streamed(conn: Connection, stmt: Select, cells) -> Iterator[Sequence[Any]]:
    # yield_per streams from a server-side cursor on PostgreSQL and steps the SQLite cursor.
    result = conn.execution_options(yield_per=CHUNK_ROWS).execute(stmt)
    for partition in result.partitions():
        for row in partition:
            yield cells(row)


def history_workbook(
    conn: Connection,
    out: IO[bytes],
    f: Filters,
    sort: Sequence[Any] | None = None,
    column_filters: Mapping[str, Any] | None = None,
    about: Sequence[tuple[str, str]] = (),
) -> int:
    """The order history the grid shows (filters, sort, column filters) as XLSX; `f` is
    already scoped to the account. Returns the number of orders written."""
    stmt = export_query(conn, f, sort, column_filters)

    def cells(r: Any) -> tuple:
        return (
            r.number,
            r.date,
            r.customer,
            r.country,
            r.status,
            r.channel,
            r.lines,
            r.units,
            r.total_cents,
        )

    return write_table_workbook(out, "Orders", HISTORY_COLUMNS, _streamed(conn, stmt, cells), about)


def products_workbook(conn: Connection, out: IO[bytes], about: Sequence[tuple[str, str]] = ()):
    """The catalog as XLSX, by SKU, money as currency cells."""

    def cells(r: Any) -> tuple:
        return (
            r.sku,
            r.name,
            r.category,
            r.sub_category,
            r.list_price_cents,
            r.cost_cents,
            r.msrp_cents,
            r.stock_on_hand,
            r.reorder_point,
            r.lead_time_days,
            _yes_no(r.allow_backorder),
            _yes_no(r.active),
        )

    rows = _streamed(conn, products_query(), cells)
    return write_table_workbook(out, "Products", PRODUCT_COLUMNS, rows, about)


def customers_workbook(conn: Connection, out: IO[bytes], about: Sequence[tuple[str, str]] = ()):
    """The customers as XLSX, by id."""

    def cells(r: Any) -> tuple:
        values = tuple(getattr(r, f) for f in CUSTOMER_FIELDS)
        return (r.id, *values, r.first_order_date, _yes_no(r.active))

    rows = _streamed(conn, customers_query(), cells)
    return write_table_workbook(out, "Customers", CUSTOMER_COLUMNS, rows, about)


def _yes_no(flag: Any) -> str:
    return "yes" if flag else "no"


def pivot_workbook(out: IO[bytes], p: Pivot, about: Sequence[tuple[str, str]] = ()) -> int:
    """The pivot as the page shows it (analytics.pivot.as_table: a row per label, a column per
    shown column, the totals row last): money as currency cells, a percent measure as a
    percentage cell (35.25 -> 35.25 %)."""
    columns, rows = pivot_sheet(p)
    return write_table_workbook(out, "Pivot", columns, rows, about)


MEMBER_COLUMNS = (
    Column("Customer"),
    Column("Email"),
    Column("Country"),
    Column("Recency (days)", COUNT),
    Column("Frequency", COUNT),
    Column("Monetary", MONEY),
    Column("Segment"),
)


def members_workbook(
    out: IO[bytes],
    scores: pd.DataFrame,
    selection: tuple = (),
    about: Sequence[tuple[str, str]] = (),
) -> int:
    """The scored customers of a segment or an R x F cell (or all), the CSV export's rows."""
    members = segment_members(scores, *selection) if selection else scores
    rows = (
        (
            _text(r.name),
            _text(r.email),
            _text(r.country),
            int(r.recency_days),
            int(r.frequency),
            int(r.monetary_cents),
            r.segment,
        )
        for r in members.itertuples(index=False)
    )
    return write_table_workbook(out, "Customers", MEMBER_COLUMNS, rows, about)


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def reorder_workbook(out: IO[bytes], df: pd.DataFrame, about: Sequence[tuple[str, str]] = ()):
    """The reorder table (analytics.reorder's columns, the CSV's order) as XLSX; days of cover
    empty where the product is not selling."""
    return write_table_workbook(out, "Reorder", REORDER_COLUMNS, reorder_rows(df), about)
