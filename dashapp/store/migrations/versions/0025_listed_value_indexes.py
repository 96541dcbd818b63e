"""Partial indexes for the header's listed filter values (ship-to region, state, city, segment,
ship mode)

The filter panel lists the distinct stored values of each (analytics.dimensions.listed_values).
Without an index each list was a DISTINCT over every order or line: 0.2-1.7 s apiece at 1M
orders, all on the first page load after any write. An index over the rows that have a value
makes each list a walk of those rows only: none at all on demo data, which has no ship-to
geography, segment or ship mode. Issue 17 ("what the user waits for").

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# (index, table, column): frozen here, as the migration wrote them.
INDEXES = (
    ("ix_orders_ship_region", "orders", "ship_region"),
    ("ix_orders_ship_state", "orders", "ship_state"),
    ("ix_orders_ship_city", "orders", "ship_city"),
    ("ix_orders_segment", "orders", "segment"),
    ("ix_lines_ship_mode", "order_lines", "ship_mode"),
)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, table, column in INDEXES:
        # Skipped where present: a database stamped back to an older revision re-runs this step.
        if name in {i["name"] for i in inspector.get_indexes(table)}:
            continue
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, table, [column], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
