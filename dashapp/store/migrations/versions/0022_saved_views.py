"""Saved views: a user's named section, filters and settings, private or shared; and the view
a digest schedule computes its KPIs under

One row per (owner, name): the unique key makes "names are unique per owner" a fact of the
database. The query is the canonical query string of dashapp.filters and the page's settings
(granularity, date preset...), so a view stays valid when parsed. A schedule's view_id is
nullable (the whole view the recipient's role allows); deleting a view that a schedule uses is
refused by dashapp.views with a message, and ON DELETE SET NULL covers a view that goes with
its owner's account. Issue 20, item 6.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from dashapp.store.migrations.frozen_tables import create_missing_table

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Skipped where present: a database stamped back to an older revision re-runs this step.
    create_missing_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=False),
        sa.Column("query", sa.Text(), server_default="", nullable=False),
        sa.Column("shared", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "name", name="uq_saved_views_user_name"),
    )
    columns = sa.inspect(op.get_bind()).get_columns("digest_schedules")
    if "view_id" not in {c["name"] for c in columns}:
        # SQLite cannot ADD CONSTRAINT: batch mode copies this small table there (foreign keys
        # are off while migrations run, see env.py); PostgreSQL gets two plain ALTERs.
        with op.batch_alter_table("digest_schedules", schema=None) as batch_op:
            batch_op.add_column(sa.Column("view_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                "fk_digest_schedules_view_id",
                "saved_views",
                ["view_id"],
                ["id"],
                ondelete="SET NULL",
            )


def downgrade() -> None:
    with op.batch_alter_table("digest_schedules", schema=None) as batch_op:
        batch_op.drop_constraint("fk_digest_schedules_view_id", type_="foreignkey")
        batch_op.drop_column("view_id")
    op.drop_table("saved_views")
