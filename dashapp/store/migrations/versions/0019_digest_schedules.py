"""Digest schedules, and one claimed row per schedule and slot so a slot is sent once

A schedule sends a user's daily or weekly digest to a recipient (an email address or a
webhook) at an hour. Every worker that finds a slot due inserts (schedule, slot) into
`digest_runs` first; the unique key lets exactly one of them through, however many workers or
Celery beat processes run (issue 20, item 4).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from dashapp.store.migrations.frozen_tables import create_missing_table

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Skipped where present: a database stamped back to an older revision re-runs this step.
    create_missing_table(
        "digest_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=500), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("period IN ('daily', 'weekly')", name="ck_digest_period"),
        sa.CheckConstraint("hour BETWEEN 0 AND 23", name="ck_digest_hour"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_missing_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=20), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["schedule_id"], ["digest_schedules.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("schedule_id", "slot", name="uq_digest_runs_schedule_slot"),
    )


def downgrade() -> None:
    op.drop_table("digest_runs")
    op.drop_table("digest_schedules")
