"""What migrations 0007-0024 share beside frozen.py, frozen as those migrations wrote it: a table
created only where it is missing, the customer-chain tables, and the monthly best-first lists.

Never edit this module once a migration uses it: a migration must do forever what it did when
it was written, whatever the models, dashapp.store.rollups or dashapp.store.reach become. A
later migration that needs something else writes it itself, or in a new module. Like a
migration, this module imports only alembic and sqlalchemy (tests/store/test_migrations.py
checks both, and pins this file's text).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create_missing_table(name: str, *elements: object, **kw: object) -> bool:
    """op.create_table, skipped where the table is there already (a database stamped back to
    an older revision re-runs the step). True when it created the table."""
    if name in set(sa.inspect(op.get_bind()).get_table_names()):
        return False
    op.create_table(name, *elements, **kw)
    return True


def create_chain_table(name: str, dates: tuple[str, ...], counts: tuple[str, ...]) -> None:
    """A table of customer activity chains: the chain's category and country ('' for any) and
    its `dates` are the primary key (no rowid on SQLite), then its integer `counts`."""
    op.create_table(
        name,
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        *[sa.Column(d, sa.Date(), nullable=False) for d in dates],
        *[sa.Column(c, sa.Integer(), nullable=False) for c in counts],
        sa.PrimaryKeyConstraint("category", "country", *dates),
        sqlite_with_rowid=False,
    )


# Suffix of the index name -> the measure a month's list is ordered by.
_RANKED_BY = {"revenue": "revenue_cents", "units": "units"}


def create_month_rankings(name: str, key: str, split: str) -> None:
    """Each month's `name`s (customer, product) best first, by revenue and by units: indexes
    ix_rollup_month_<name>_revenue and _units on rollup_month_<name>, read top down."""
    for suffix, measure in _RANKED_BY.items():
        op.create_index(
            f"ix_rollup_month_{name}_{suffix}",
            f"rollup_month_{name}",
            ["order_date", measure, key, split],
        )


def drop_month_rankings(name: str) -> None:
    """The indexes create_month_rankings(name, ...) made."""
    for suffix in _RANKED_BY:
        op.drop_index(f"ix_rollup_month_{name}_{suffix}", table_name=f"rollup_month_{name}")
