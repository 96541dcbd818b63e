"""Weekly and monthly per-product and per-customer rollups for the top-N rankings

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_KEYS = {
    "product": ("order_date", "product_id", "category"),
    "customer": ("order_date", "customer_id", "country"),
    "category_customer": ("order_date", "category", "customer_id", "country"),
}
_MEASURES = ("revenue_cents", "units", "orders", "all_orders")
_TABLES = [f"rollup_{period}_{name}" for period in ("week", "month") for name in _KEYS]


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
    for period in ("week", "month"):
        for name, keys in _KEYS.items():
            op.create_table(
                f"rollup_{period}_{name}",
                *[_key_column(k) for k in keys],
                *[_measure_column(m) for m in _MEASURES],
                sa.PrimaryKeyConstraint(*keys),
                sqlite_with_rowid=False,
            )
    from dashapp.store.rollups import rebuild

    rebuild(op.get_bind(), tables=_TABLES)


def downgrade() -> None:
    for name in reversed(_TABLES):
        op.drop_table(name)
