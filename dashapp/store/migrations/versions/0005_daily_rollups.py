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
    from dashapp.store.rollups import rebuild

    rebuild(op.get_bind(), tables=_TABLES)


def downgrade() -> None:
    for name in _TABLES:
        op.drop_table(name)
