"""Daily rollups for the Overview queries, filled from the existing order lines

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from alembic import op

from dashapp.store.migrations.frozen import (
    MEASURES,
    MEASURES_CANCELLED,
    create_rollup_table,
    fill_from_lines,
)

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLES = {
    "rollup_day_country": (("order_date", "country"), MEASURES_CANCELLED, None),
    "rollup_day_category_country": (
        ("order_date", "category", "country"),
        MEASURES_CANCELLED,
        None,
    ),
    "rollup_day_product": (("order_date", "product_id", "category"), MEASURES, "product_id"),
    "rollup_day_customer": (("order_date", "customer_id", "country"), MEASURES, "customer_id"),
    "rollup_day_category_customer": (
        ("order_date", "category", "customer_id", "country"),
        MEASURES,
        "customer_id",
    ),
}


def upgrade() -> None:
    for name, (keys, measures, indexed) in _TABLES.items():
        create_rollup_table(name, keys, measures)
        if indexed:
            op.create_index(
                f"ix_{name}_{indexed.removesuffix('_id')}", name, [indexed, "order_date"]
            )
        fill_from_lines(name, keys, measures, "day")


def downgrade() -> None:
    for name in _TABLES:
        op.drop_table(name)
