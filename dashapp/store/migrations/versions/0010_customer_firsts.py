"""Customers per chain by their first day in it and their first day of all

New customers of one category or country were counted customer by customer over the daily
rows: 501 ms at 10M orders for 90 days of one category in one country.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rollup_customer_firsts",
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("first_ever_date", sa.Date(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("category", "country", "first_ever_date", "first_date"),
        sqlite_with_rowid=False,
    )
    from dashapp.store.reach import rebuild_firsts

    rebuild_firsts(op.get_bind())


def downgrade() -> None:
    op.drop_table("rollup_customer_firsts")
