"""Reorder recommendations: days of cover from stock on hand and recent sales velocity.

"Today" defaults to the last order day in the data, not the calendar date, so an imported
history (the sample CSV ends in May 2005) still gives meaningful velocities.

Statuses, most pressing first:
- URGENT: selling, and under 7 days of cover (including out of stock with recent sales);
- WARNING: selling, 7 to 14 days of cover (both ends included);
- OUT OF STOCK: no stock and no sales in the last 30 days (nothing to sell, so no velocity to
  judge; kept apart from OK so an empty shelf is never reported as fine);
- SLOW MOVER: stock on hand but no sales in the last 30 days;
- OK: the rest (more than 14 days of cover, or stock with sales only 29-30 days ago).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Connection, Integer, case, cast, func, select

from dashapp.analytics.query import NOT_CANCELLED, data_bounds, lines, products
from dashapp.csv_writer import csv_document

URGENT, WARNING, OUT_OF_STOCK, SLOW_MOVER, OK = (
    "URGENT",
    "WARNING",
    "OUT OF STOCK",
    "SLOW MOVER",
    "OK",
)
STATUSES = (URGENT, WARNING, OUT_OF_STOCK, SLOW_MOVER, OK)
URGENT_DAYS = 7
WARNING_DAYS = 14
SLOW_MOVER_DAYS = 30
# A suggested order brings stock up to the reorder point plus demand over the lead time and
# this many more days, so the next review has something to work with.
REVIEW_DAYS = 14
WINDOW_DAYS = 28  # the sales velocity's window: the Forecast page's table and the reports

COLUMNS = [
    "sku",
    "name",
    "category",
    "stock",
    "reorder_point",
    "lead_time_days",
    "units_window",
    "avg_daily_units",
    "days_of_cover",
    "lead_time_demand",
    "suggested_order_qty",
    "last_sale",
    "status",
]


def reorder_recommendations(
    conn: Connection, today: date | None = None, window_days: int = WINDOW_DAYS
) -> pd.DataFrame:
    """One row per active product with its cover and status, most pressing first.

    avg_daily_units = units sold (non-cancelled) in the `window_days` ending `today` / window;
    lead_time_demand = that velocity x lead time (the demand forecast over the lead time).
    """
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    today = today or data_bounds(conn)[1] or date.today()
    velocity_start = today - timedelta(days=window_days - 1)
    recent_start = today - timedelta(days=SLOW_MOVER_DAYS - 1)
    first = min(velocity_start, recent_start)
    sold = (
        select(
            lines.c.product_id,
            func.sum(case((lines.c.order_date >= velocity_start, lines.c.quantity), else_=0)).label(
                "units_window"
            ),
            func.sum(case((lines.c.order_date >= recent_start, lines.c.quantity), else_=0)).label(
                "units_recent"
            ),
            func.max(lines.c.order_date).label("last_sale"),
        )
        .where(NOT_CANCELLED, lines.c.order_date >= first, lines.c.order_date <= today)
        .group_by(lines.c.product_id)
        .subquery()
    )
    stmt = (
        select(
            products.c.sku,
            products.c.name,
            products.c.category,
            products.c.stock_on_hand,
            products.c.reorder_point,
            products.c.lead_time_days,
            cast(func.coalesce(sold.c.units_window, 0), Integer),
            cast(func.coalesce(sold.c.units_recent, 0), Integer),
            sold.c.last_sale,
        )
        .select_from(products.outerjoin(sold, sold.c.product_id == products.c.id))
        .where(products.c.active.is_(True))
    )
    rows = [_recommend(tuple(r), window_days) for r in conn.execute(stmt)]
    df = pd.DataFrame(rows, columns=COLUMNS)
    if df.empty:
        return df
    rank = df["status"].map({s: i for i, s in enumerate(STATUSES)})
    cover = df["days_of_cover"].fillna(math.inf)
    order = sorted(range(len(df)), key=lambda i: (rank.iat[i], cover.iat[i], df["sku"].iat[i]))
    return df.iloc[order].reset_index(drop=True)


def _recommend(row: tuple, window_days: int) -> tuple:
    sku, name, category, stock, reorder_point, lead_time, units_window, units_recent, last = row
    avg = units_window / window_days
    on_hand = max(stock, 0)  # a backorder is no cover
    cover = on_hand / avg if avg > 0 else None
    lead_demand = avg * lead_time
    if avg > 0:
        status = URGENT if cover < URGENT_DAYS else WARNING if cover <= WARNING_DAYS else OK
    elif units_recent == 0:
        status = SLOW_MOVER if on_hand > 0 else OUT_OF_STOCK
    else:
        status = OK
    target = reorder_point + math.ceil(avg * (lead_time + REVIEW_DAYS))
    suggested = max(0, target - on_hand) if status in (URGENT, WARNING) else 0
    if status == OK and on_hand <= reorder_point and avg > 0:
        suggested = max(0, target - on_hand)  # below its own reorder point despite good cover
    return (
        sku,
        name,
        category,
        stock,
        reorder_point,
        lead_time,
        units_window,
        round(avg, 2),
        None if cover is None else round(cover, 1),
        round(lead_demand, 1),
        suggested,
        _iso(last),
        status,
    )


def _iso(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def reorder_csv(df: pd.DataFrame) -> str:
    """The reorder table as CSV text (header row, days of cover empty when not selling),
    through the one export writer so a product named "=HYPERLINK(...)" stays text."""
    rows = df.reindex(columns=COLUMNS).itertuples(index=False, name=None)
    return csv_document(COLUMNS, rows)
