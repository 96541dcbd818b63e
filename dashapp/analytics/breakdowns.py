"""Revenue over time and by category, product, country and customer.

Each function aggregates in SQL, on the rollups when the filters allow it (see
query.order_source and friends) and on order_lines otherwise, each measure generated for either
from its one declaration (analytics.measures), and joins the (small) answer to the dimension
tables afterwards: aggregate first, join second (SPEC §8).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import pandas as pd
from sqlalchemy import Connection, distinct, func, literal, select

from dashapp.analytics import topn
from dashapp.analytics.measures import (
    ALL_ORDERS,
    CANCELLED_ORDERS,
    CANCELLED_UNITS,
    CANCELLED_VALUE,
    CUSTOMERS_OVER_LINES,
    ORDERS,
    REVENUE,
    UNITS,
    live,
    live_rows,
)
from dashapp.analytics.query import (
    Source,
    active_customers_by_country,
    as_date,
    category_source,
    customer_source,
    customers_per_period,
    lines,
    lines_source,
    order_source,
    period_bucket,
    product_source,
    products,
    reach_key,
)
from dashapp.filters import Filters
from dashapp.store.models import Customer

Rank = Literal["revenue", "units"]
RANKED = {"revenue": REVENUE, "units": UNITS}


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
    if totals is None or people is None:
        totals, people = lines_source(f), None
    t = totals.table
    bucket = period_bucket(conn, t.c.order_date, granularity).label("period")
    # Over the lines, distinct customers come in the same pass as the sums.
    counted = [CUSTOMERS_OVER_LINES if customers else literal(0)] if totals.on_lines else []
    stmt = (
        select(bucket, *(m.over(totals) for m in (REVENUE, ORDERS, UNITS)), *counted)
        .add_columns(*(m.over(totals) for m in (ALL_ORDERS, CANCELLED_ORDERS)))
        .where(totals.where)
        .group_by(bucket)
        .order_by(bucket)
    )
    if totals.on_lines:
        df = _frame(conn.execute(stmt), cols)
    else:
        df = _frame(conn.execute(stmt), [c for c in cols if c != "customers"])
        counts = _customers_per_period(conn, f, granularity, people) if customers else {}
        df.insert(4, "customers", [counts.get(as_date(p), 0) for p in df["period"]])
    df["period"] = df["period"].map(as_date)
    return df.astype({c: "int64" for c in cols[1:]})


def cancelled_over_time(conn: Connection, f: Filters, granularity: str = "day") -> pd.DataFrame:
    """Per period: the cancelled orders' value (revenue_cents, so the revenue charts can draw
    it), orders and units, for a page filtered on Status = Cancelled (over the lines: the
    rollups hold no cancelled amounts)."""
    source = lines_source(f)
    bucket = period_bucket(conn, lines.c.order_date, granularity).label("period")
    stmt = (
        select(
            bucket,
            CANCELLED_VALUE.over(source),
            CANCELLED_ORDERS.over(source),
            CANCELLED_UNITS.over(source),
        )
        .where(source.where)
        .group_by(bucket)
        .order_by(bucket)
    )
    df = _frame(conn.execute(stmt), ["period", "revenue_cents", "orders", "units"])
    df["period"] = df["period"].map(as_date)
    return df.astype({"revenue_cents": "int64", "orders": "int64", "units": "int64"})


def _customers_per_period(conn: Connection, f: Filters, granularity: str, people: Source) -> dict:
    """{period start: distinct customers} from the activity chains or the daily customer rows."""
    key = reach_key(f)
    if key is not None:
        return customers_per_period(conn, key, f, granularity)
    p = people.table
    pbucket = period_bucket(conn, p.c.order_date, granularity).label("period")
    active = (
        select(pbucket, func.count(distinct(p.c.customer_id)))
        .where(people.where, live_rows(p))
        .group_by(pbucket)
    )
    return {as_date(period): n for period, n in conn.execute(active)}


def categories_in_order_of_appearance(conn: Connection) -> list[str]:
    """Every catalog category, in the order its first product was added (the product ids grow
    with time): a category added later comes after all of today's, whatever its name."""
    first = func.min(products.c.id)
    stmt = select(products.c.category).group_by(products.c.category).order_by(first)
    return list(conn.execute(stmt).scalars())


def sales_by_category(conn: Connection, f: Filters) -> pd.DataFrame:
    """Per category: revenue_cents, units, orders; largest revenue first."""
    source = category_source(f) or lines_source(f)
    category = source.table.c.category
    revenue = REVENUE.over(source)
    stmt = (
        select(category, revenue, UNITS.over(source), ORDERS.over(source))
        .where(source.where)
        .group_by(category)
        .order_by(revenue.desc(), category)
    )
    df = _frame(conn.execute(stmt), ["category", "revenue_cents", "units", "orders"])
    return df[df["orders"] > 0].reset_index(drop=True)


def category_over_time(conn: Connection, f: Filters, granularity: str = "month") -> pd.DataFrame:
    """Per period and category: revenue_cents."""
    monthly = granularity in ("month", "quarter", "year")
    source = category_source(f, monthly=monthly) or lines_source(f)
    t = source.table
    bucket = period_bucket(conn, t.c.order_date, granularity).label("period")
    stmt = (
        select(bucket, t.c.category, REVENUE.over(source))
        .where(source.where, live(source))
        .group_by(bucket, t.c.category)
        .order_by(bucket, t.c.category)
    )
    df = _frame(conn.execute(stmt), ["period", "category", "revenue_cents"])
    df["period"] = df["period"].map(as_date)
    return df


def sales_by_country(conn: Connection, f: Filters) -> pd.DataFrame:
    """Per country: revenue_cents, orders, customers; largest revenue first."""
    totals, people = order_source(f), customer_source(conn, f)
    if totals is None or people is None:
        totals, people = lines_source(f), None
    country = totals.table.c.country
    revenue = REVENUE.over(totals)
    # Over the lines, distinct customers come in the same pass as the sums.
    counted = [CUSTOMERS_OVER_LINES] if people is None else []
    stmt = (
        select(country, revenue, ORDERS.over(totals), *counted)
        .where(totals.where)
        .group_by(country)
        .order_by(revenue.desc(), country)
    )
    if people is None:
        df = _frame(conn.execute(stmt), ["country", "revenue_cents", "orders", "customers"])
    else:
        df = _frame(conn.execute(stmt), ["country", "revenue_cents", "orders"])
        counts = _customers_by_country(conn, f, list(df["country"]), people)
        df["customers"] = [counts.get(c, 0) for c in df["country"]]
        # The rollups store a missing country as ''.
        df["country"] = df["country"].replace("", None)
    df = df[df["orders"] > 0].reset_index(drop=True)
    df["country"] = df["country"].fillna("Unknown")
    return df


def _customers_by_country(
    conn: Connection, f: Filters, found: list[str], people: Source
) -> dict[str, int]:
    """{country: distinct customers} from the activity chains, or the per-customer rows for
    what they do not answer."""
    p = people.table
    key = reach_key(replace(f, countries=()))
    counts = {}
    if key is not None:  # from the per-country activity chains
        counts = active_customers_by_country(conn, key[0], found, f.start, f.end)
    if len(counts) < len(found):  # orders without a country (no chain), or no chains to use
        rest = [c for c in found if c not in counts]
        active = (
            select(p.c.country, func.count(distinct(p.c.customer_id)))
            .where(people.where, live_rows(p), p.c.country.in_(rest))
            .group_by(p.c.country)
        )
        counts.update(dict(conn.execute(active).all()))
    return counts


def top_products(conn: Connection, f: Filters, limit: int = 10, by: Rank = "revenue"):
    """The `limit` best products by revenue or units, with sku, name and category."""
    described = {"sku": products.c.sku, "name": products.c.name, "category": products.c.category}
    return _top(conn, f, limit, by, topn.PRODUCTS, "product_id", product_source, described)


def top_customers(conn: Connection, f: Filters, limit: int = 10, by: Rank = "revenue"):
    """The `limit` best customers by revenue or units, with id, name and country."""
    customers = Customer.__table__
    described = {
        "customer_id": customers.c.id,
        "name": customers.c.name,
        "country": customers.c.country,
    }
    return _top(conn, f, limit, by, topn.CUSTOMERS, "customer_id", customer_source, described)


def _top(conn: Connection, f: Filters, limit: int, by: Rank, ranking, key: str, source, described):
    """The best ids of `key` with the `described` columns of their table (named as the keys;
    the first one breaks ties) and revenue_cents, units and orders: from the monthly lists
    when they answer these filters, else summed from `source(conn, f)`."""
    columns = tuple(described.values())
    table = columns[0].table
    cols = [*described, "revenue_cents", "units", "orders"]
    tiebreak = cols[0]
    best = _best_from_lists(conn, ranking, f, limit, by, table.c.id, columns)
    if best is not None:
        return _ranked(_frame(best, cols), by, tiebreak)
    ranked = _ranked_ids(f, key, source(conn, f), limit, by)
    stmt = select(*columns, ranked.c.revenue_cents, ranked.c.units, ranked.c.orders).join_from(
        ranked, table, ranked.c[key] == table.c.id
    )
    return _ranked(_frame(conn.execute(stmt), cols), by, tiebreak)


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
    source = source or lines_source(f)
    column = source.table.c[key]
    sums = {m: m.over(source) for m in (REVENUE, UNITS, ORDERS)}
    stmt = (
        select(column, *sums.values())
        .where(source.where, live(source))
        .group_by(column)
        .order_by(sums[RANKED[by]].desc(), column)
    )
    return stmt.limit(_limit(limit)).subquery()


def _limit(limit: int) -> int:
    if not 1 <= int(limit) <= 1000:
        raise ValueError("limit must be between 1 and 1000")
    return int(limit)


def _ranked(df: pd.DataFrame, by: Rank, tiebreak: str) -> pd.DataFrame:
    measure = "revenue_cents" if by == "revenue" else "units"
    return df.sort_values([measure, tiebreak], ascending=[False, True]).reset_index(drop=True)
