"""The naive way the SPEC measures against: read the order lines joined to their orders into
pandas, then filter and aggregate there (what a callback doing `pd.read_sql` would do)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, select

from dashapp.filters import Filters, previous_period, same_period_last_year
from dashapp.store.models import CANCELLED, Customer, Order, OrderLine, Product

lines, orders = OrderLine.__table__, Order.__table__


_CHUNK_ROWS = 1_000_000


def read_frame(conn: Connection, stmt, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    """pd.read_sql of the whole statement, in chunks of a million rows: each chunk's repeated
    strings (category, status, country, ...) share one object per value and its dates become
    datetimes, so 22M lines fit in memory (one read_sql of 10M orders took 20 GB and was
    killed). The frame holds the same values as a plain read_sql."""
    parts = []
    for chunk in pd.read_sql(stmt, conn, chunksize=_CHUNK_ROWS):
        for column in chunk.columns:
            if column in dates:
                chunk[column] = pd.to_datetime(chunk[column])
            elif chunk[column].dtype == object:
                chunk[column] = chunk[column].astype("category").astype(object)
        parts.append(chunk)
    if not parts:
        return pd.read_sql(stmt, conn)
    return pd.concat(parts, ignore_index=True)


def read_lines(conn: Connection) -> pd.DataFrame:
    """Every order line with its order's date, status, customer and country."""
    stmt = select(
        lines.c.order_id,
        lines.c.product_id,
        lines.c.quantity,
        lines.c.amount_cents,
        lines.c.category,
        orders.c.order_date,
        orders.c.status,
        orders.c.customer_id,
        orders.c.country,
    ).join(orders, orders.c.id == lines.c.order_id)
    return read_frame(conn, stmt, dates=("order_date",))


def read_dimensions(conn: Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Products and customers, for the names in the top-N tables."""
    products = pd.read_sql(select(Product.id, Product.sku, Product.name, Product.category), conn)
    customers = pd.read_sql(select(Customer.id, Customer.name, Customer.country), conn)
    return products, customers


def categories(conn: Connection) -> list[str]:
    """Every category of the catalogue, sorted: the products table read into pandas."""
    products = pd.read_sql(select(Product.__table__), conn)
    return sorted(products["category"].unique())


def filtered(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The rows matching the date range, categories and countries of `f`."""
    mask = pd.Series(True, index=df.index)
    if f.start:
        mask &= df["order_date"] >= pd.Timestamp(f.start)
    if f.end:
        mask &= df["order_date"] <= pd.Timestamp(f.end)
    if f.categories:
        mask &= df["category"].isin(f.categories)
    if f.countries:
        mask &= df["country"].isin(f.countries)
    return df[mask]


def _kpis(df: pd.DataFrame, first_order: pd.Series, start: date, end: date) -> dict:
    live = df[df["status"] != CANCELLED]
    customers = live["customer_id"].unique()
    firsts = first_order.reindex(customers)
    new = int(((firsts >= pd.Timestamp(start)) & (firsts <= pd.Timestamp(end))).sum())
    return {
        "revenue_cents": int(live["amount_cents"].sum()),
        "orders": live["order_id"].nunique(),
        "customers": len(customers),
        "new_customers": new,
        "units": int(live["quantity"].sum()),
        "all_orders": df["order_id"].nunique(),
        "cancelled_orders": df.loc[df["status"] == CANCELLED, "order_id"].nunique(),
    }


def kpi_summary(df: pd.DataFrame, f: Filters) -> dict:
    """Current, previous-period and last-year KPIs (f must have a start and an end)."""
    live = df[df["status"] != CANCELLED]
    first_order = live.groupby("customer_id")["order_date"].min()
    periods = {
        "current": (f.start, f.end),
        "previous": previous_period(f.start, f.end),
        "last_year": same_period_last_year(f.start, f.end),
    }
    return {
        name: _kpis(filtered(df, f.with_range(*period)), first_order, *period)
        for name, period in periods.items()
    }


def sales_over_time(df: pd.DataFrame, f: Filters, granularity: str) -> pd.DataFrame:
    """Per day or month: revenue_cents, orders, units, customers, all_orders, cancelled."""
    df = filtered(df, f)
    freq = {"day": "D", "month": "M"}[granularity]
    period = df["order_date"].dt.to_period(freq).dt.start_time
    live = df["status"] != CANCELLED
    frame = df.assign(
        period=period,
        rev=df["amount_cents"].where(live, 0),
        units=df["quantity"].where(live, 0),
        live_order=df["order_id"].where(live),
        live_customer=df["customer_id"].where(live),
        cancelled=df["order_id"].where(~live),
    )
    return (
        frame.groupby("period")
        .agg(
            revenue_cents=("rev", "sum"),
            orders=("live_order", "nunique"),
            units=("units", "sum"),
            customers=("live_customer", "nunique"),
            all_orders=("order_id", "nunique"),
            cancelled=("cancelled", "nunique"),
        )
        .reset_index()
    )


def _by(df: pd.DataFrame, key: str) -> pd.DataFrame:
    live = df[df["status"] != CANCELLED]
    return (
        live.groupby(key)
        .agg(
            revenue_cents=("amount_cents", "sum"),
            units=("quantity", "sum"),
            orders=("order_id", "nunique"),
            customers=("customer_id", "nunique"),
        )
        .reset_index()
        .sort_values(["revenue_cents", key], ascending=[False, True])
    )


def sales_by_category(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    return _by(filtered(df, f), "category")


def sales_by_country(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    return _by(filtered(df, f), "country")


def category_over_time(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Per month and category: revenue_cents."""
    df = filtered(df, f)
    live = df[df["status"] != CANCELLED]
    month = live["order_date"].dt.to_period("M").dt.start_time
    return (
        live.assign(period=month)
        .groupby(["period", "category"])["amount_cents"]
        .sum()
        .reset_index(name="revenue_cents")
    )


def top_products(df: pd.DataFrame, f: Filters, products: pd.DataFrame, limit: int = 10):
    top = _by(filtered(df, f), "product_id").head(limit)
    return top.merge(products, how="left", left_on="product_id", right_on="id")


def top_customers(df: pd.DataFrame, f: Filters, customers: pd.DataFrame, limit: int = 10):
    top = _by(filtered(df, f), "customer_id").head(limit)
    return top.merge(
        customers, how="left", left_on="customer_id", right_on="id", suffixes=("", "_c")
    )
