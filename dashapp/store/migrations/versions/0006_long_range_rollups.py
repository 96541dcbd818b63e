"""Monthly and all-time rollups for long ranges, filled from the existing order lines

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_MEASURES_CANCELLED = ("revenue_cents", "units", "orders", "all_orders", "cancelled_orders")
_MEASURES = ("revenue_cents", "units", "orders", "all_orders")
_TABLES = {
    "rollup_month_country": (("order_date", "country"), _MEASURES_CANCELLED, None),
    "rollup_month_category_country": (
        ("order_date", "category", "country"),
        _MEASURES_CANCELLED,
        None,
    ),
    "rollup_product": (("product_id", "category"), _MEASURES, None),
    "rollup_customer": (("customer_id", "country"), _MEASURES, None),
    "rollup_category_customer": (("category", "customer_id", "country"), _MEASURES, None),
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
