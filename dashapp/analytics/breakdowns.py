"""Revenue over time and by category, product, country and customer.

Each function aggregates in SQL, on the daily rollups when the filters allow it (see
query.order_rollup and friends) and on order_lines otherwise, and joins the (small) answer to
the dimension tables afterwards: aggregate first, join second (SPEC §8).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import pandas as pd
from sqlalchemy import Connection, case, distinct, func, literal, select

from dashapp.analytics import topn
from dashapp.analytics.query import (
    NOT_CANCELLED,
    Source,
    active_customers_by_country,
    as_date,
    category_source,
    customer_source,
    customers_per_period,
    line_conditions,
    lines,
    order_source,
    period_bucket,
    product_source,
    products,
    reach_key,
)
from dashapp.filters import Filters
from dashapp.store.models import CANCELLED, Customer

Rank = Literal["revenue", "units"]

_REVENUE = func.coalesce(func.sum(case((NOT_CANCELLED, lines.c.amount_cents))), 0)
_UNITS = func.coalesce(func.sum(case((NOT_CANCELLED, lines.c.quantity))), 0)
_ORDERS = func.count(distinct(case((NOT_CANCELLED, lines.c.order_id))))


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def sales_over_time(
    conn: Connection, f: Filters, granularity: str = "day", *, customers: bool = True
) -> pd.DataFrame:
    """Per period: revenue_cents, orders, units, customers, all_orders, cancelled_orders.

    customers=False leaves the distinct-customer count out (0), for charts that do not show it.
    """
    cols = ["period", "revenue_cents", "orders", "units", "customers", "all_orders", "cancelled"]
    monthly = granularity in ("month", "quarter", "year")
    totals = order_source(f, monthly=monthly)
    people = customer_source(conn, f, by_day=True)
    if totals is not None and people is not None:
        df = _over_time_from_rollups(conn, f, granularity, totals, people if customers else None)
    else:
        bucket = period_bucket(conn, lines.c.order_date, granularity).label("period")
        people_count = (
            func.count(distinct(case((NOT_CANCELLED, lines.c.customer_id))))
            if customers
            else literal(0)
        )
        stmt = (
            select(
                bucket,
                _REVENUE,
                _ORDERS,
                _UNITS,
                people_count,
                func.count(distinct(lines.c.order_id)),
                func.count(distinct(case((lines.c.status == CANCELLED, lines.c.order_id)))),
            )
            .where(line_conditions(f))
            .group_by(bucket)
            .order_by(bucket)
        )
        df = _frame(conn.execute(stmt), cols)
    df["period"] = df["period"].map(as_date)
    return df.astype({c: "int64" for c in cols[1:]})


def _over_time_from_rollups(
    conn: Connection, f: Filters, granularity: str, totals: Source, people: Source | None
) -> pd.DataFrame:
    t = totals.table
    bucket = period_bucket(conn, t.c.order_date, granularity).label("period")
    stmt = (
        select(bucket, *_sums(t, "revenue_cents", "orders", "units"))
        .add_columns(*_sums(t, "all_orders", "cancelled_orders"))
        .where(totals.where)
        .group_by(bucket)
        .order_by(bucket)
    )
    df = _frame(
        conn.execute(stmt),
        ["period", "revenue_cents", "orders", "units", "all_orders", "cancelled"],
    )
    counts: dict = {}
    key = reach_key(f)
    if people is not None and key is not None:
        counts = customers_per_period(conn, key, f, granularity)
    elif people is not None:
        p = people.table
        pbucket = period_bucket(conn, p.c.order_date, granularity).label("period")
        active = (
            select(pbucket, func.count(distinct(p.c.customer_id)))
            .where(people.where, p.c.orders > 0)
            .group_by(pbucket)
        )
        counts = {as_date(period): n for period, n in conn.execute(active)}
    df.insert(4, "customers", [counts.get(as_date(p), 0) for p in df["period"]])
    return df


def _sums(table, *measures: str) -> list:
    return [func.coalesce(func.sum(table.c[m]), 0).label(m) for m in measures]


def sales_by_category(conn: Connection, f: Filters) -> pd.DataFrame:
    """Per category: revenue_cents, units, orders; largest revenue first."""
    source = category_source(f)
    if source is not None:
        t = source.table
        revenue = func.coalesce(func.sum(t.c.revenue_cents), 0)
        stmt = (
            select(t.c.category, revenue, *_sums(t, "units", "orders"))
            .where(source.where)
            .group_by(t.c.category)
            .order_by(revenue.desc(), t.c.category)
        )
    else:
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
    source = category_source(f, monthly=granularity in ("month", "quarter", "year"))
    if source is not None:
        t = source.table
        bucket = period_bucket(conn, t.c.order_date, granularity).label("period")
        stmt = (
            select(bucket, t.c.category, func.sum(t.c.revenue_cents))
            .where(source.where, t.c.orders > 0)
            .group_by(bucket, t.c.category)
            .order_by(bucket, t.c.category)
        )
    else:
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
    totals, people = order_source(f), customer_source(conn, f)
    if totals is not None and people is not None:
        t, p = totals.table, people.table
        revenue = func.coalesce(func.sum(t.c.revenue_cents), 0)
        stmt = (
            select(t.c.country, revenue, *_sums(t, "orders"))
            .where(totals.where)
            .group_by(t.c.country)
            .order_by(revenue.desc(), t.c.country)
        )
        df = _frame(conn.execute(stmt), ["country", "revenue_cents", "orders"])
        key = reach_key(replace(f, countries=()))
        counts = {}
        if key is not None:  # from the per-country activity chains
            found = list(df["country"])
            counts = active_customers_by_country(conn, key[0], found, f.start, f.end)
        if len(counts) < len(df):  # orders without a country (no chain), or no chains to use
            rest = [c for c in df["country"] if c not in counts]
            active = (
                select(p.c.country, func.count(distinct(p.c.customer_id)))
                .where(people.where, p.c.orders > 0, p.c.country.in_(rest))
                .group_by(p.c.country)
            )
            counts.update(dict(conn.execute(active).all()))
        df["customers"] = [counts.get(c, 0) for c in df["country"]]
        # The rollups store a missing country as ''.
        df["country"] = df["country"].replace("", None)
    else:
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
    cols = ["sku", "name", "category", "revenue_cents", "units", "orders"]
    described = (products.c.sku, products.c.name, products.c.category)
    best = _best_from_lists(conn, topn.PRODUCTS, f, limit, by, products.c.id, described)
    if best is not None:
        return _ranked(_frame(best, cols), by, "sku")
    ranked = _ranked_ids(f, "product_id", product_source(conn, f), limit, by)
    stmt = select(*described, ranked.c.revenue_cents, ranked.c.units, ranked.c.orders).join_from(
        ranked, products, ranked.c.product_id == products.c.id
    )
    return _ranked(_frame(conn.execute(stmt), cols), by, "sku")


def top_customers(conn: Connection, f: Filters, limit: int = 10, by: Rank = "revenue"):
    """The `limit` best customers by revenue or units, with id, name and country."""
    customers = Customer.__table__
    cols = ["customer_id", "name", "country", "revenue_cents", "units", "orders"]
    described = (customers.c.id, customers.c.name, customers.c.country)
    best = _best_from_lists(conn, topn.CUSTOMERS, f, limit, by, customers.c.id, described)
    if best is not None:
        return _ranked(_frame(best, cols), by, "customer_id")
    ranked = _ranked_ids(f, "customer_id", customer_source(conn, f), limit, by)
    stmt = select(*described, ranked.c.revenue_cents, ranked.c.units, ranked.c.orders).join_from(
        ranked, customers, ranked.c.customer_id == customers.c.id
    )
    return _ranked(_frame(conn.execute(stmt), cols), by, "customer_id")


def _best_from_lists(conn, ranking, f: Filters, limit: int, by: Rank, id_column, described):
    """Rows (described..., revenue_cents, units, orders) of the best ids read from the monthly
    lists (analytics.topn), or None when those do not answer these filters."""
    if not topn.applies(conn, f):
        return None
    best = topn.top_totals(conn, ranking, f, _limit(limit), by)
    if best is None:
        return None
    totals = {i: rest for i, *rest in best}
    stmt = select(id_column, *described).where(id_column.in_(list(totals)))
    return [(*row[1:], *totals[row[0]]) for row in conn.execute(stmt)]


def _ranked_ids(f: Filters, key: str, source: Source | None, limit: int, by: Rank):
    """The `limit` best ids of `key` with revenue_cents, units and orders, as a subquery."""
    if source is not None:
        table = source.table
        revenue = func.sum(table.c.revenue_cents)
        units = func.sum(table.c.units)
        measure = revenue if by == "revenue" else units
        stmt = (
            select(
                table.c[key],
                revenue.label("revenue_cents"),
                units.label("units"),
                func.sum(table.c.orders).label("orders"),
            )
            .where(source.where, table.c.orders > 0)
            .group_by(table.c[key])
            .order_by(measure.desc(), table.c[key])
        )
    else:
        measure = _REVENUE if by == "revenue" else _UNITS
        stmt = (
            select(
                lines.c[key],
                _REVENUE.label("revenue_cents"),
                _UNITS.label("units"),
                _ORDERS.label("orders"),
            )
            .where(line_conditions(f), NOT_CANCELLED)
            .group_by(lines.c[key])
            .order_by(measure.desc(), lines.c[key])
        )
    return stmt.limit(_limit(limit)).subquery()


def _limit(limit: int) -> int:
    if not 1 <= int(limit) <= 1000:
        raise ValueError("limit must be between 1 and 1000")
    return int(limit)


def _ranked(df: pd.DataFrame, by: Rank, tiebreak: str) -> pd.DataFrame:
    measure = "revenue_cents" if by == "revenue" else "units"
    return df.sort_values([measure, tiebreak], ascending=[False, True]).reset_index(drop=True)
