"""Returns, the money behind revenue, and orders without a customer

Returns (issue 21 item 9): a credit note is stored as a line with negative units and amount
(the unit price stays the item's, >= 0), so every sum of amounts and quantities is net of
returns, and an order of returns totals below zero. ck_lines_quantity becomes quantity <> 0,
ck_lines_amount ties the amount's sign to the quantity's, ck_orders_total goes.

Orders without a customer (issue 21 item 8): customer_id on orders and order_lines may be NULL
(a file imported with --no-customers); they count in revenue, orders and units, not in
customers.

The order-level rollups by country and by category and country (day and month) gain the sums
behind the headline (issue 19 item 1): returns (amounts and units of live lines with quantity
< 0), discounts (quantity x unit price - amount of live lines with a discount), cost, and the
revenue of the live lines with a known cost (all of them, and the sales alone), filled here
from the lines with SQL frozen in this file.

On SQLite the two tables are rebuilt in batch mode (copy, drop, rename) to change their CHECKs
and NOT NULLs: env.py runs the migrations with foreign keys off for that, and checks them
before the commit.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

AMOUNT_SIGN = "(quantity > 0 AND amount_cents >= 0) OR (quantity < 0 AND amount_cents <= 0)"

# The new rollup columns and what each adds up over a live (not cancelled) line.
_SUMS = {
    "returns_cents": "CASE WHEN quantity < 0 THEN amount_cents ELSE 0 END",
    "returned_units": "CASE WHEN quantity < 0 THEN quantity ELSE 0 END",
    "discounts_cents": "CASE WHEN discount_bp > 0 "
    "THEN quantity * unit_price_cents - amount_cents ELSE 0 END",
    "cost_cents": "CASE WHEN cost_cents IS NOT NULL THEN cost_cents ELSE 0 END",
    "costed_revenue_cents": "CASE WHEN cost_cents IS NOT NULL THEN amount_cents ELSE 0 END",
    "costed_sales_cents": "CASE WHEN cost_cents IS NOT NULL AND quantity > 0 "
    "THEN amount_cents ELSE 0 END",
}
# Daily table -> its keys besides order_date (as order_lines holds them), and its monthly table.
_TABLES = {
    "rollup_day_country": (("country",), "rollup_month_country"),
    "rollup_day_category_country": (("category", "country"), "rollup_month_category_country"),
}


def _key_source(key: str) -> str:
    return "COALESCE(country, '')" if key == "country" else key


def _month_start(dialect: str) -> str:
    if dialect == "postgresql":
        return "CAST(date_trunc('month', order_date) AS DATE)"
    return "strftime('%Y-%m-01', order_date)"


def _fill(bind) -> None:
    """Fill the new columns of the daily tables from the lines that give them anything (a
    line with a return, a discount or a cost), then the monthly ones from the daily ones."""
    sums = ", ".join(f"SUM({sql}) AS {name}" for name, sql in _SUMS.items())
    assign = ", ".join(f"{name} = s.{name}" for name in _SUMS)
    for day_table, (keys, month_table) in _TABLES.items():
        columns = ", ".join(f"{_key_source(k)} AS {k}" for k in keys)
        group = ", ".join(_key_source(k) for k in keys)
        same_key = " AND ".join(f"{day_table}.{k} = s.{k}" for k in ("order_date", *keys))
        bind.exec_driver_sql(
            f"UPDATE {day_table} SET {assign} FROM ("
            f"SELECT order_date, {columns}, {sums} FROM order_lines "
            "WHERE status <> 'Cancelled' "
            "AND (quantity < 0 OR discount_bp > 0 OR cost_cents IS NOT NULL) "
            f"GROUP BY order_date, {group}) AS s WHERE {same_key}"
        )
        month = _month_start(bind.dialect.name)
        monthly = ", ".join(f"SUM({name}) AS {name}" for name in _SUMS)
        key_list = ", ".join(keys)
        same_month = " AND ".join(f"{month_table}.{k} = s.{k}" for k in ("order_date", *keys))
        any_value = " OR ".join(f"{name} <> 0" for name in _SUMS)
        bind.exec_driver_sql(
            f"UPDATE {month_table} SET {assign} FROM ("
            f"SELECT {month} AS order_date, {key_list}, {monthly} FROM {day_table} "
            f"WHERE {any_value} GROUP BY {month}, {key_list}) AS s WHERE {same_month}"
        )


def _checks(inspector, table: str) -> dict[str, str]:
    return {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table)}


def _nullable_customer(inspector, table: str) -> bool:
    return next(c for c in inspector.get_columns(table) if c["name"] == "customer_id")["nullable"]


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    # SQLite cannot alter a CHECK or a NOT NULL: batch mode copies the table; elsewhere ALTER.
    recreate = "always" if bind.dialect.name == "sqlite" else "auto"
    # Each table's change is skipped where done (a database stamped back re-runs this step).
    quantity = _checks(inspector, "order_lines").get("ck_lines_quantity", "")
    if "<>" not in quantity or not _nullable_customer(inspector, "order_lines"):
        with op.batch_alter_table("order_lines", recreate=recreate) as batch_op:
            batch_op.drop_constraint("ck_lines_quantity", type_="check")
            batch_op.drop_constraint("ck_lines_amount", type_="check")
            batch_op.create_check_constraint("ck_lines_quantity", "quantity <> 0")
            batch_op.create_check_constraint("ck_lines_amount", AMOUNT_SIGN)
            batch_op.alter_column("customer_id", existing_type=sa.Integer(), nullable=True)
    total = "ck_orders_total" in _checks(inspector, "orders")
    if total or not _nullable_customer(inspector, "orders"):
        with op.batch_alter_table("orders", recreate=recreate) as batch_op:
            if total:
                batch_op.drop_constraint("ck_orders_total", type_="check")
            batch_op.alter_column("customer_id", existing_type=sa.Integer(), nullable=True)
    added = False
    for day_table, (_keys, month_table) in _TABLES.items():
        for table in (day_table, month_table):
            present = {c["name"] for c in inspector.get_columns(table)}
            for name in _SUMS:
                # Skipped where present: a database stamped back re-runs this step.
                if name not in present:
                    op.add_column(
                        table, sa.Column(name, sa.BigInteger(), server_default="0", nullable=False)
                    )
                    added = True
    if added:
        _fill(bind)


def downgrade() -> None:
    recreate = "always" if op.get_bind().dialect.name == "sqlite" else "auto"
    for day_table, (_keys, month_table) in _TABLES.items():
        for table in (day_table, month_table):
            with op.batch_alter_table(table) as batch_op:
                for name in reversed(list(_SUMS)):
                    batch_op.drop_column(name)
    with op.batch_alter_table("orders", recreate=recreate) as batch_op:
        batch_op.alter_column("customer_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint("ck_orders_total", "total_cents >= 0")
    with op.batch_alter_table("order_lines", recreate=recreate) as batch_op:
        batch_op.drop_constraint("ck_lines_quantity", type_="check")
        batch_op.drop_constraint("ck_lines_amount", type_="check")
        batch_op.create_check_constraint("ck_lines_quantity", "quantity > 0")
        batch_op.create_check_constraint("ck_lines_amount", "amount_cents >= 0")
        batch_op.alter_column("customer_id", existing_type=sa.Integer(), nullable=False)
