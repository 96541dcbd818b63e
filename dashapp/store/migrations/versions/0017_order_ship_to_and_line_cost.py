"""Orders keep their ship-to geography and segment; lines keep cost, ship date and ship mode

Retail exports carry, per line, a profit (so a cost) and when and how it shipped, and, per
order, where it went and the customer's segment at the time. The customer record holds only
its first row's values, so a customer who bought in several states counted in one, and the
cost, ship date and ship mode were dropped (issue 21, items 13 and 14). Every new column is
nullable: orders from before this revision, and files without these columns, have none.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_COLUMNS = {
    "orders": (
        ("ship_region", sa.String(length=100)),
        ("ship_state", sa.String(length=100)),
        ("ship_city", sa.String(length=100)),
        ("ship_postal_code", sa.String(length=30)),
        ("segment", sa.String(length=50)),
    ),
    "order_lines": (
        ("cost_cents", sa.BigInteger()),
        ("ship_date", sa.Date()),
        ("ship_mode", sa.String(length=50)),
    ),
}


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default): no table copy on SQLite, no rewrite on
    # PostgreSQL, so it is instant at 10M orders. A column already there is skipped (a
    # database stamped back to an older revision to refill its rollups re-runs this step).
    inspector = sa.inspect(op.get_bind())
    for table, columns in _COLUMNS.items():
        present = {c["name"] for c in inspector.get_columns(table)}
        for name, type_ in columns:
            if name not in present:
                op.add_column(table, sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in reversed(columns):
                batch_op.drop_column(name)
