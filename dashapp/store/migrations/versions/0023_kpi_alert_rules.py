"""KPI alert rules and the alerts they fire

A rule is a metric under a filter (the canonical query string of dashapp.filters) over a
period (a day, a week, a month, or the week or month to date), compared with a threshold in
the metric's unit (cents, a count, or basis points). A fired alert is one row per (rule,
period start): the unique key makes "never two alerts for one rule and period" a fact of the
database; a condition that holds again reopens its row. Deleting a rule deletes its alerts.
Issue 20, item 2.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from dashapp.store.migrations.frozen_tables import create_missing_table

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Skipped where present: a database stamped back to an older revision re-runs this step.
    create_missing_table(
        "kpi_alert_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("metric", sa.String(length=30), nullable=False),
        sa.Column("filter_query", sa.Text(), server_default="", nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("comparison", sa.String(length=20), nullable=False),
        sa.Column("threshold", sa.BigInteger(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("checked_through", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "period IN ('day', 'week', 'month', 'week_to_date', 'month_to_date')",
            name="ck_kpi_alert_rules_period",
        ),
        sa.CheckConstraint(
            "comparison IN ('below', 'above', 'behind_target')",
            name="ck_kpi_alert_rules_comparison",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    create_missing_table(
        "kpi_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("threshold", sa.BigInteger(), nullable=False),
        sa.Column("target", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved')", name="ck_kpi_alerts_status"
        ),
        sa.ForeignKeyConstraint(["rule_id"], ["kpi_alert_rules.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_id", "period_start", name="uq_kpi_alerts_rule_period"),
    )


def downgrade() -> None:
    op.drop_table("kpi_alerts")
    op.drop_table("kpi_alert_rules")
