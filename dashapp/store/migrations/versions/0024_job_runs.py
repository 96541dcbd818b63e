"""Scheduled job runs: the daily anomaly and KPI-alert check's claimed slots

One row per (job, slot), claimed by the worker that runs it; the unique key lets one worker
through however many schedulers (in-process threads, Celery beat) tick in the same minute.
Issue 20, item 4 ("scheduled digests and checks").

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from dashapp.store.migrations.frozen_tables import create_missing_table

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Skipped where present: a database stamped back to an older revision re-runs this step.
    create_missing_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("slot", sa.String(length=20), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
