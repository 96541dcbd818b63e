"""Daily rollups for the Overview queries, filled from the existing order lines

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_MEASURES_CANCELLED = ("revenue_cents", "units", "orders", "all_orders", "cancelled_orders")
_MEASURES = ("revenue_cents", "units", "orders", "all_orders")
_TABLES = {
    "rollup_day_country": (("order_date", "country"), _MEASURES_CANCELLED, None),
    "rollup_day_category_country": (
        ("order_date", "category", "country"),
        _MEASURES_CANCELLED,
        None,
    ),
    "rollup_day_product": (("order_date", "product_id", "category"), _MEASURES, "product_id"),
    "rollup_day_customer": (("order_date", "customer_id", "country"), _MEASURES, "customer_id"),
    "rollup_day_category_customer": (
        ("order_date", "category", "customer_id", "country"),
        _MEASURES,
        "customer_id",
    ),
}


def _key_column(name: str) -> sa.Column:
    if name == "order_date":
        return sa.Column(name, sa.Date(), nullable=False)
    if name in ("product_id", "customer_id"):
        return sa.Column(name, sa.Integer(), nullable=False)
    return sa.Column(name, sa.String(length=100), nullable=False)


def _measure_column(name: str) -> sa.Column:
    kind = sa.BigInteger() if name in ("revenue_cents", "units") else sa.Integer()
    return sa.Column(name, kind, nullable=False)


# Frozen here: what this migration fills, whatever dashapp.store.rollups becomes later.
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


def _fill(table: str, keys: tuple[str, ...], measures: tuple[str, ...], period: str) -> None:
    """Fill `table` from order_lines: a NULL country is kept as ''."""
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


def upgrade() -> None:
    for name, (keys, measures, indexed) in _TABLES.items():
        op.create_table(
            name,
            *[_key_column(k) for k in keys],
            *[_measure_column(m) for m in measures],
            sa.PrimaryKeyConstraint(*keys),
            sqlite_with_rowid=False,
        )
        if indexed:
            op.create_index(
                f"ix_{name}_{indexed.removesuffix('_id')}", name, [indexed, "order_date"]
            )
        _fill(name, keys, measures, "day")


def downgrade() -> None:
    for name in _TABLES:
        op.drop_table(name)
