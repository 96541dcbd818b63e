"""Anomaly checks remember what they scanned; alerts keep a note of their re-evaluation

The check used to scan only the last 90 days, score the data's last (incomplete) day and never
look at an alert again (issue 20, item 3). Now the first check covers all the data and each
later one what changed since the last: `anomaly_checks` records each run, and
`anomaly_check_days` each day's revenue and order count as the last run saw them, so the next
run knows which days changed (and its thresholds: other thresholds judge every day again).
`alerts.note` says why the check updated or resolved an alert.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from dashapp.store.migrations.frozen_tables import create_missing_table

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    # Skipped where present: a database stamped back to an older revision to refill its
    # rollups re-runs this step.
    if "note" not in {c["name"] for c in inspector.get_columns("alerts")}:
        op.add_column("alerts", sa.Column("note", sa.String(length=500), nullable=True))
    create_missing_table(
        "anomaly_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ran_at", sa.DateTime(), nullable=False),
        sa.Column("scan_from", sa.Date(), nullable=True),
        sa.Column("scan_to", sa.Date(), nullable=True),
        sa.Column("data_end", sa.Date(), nullable=True),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("settings", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    create_missing_table(
        "anomaly_check_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("revenue_cents", sa.BigInteger(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )


def downgrade() -> None:
    op.drop_table("anomaly_check_days")
    op.drop_table("anomaly_checks")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("note")
