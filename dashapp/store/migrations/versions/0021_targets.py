"""Targets: a monthly or quarterly goal for revenue, orders or profit, for the business, a
category, a region or a sales user

One row per (period, period start, metric, scope, scope key): the unique key makes "one target
per period, metric and scope" a fact of the database, not only of the page. The amount is
integer cents for revenue and profit and a count for orders, always above zero. The scope key
is the category, region or username, and '' for the business (a NULL would slip past the
unique key). Issue 20, item 1.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from dashapp.store.migrations.frozen_tables import create_missing_table

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Skipped where present: a database stamped back to an older revision re-runs this step.
    created = create_missing_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=10), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("scope_key", sa.String(length=200), server_default="", nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("period IN ('month', 'quarter')", name="ck_targets_period"),
        sa.CheckConstraint("metric IN ('revenue', 'orders', 'profit')", name="ck_targets_metric"),
        sa.CheckConstraint(
            "scope IN ('business', 'category', 'region', 'user')", name="ck_targets_scope"
        ),
        sa.CheckConstraint(
            "(scope = 'business' AND scope_key = '') OR (scope <> 'business' AND scope_key <> '')",
            name="ck_targets_scope_key",
        ),
        sa.CheckConstraint("amount > 0", name="ck_targets_amount"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "period",
            "period_start",
            "metric",
            "scope",
            "scope_key",
            name="uq_targets_period_metric_scope",
        ),
    )
    if created:
        op.create_index("ix_targets_period_start", "targets", ["period_start"])


def downgrade() -> None:
    op.drop_index("ix_targets_period_start", table_name="targets")
    op.drop_table("targets")
