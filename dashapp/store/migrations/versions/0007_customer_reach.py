"""Customer activity chains: distinct customers of any range as a sum, filled from the rollups

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from alembic import op

from dashapp.store.migrations.frozen import CHAIN_DAYS
from dashapp.store.migrations.frozen_tables import create_chain_table

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


# Frozen here, with frozen.CHAIN_DAYS: what this migration fills, whatever
# dashapp.store.reach becomes later.
# Per chain key, day and previous active day (0001-01-01 for a first day): the customers.
_FILL_DAYS = """
INSERT INTO rollup_customer_days (category, country, order_date, prev_date, customers)
SELECT category, country, order_date, prev_date, COUNT(*)
FROM (
    SELECT category, country, order_date,
        COALESCE(
            LAG(order_date) OVER (
                PARTITION BY category, country, customer_id ORDER BY order_date
            ),
            '0001-01-01'
        ) AS prev_date
    FROM ({chain_days}) AS days
) AS linked
GROUP BY category, country, order_date, prev_date
"""
# Per day: the customers active, and those whose previous active day lies before the day's
# week (Monday), month, quarter and year.
_FILL_REACH = """
INSERT INTO rollup_customer_reach
    (category, country, order_date, customers,
     first_in_week, first_in_month, first_in_quarter, first_in_year)
SELECT category, country, order_date, SUM(customers),
    SUM(CASE WHEN prev_date < {week} THEN customers ELSE 0 END),
    SUM(CASE WHEN prev_date < {month} THEN customers ELSE 0 END),
    SUM(CASE WHEN prev_date < {quarter} THEN customers ELSE 0 END),
    SUM(CASE WHEN prev_date < {year} THEN customers ELSE 0 END)
FROM rollup_customer_days
GROUP BY category, country, order_date
"""
_PERIODS = ("week", "month", "quarter", "year")
_PERIOD_START = {
    "sqlite": {
        "week": "date(order_date, '-6 days', 'weekday 1')",
        "month": "strftime('%Y-%m-01', order_date)",
        "quarter": "printf('%s-%02d-01', strftime('%Y', order_date),"
        " ((CAST(strftime('%m', order_date) AS INTEGER) - 1) / 3) * 3 + 1)",
        "year": "strftime('%Y-01-01', order_date)",
    },
    "postgresql": {p: f"CAST(date_trunc('{p}', order_date) AS DATE)" for p in _PERIODS},
}


def upgrade() -> None:
    create_chain_table("rollup_customer_days", ("order_date", "prev_date"), ("customers",))
    op.create_index(
        "ix_rollup_customer_days_prev",
        "rollup_customer_days",
        ["category", "country", "prev_date", "order_date", "customers"],
    )
    create_chain_table(
        "rollup_customer_reach",
        ("order_date",),
        ("customers", "first_in_week", "first_in_month", "first_in_quarter", "first_in_year"),
    )
    bind = op.get_bind()
    bind.exec_driver_sql(_FILL_DAYS.format(chain_days=CHAIN_DAYS))
    starts = _PERIOD_START[bind.dialect.name]
    bind.exec_driver_sql(_FILL_REACH.format(**{p: starts[p] for p in _PERIODS}))


def downgrade() -> None:
    op.drop_table("rollup_customer_reach")
    op.drop_table("rollup_customer_days")
