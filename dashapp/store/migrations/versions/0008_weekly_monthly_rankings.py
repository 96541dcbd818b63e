"""Weekly and monthly per-product and per-customer rollups for the top-N rankings

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from alembic import op

from dashapp.store.migrations.frozen import MEASURES, create_rollup_table, fill_from_lines

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_KEYS = {
    "product": ("order_date", "product_id", "category"),
    "customer": ("order_date", "customer_id", "country"),
    "category_customer": ("order_date", "category", "customer_id", "country"),
}
_TABLES = [f"rollup_{period}_{name}" for period in ("week", "month") for name in _KEYS]


def upgrade() -> None:
    for period in ("week", "month"):
        for name, keys in _KEYS.items():
            create_rollup_table(f"rollup_{period}_{name}", keys, MEASURES)
            fill_from_lines(f"rollup_{period}_{name}", keys, MEASURES, period)


def downgrade() -> None:
    for name in reversed(_TABLES):
        op.drop_table(name)
