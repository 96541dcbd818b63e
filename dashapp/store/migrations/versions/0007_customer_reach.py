"""Customer activity chains: distinct customers of any range as a sum, filled from the rollups

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rollup_customer_days",
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("prev_date", sa.Date(), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("category", "country", "order_date", "prev_date"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_rollup_customer_days_prev",
        "rollup_customer_days",
        ["category", "country", "prev_date", "order_date", "customers"],
    )
    op.create_table(
        "rollup_customer_reach",
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        *[
            sa.Column(name, sa.Integer(), nullable=False)
            for name in (
                "customers",
                "first_in_week",
                "first_in_month",
                "first_in_quarter",
                "first_in_year",
            )
        ],
        sa.PrimaryKeyConstraint("category", "country", "order_date"),
        sqlite_with_rowid=False,
    )
    from dashapp.store.rollups import rebuild

    rebuild(op.get_bind(), tables=("rollup_customer_days", "rollup_customer_reach"))


def downgrade() -> None:
    op.drop_table("rollup_customer_reach")
    op.drop_table("rollup_customer_days")
