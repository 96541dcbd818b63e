"""Revenue over time and by category, product, country and customer.

Each function aggregates in SQL on order_lines and joins the (small) answer to the dimension
tables afterwards: aggregate first, join second (SPEC §8).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from sqlalchemy import Connection, case, distinct, func, select

from dashapp.analytics.query import (
    NOT_CANCELLED,
    as_date,
    line_conditions,
    lines,
    period_bucket,
    products,
)
from dashapp.filters import Filters
from dashapp.store.models import CANCELLED, Customer

Rank = Literal["revenue", "units"]

_REVENUE = func.coalesce(func.sum(case((NOT_CANCELLED, lines.c.amount_cents))), 0)
_UNITS = func.coalesce(func.sum(case((NOT_CANCELLED, lines.c.quantity))), 0)
_ORDERS = func.count(distinct(case((NOT_CANCELLED, lines.c.order_id))))


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def sales_over_time(conn: Connection, f: Filters, granularity: str = "day") -> pd.DataFrame:
    """Per period: revenue_cents, orders, units, customers, all_orders, cancelled_orders."""
    bucket = period_bucket(conn, lines.c.order_date, granularity).label("period")
    stmt = (
        select(
            bucket,
            _REVENUE,
            _ORDERS,
            _UNITS,
            func.count(distinct(case((NOT_CANCELLED, lines.c.customer_id)))),
            func.count(distinct(lines.c.order_id)),
            func.count(distinct(case((lines.c.status == CANCELLED, lines.c.order_id)))),
        )
        .where(line_conditions(f))
        .group_by(bucket)
        .order_by(bucket)
    )
    cols = ["period", "revenue_cents", "orders", "units", "customers", "all_orders", "cancelled"]
    df = _frame(conn.execute(stmt), cols)
    df["period"] = df["period"].map(as_date)
    return df.astype({c: "int64" for c in cols[1:]})


def sales_by_category(conn: Connection, f: Filters) -> pd.DataFrame:
    """Per category: revenue_cents, units, orders; largest revenue first."""
    stmt = (
        select(lines.c.category, _REVENUE, _UNITS, _ORDERS)
        .where(line_conditions(f))
        .group_by(lines.c.category)
        .order_by(_REVENUE.desc(), lines.c.category)
    )
    df = _frame(conn.execute(stmt), ["category", "revenue_cents", "units", "orders"])
    return df[df["orders"] > 0].reset_index(drop=True)


def category_over_time(conn: Connection, f: Filters, granularity: str = "month") -> pd.DataFrame:
    """Per period and category: revenue_cents."""
    bucket = period_bucket(conn, lines.c.order_date, granularity).label("period")
    stmt = (
        select(bucket, lines.c.category, _REVENUE)
        .where(line_conditions(f), NOT_CANCELLED)
        .group_by(bucket, lines.c.category)
        .order_by(bucket, lines.c.category)
    )
    df = _frame(conn.execute(stmt), ["period", "category", "revenue_cents"])
    df["period"] = df["period"].map(as_date)
    return df


def sales_by_country(conn: Connection, f: Filters) -> pd.DataFrame:
    """Per country: revenue_cents, orders, customers; largest revenue first."""
    customers = func.count(distinct(case((NOT_CANCELLED, lines.c.customer_id))))
    stmt = (
        select(lines.c.country, _REVENUE, _ORDERS, customers)
        .where(line_conditions(f))
        .group_by(lines.c.country)
        .order_by(_REVENUE.desc(), lines.c.country)
    )
    df = _frame(conn.execute(stmt), ["country", "revenue_cents", "orders", "customers"])
    df = df[df["orders"] > 0].reset_index(drop=True)
    df["country"] = df["country"].fillna("Unknown")
    return df


def top_products(conn: Connection, f: Filters, limit: int = 10, by: Rank = "revenue"):
    """The `limit` best products by revenue or units, with sku, name and category."""
    measure = _REVENUE if by == "revenue" else _UNITS
    ranked = (
        select(
            lines.c.product_id,
            _REVENUE.label("revenue_cents"),
            _UNITS.label("units"),
            _ORDERS.label("orders"),
        )
        .where(line_conditions(f), NOT_CANCELLED)
        .group_by(lines.c.product_id)
        .order_by(measure.desc(), lines.c.product_id)
        .limit(_limit(limit))
        .subquery()
    )
    stmt = select(
        products.c.sku,
        products.c.name,
        products.c.category,
        ranked.c.revenue_cents,
        ranked.c.units,
        ranked.c.orders,
    ).join_from(ranked, products, ranked.c.product_id == products.c.id)
    cols = ["sku", "name", "category", "revenue_cents", "units", "orders"]
    return _ranked(_frame(conn.execute(stmt), cols), by, "sku")


def top_customers(conn: Connection, f: Filters, limit: int = 10, by: Rank = "revenue"):
    """The `limit` best customers by revenue or units, with id, name and country."""
    customers = Customer.__table__
    measure = _REVENUE if by == "revenue" else _UNITS
    ranked = (
        select(
            lines.c.customer_id,
            _REVENUE.label("revenue_cents"),
            _UNITS.label("units"),
            _ORDERS.label("orders"),
        )
        .where(line_conditions(f), NOT_CANCELLED)
        .group_by(lines.c.customer_id)
        .order_by(measure.desc(), lines.c.customer_id)
        .limit(_limit(limit))
        .subquery()
    )
    stmt = select(
        customers.c.id,
        customers.c.name,
        customers.c.country,
        ranked.c.revenue_cents,
        ranked.c.units,
        ranked.c.orders,
    ).join_from(ranked, customers, ranked.c.customer_id == customers.c.id)
    cols = ["customer_id", "name", "country", "revenue_cents", "units", "orders"]
    return _ranked(_frame(conn.execute(stmt), cols), by, "customer_id")


def _limit(limit: int) -> int:
    if not 1 <= int(limit) <= 1000:
        raise ValueError("limit must be between 1 and 1000")
    return int(limit)


def _ranked(df: pd.DataFrame, by: Rank, tiebreak: str) -> pd.DataFrame:
    measure = "revenue_cents" if by == "revenue" else "units"
    return df.sort_values([measure, tiebreak], ascending=[False, True]).reset_index(drop=True)
