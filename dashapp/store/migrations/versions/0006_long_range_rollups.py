"""Monthly and all-time rollups for long ranges, filled from the existing order lines

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from alembic import op

from dashapp.store.migrations.frozen import (
    MEASURES,
    MEASURES_CANCELLED,
    create_rollup_table,
    fill_from_lines,
)

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TABLES = {
    "rollup_month_country": (("order_date", "country"), MEASURES_CANCELLED),
    "rollup_month_category_country": (("order_date", "category", "country"), MEASURES_CANCELLED),
    "rollup_product": (("product_id", "category"), MEASURES),
    "rollup_customer": (("customer_id", "country"), MEASURES),
    "rollup_category_customer": (("category", "customer_id", "country"), MEASURES),
}


def upgrade() -> None:
    for name, (keys, measures) in _TABLES.items():
        create_rollup_table(name, keys, measures)
        # The monthly tables per month, the others over all time (one key for every day).
        fill_from_lines(
            name, keys, measures, "month" if name.startswith("rollup_month_") else "day"
        )


def downgrade() -> None:
    for name in _TABLES:
        op.drop_table(name)
