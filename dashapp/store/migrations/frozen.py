"""What migrations 0005-0010 share: the rollup tables' columns, their fill from the order lines,
and each customer's active days, frozen as those migrations wrote them.

Never edit this module once a migration uses it: a migration must do forever what it did when
it was written, whatever the models, dashapp.store.rollups or dashapp.store.reach become. A
later migration that needs other columns or other SQL writes them itself, or in a new module.
Like a migration, this module imports only alembic and sqlalchemy (tests/store/
test_migrations.py checks both, and pins this file's text).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

MEASURES = ("revenue_cents", "units", "orders", "all_orders")
MEASURES_CANCELLED = (*MEASURES, "cancelled_orders")


def _key_column(name: str) -> sa.Column:
    if name == "order_date":
        return sa.Column(name, sa.Date(), nullable=False)
    if name in ("product_id", "customer_id"):
        return sa.Column(name, sa.Integer(), nullable=False)
    return sa.Column(name, sa.String(length=100), nullable=False)


def _measure_column(name: str) -> sa.Column:
    kind = sa.BigInteger() if name in ("revenue_cents", "units") else sa.Integer()
    return sa.Column(name, kind, nullable=False)


def create_rollup_table(name: str, keys: tuple[str, ...], measures: tuple[str, ...]) -> None:
    """A rollup table: its keys (the primary key, no rowid on SQLite), then its measures."""
    op.create_table(
        name,
        *[_key_column(k) for k in keys],
        *[_measure_column(m) for m in measures],
        sa.PrimaryKeyConstraint(*keys),
        sqlite_with_rowid=False,
    )


# Per key and order: revenue and units of the lines not cancelled, whether the order has a line
# not cancelled (ok) and a cancelled one; then per key: their sums, and each order once.
_FILL = """
INSERT INTO {table} ({keys}, {measures})
SELECT {keys}, {sums}
FROM (
    SELECT {key_sources},
        SUM(CASE WHEN status <> 'Cancelled' THEN amount_cents ELSE 0 END) AS rev,
        SUM(CASE WHEN status <> 'Cancelled' THEN quantity ELSE 0 END) AS qty,
        MAX(CASE WHEN status <> 'Cancelled' THEN 1 ELSE 0 END) AS ok,
        MAX(CASE WHEN status = 'Cancelled' THEN 1 ELSE 0 END) AS cancelled
    FROM order_lines
    GROUP BY {key_groups}, order_id
) AS per_order
GROUP BY {keys}
"""
_SUMS = {
    "revenue_cents": "SUM(rev)",
    "units": "SUM(qty)",
    "orders": "SUM(ok)",
    "all_orders": "COUNT(*)",
    "cancelled_orders": "SUM(cancelled)",
}
# The first day of the order's week (Monday) or month, as each backend stores a date.
_PERIOD_START = {
    ("sqlite", "day"): "order_date",
    ("sqlite", "week"): "date(order_date, '-6 days', 'weekday 1')",
    ("sqlite", "month"): "strftime('%Y-%m-01', order_date)",
    ("postgresql", "day"): "order_date",
    ("postgresql", "week"): "CAST(date_trunc('week', order_date) AS DATE)",
    ("postgresql", "month"): "CAST(date_trunc('month', order_date) AS DATE)",
}


def fill_from_lines(
    table: str, keys: tuple[str, ...], measures: tuple[str, ...], period: str
) -> None:
    """Fill `table` from order_lines, its order_date the start of the `period` (day, week or
    month): a NULL country is kept as ''."""
    bind = op.get_bind()
    sources = {
        "order_date": _PERIOD_START[(bind.dialect.name, period)],
        "country": "COALESCE(country, '')",
    }
    groups = [sources.get(k, k) for k in keys]
    bind.exec_driver_sql(
        _FILL.format(
            table=table,
            keys=", ".join(keys),
            measures=", ".join(measures),
            sums=", ".join(_SUMS[m] for m in measures),
            key_sources=", ".join(f"{g} AS {k}" for g, k in zip(groups, keys, strict=True)),
            key_groups=", ".join(groups),
        )
    )


# Each active day (a non-cancelled order: orders > 0) of each customer's four chains: over any
# category and country (''), per order country, per category, per category and country. A
# category or country stored as '' only joins the chains over any. Read from the daily rollups.
CHAIN_DAYS = """
SELECT '' AS category, '' AS country, customer_id, order_date
FROM rollup_day_customer WHERE orders > 0
GROUP BY customer_id, order_date
UNION ALL
SELECT '' AS category, country, customer_id, order_date
FROM rollup_day_customer WHERE orders > 0 AND country <> ''
GROUP BY country, customer_id, order_date
UNION ALL
SELECT category, '' AS country, customer_id, order_date
FROM rollup_day_category_customer WHERE orders > 0 AND category <> ''
GROUP BY category, customer_id, order_date
UNION ALL
SELECT category, country, customer_id, order_date
FROM rollup_day_category_customer WHERE orders > 0 AND category <> '' AND country <> ''
GROUP BY category, country, customer_id, order_date
"""
