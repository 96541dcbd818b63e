"""Daily, weekly and monthly per-product rollups split by order country

The top products of one country read the order lines until now: at 10M orders, 90 days of one
category in one country took 829 ms.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from alembic import op

from dashapp.store.migrations.frozen import MEASURES, create_rollup_table, fill_from_lines

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_KEYS = ("order_date", "country", "category", "product_id")
_TABLES = [f"rollup_{period}_product_country" for period in ("day", "week", "month")]


def upgrade() -> None:
    for name in _TABLES:
        create_rollup_table(name, _KEYS, MEASURES)
        fill_from_lines(name, _KEYS, MEASURES, name.split("_")[1])


def downgrade() -> None:
    for name in reversed(_TABLES):
        op.drop_table(name)
