"""Monthly rollups by the order's own dimensions (status, channel, segment, ship-to)

The pivot (issue 19) read every order line for a dimension kept on the order rather than in a
rollup key (status, channel, segment, region, state, city): 1.3-5 s of CPU per pivot at 1M
orders. Two monthly tables hold the order-level sums split by those dimensions, one with the
line's category (and without the city), each with revenue, units, orders, discounts, cost,
the revenue of the lines whose cost is known and the orders with such a line (0: profit "n/a",
apart from a profit of 0.00). Filled here from the lines joined to their orders, with SQL
frozen in this file; a NULL text value is kept as ''.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

# Key column -> (type, its source over order_lines l joined to orders o).
_KEYS = {
    "category": (sa.String(length=100), "l.category"),
    "status": (sa.String(length=20), "l.status"),
    "channel": (sa.String(length=30), "COALESCE(o.channel, '')"),
    "segment": (sa.String(length=50), "COALESCE(o.segment, '')"),
    "country": (sa.String(length=100), "COALESCE(l.country, '')"),
    "ship_region": (sa.String(length=100), "COALESCE(o.ship_region, '')"),
    "ship_state": (sa.String(length=100), "COALESCE(o.ship_state, '')"),
    "ship_city": (sa.String(length=100), "COALESCE(o.ship_city, '')"),
}
_DIMENSIONS = ("status", "channel", "segment", "country", "ship_region", "ship_state")
_TABLES = {
    "rollup_month_orders": (*_DIMENSIONS, "ship_city"),
    "rollup_month_category_orders": ("category", *_DIMENSIONS),
}
_LIVE = "l.status <> 'Cancelled'"
_COSTED = f"{_LIVE} AND l.cost_cents IS NOT NULL"
# Measure -> (type, the per-order value over the order's lines under one key, the per-key sum).
_MEASURES = {
    "revenue_cents": (sa.BigInteger(), f"SUM(CASE WHEN {_LIVE} THEN l.amount_cents ELSE 0 END)"),
    "units": (sa.BigInteger(), f"SUM(CASE WHEN {_LIVE} THEN l.quantity ELSE 0 END)"),
    "orders": (sa.Integer(), f"MAX(CASE WHEN {_LIVE} THEN 1 ELSE 0 END)"),
    "all_orders": (sa.Integer(), "1"),
    "discounts_cents": (
        sa.BigInteger(),
        f"SUM(CASE WHEN {_LIVE} AND l.discount_bp > 0 "
        "THEN l.quantity * l.unit_price_cents - l.amount_cents ELSE 0 END)",
    ),
    "cost_cents": (sa.BigInteger(), f"SUM(CASE WHEN {_COSTED} THEN l.cost_cents ELSE 0 END)"),
    "costed_revenue_cents": (
        sa.BigInteger(),
        f"SUM(CASE WHEN {_COSTED} THEN l.amount_cents ELSE 0 END)",
    ),
    "costed_orders": (sa.Integer(), f"MAX(CASE WHEN {_COSTED} THEN 1 ELSE 0 END)"),
}
_MONTH = {
    "sqlite": "strftime('%Y-%m-01', l.order_date)",
    "postgresql": "CAST(date_trunc('month', l.order_date) AS DATE)",
}


def _fill(bind, table: str, keys: tuple[str, ...]) -> None:
    """Per key and order the order's lines summed (each order once per key), then per key."""
    month = _MONTH[bind.dialect.name]
    sources = [month, *(_KEYS[k][1] for k in keys)]
    names = ["order_date", *keys]
    per_order = ", ".join(f"{s} AS {n}" for s, n in zip(sources, names, strict=True))
    values = ", ".join(f"{sql} AS {m}" for m, (_, sql) in _MEASURES.items())
    bind.exec_driver_sql(
        f"INSERT INTO {table} ({', '.join(names)}, {', '.join(_MEASURES)}) "
        f"SELECT {', '.join(names)}, {', '.join(f'SUM({m})' for m in _MEASURES)} "
        f"FROM (SELECT {per_order}, {values} "
        "FROM order_lines l JOIN orders o ON o.id = l.order_id "
        f"GROUP BY {', '.join(sources)}, l.order_id) AS per_order "
        f"GROUP BY {', '.join(names)}"
    )


def upgrade() -> None:
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    for table, keys in _TABLES.items():
        # Skipped where present: a database stamped back re-runs this step.
        if table in present:
            continue
        op.create_table(
            table,
            sa.Column("order_date", sa.Date(), nullable=False),
            *(sa.Column(k, _KEYS[k][0], nullable=False) for k in keys),
            *(sa.Column(m, kind, nullable=False) for m, (kind, _) in _MEASURES.items()),
            sa.PrimaryKeyConstraint("order_date", *keys),
            sqlite_with_rowid=False,
        )
        _fill(bind, table, keys)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
