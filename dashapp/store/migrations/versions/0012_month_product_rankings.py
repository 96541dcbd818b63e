"""Each month's products best first, by revenue and by units

The top products of a range read these lists from the top down (dashapp.analytics.topn)
instead of adding up every product's total (10k products: 82 ms for 90 days at 10M orders).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

from dashapp.store.migrations.frozen_tables import create_month_rankings, drop_month_rankings

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_month_rankings("product", "product_id", "category")


def downgrade() -> None:
    drop_month_rankings("product")
