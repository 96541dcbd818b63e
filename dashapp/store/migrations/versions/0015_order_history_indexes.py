"""Order history filters seek by country or channel and date, and by status and total

The history grid filters orders by country or channel with a date range. The single-column
indexes on country and channel found the country's orders, then checked each one's date: a
third of all orders for the biggest country (4.5 s for 90 days at 10M orders on SQLite).
Keyed (country, order_date, status), the range is one seek, and a status filter is read off
the index too. (status, total_cents) counts an order-status view such as Pending or On Hold
over a total without reading the whole table.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_NEW = {
    "ix_orders_country_date": ["country", "order_date", "status"],
    "ix_orders_channel_date": ["channel", "order_date", "status"],
    "ix_orders_status_total": ["status", "total_cents"],
}
_OLD = {"ix_orders_country": ["country"], "ix_orders_channel": ["channel"]}


def upgrade() -> None:
    # IF (NOT) EXISTS: a database re-stamped to an older revision keeps its orders' indexes.
    for name in _OLD:
        op.drop_index(name, table_name="orders", if_exists=True)
    for name, columns in _NEW.items():
        op.create_index(name, "orders", columns, if_not_exists=True)


def downgrade() -> None:
    for name in _NEW:
        op.drop_index(name, table_name="orders")
    for name, columns in _OLD.items():
        op.create_index(name, "orders", columns)
