"""users.session_version: a password, role or active change or a sign-out ends sessions

A session used to stay valid after its user's password changed, after a role change or
deactivation, and after signing out elsewhere. Each sign-in now remembers the user's version
and every request compares it with this column.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every existing user starts at 0; sessions from before this version hold none, so they
    # end once and sign in again. Skipped where the column is there already (a database
    # stamped back to an older revision to refill its rollups re-runs this step).
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("users")}
    if "session_version" in columns:
        return
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
