"""Daily, weekly and monthly per-product rollups split by order country

The top products of one country read the order lines until now: at 10M orders, 90 days of one
category in one country took 829 ms.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_KEYS = ("order_date", "country", "category", "product_id")
_MEASURES = ("revenue_cents", "units", "orders", "all_orders")
_TABLES = [f"rollup_{period}_product_country" for period in ("day", "week", "month")]


def _key_column(name: str) -> sa.Column:
    if name == "order_date":
        return sa.Column(name, sa.Date(), nullable=False)
    if name == "product_id":
        return sa.Column(name, sa.Integer(), nullable=False)
    return sa.Column(name, sa.String(length=100), nullable=False)


def _measure_column(name: str) -> sa.Column:
    kind = sa.BigInteger() if name in ("revenue_cents", "units") else sa.Integer()
    return sa.Column(name, kind, nullable=False)


def upgrade() -> None:
    for name in _TABLES:
        op.create_table(
            name,
            *[_key_column(k) for k in _KEYS],
            *[_measure_column(m) for m in _MEASURES],
            sa.PrimaryKeyConstraint(*_KEYS),
            sqlite_with_rowid=False,
        )
    from dashapp.store.rollups import rebuild

    # The daily table from the lines, then the weekly and monthly ones summed from it.
    rebuild(op.get_bind(), tables=_TABLES)


def downgrade() -> None:
    for name in reversed(_TABLES):
        op.drop_table(name)
