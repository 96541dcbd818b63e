"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("baseline_cents", sa.BigInteger(), nullable=False),
        sa.Column("actual_cents", sa.BigInteger(), nullable=False),
        sa.Column("drop_pct", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("drivers", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved')", name="ck_alerts_status"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scope", "key", "day", name="uq_alerts_scope_key_day"),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_day"), ["day"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_entity"), ["entity"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_username"), ["username"], unique=False)

    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact_first_name", sa.String(length=100), nullable=True),
        sa.Column("contact_last_name", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("address_line1", sa.String(length=200), nullable=True),
        sa.Column("address_line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=100), nullable=True),
        sa.Column("postal_code", sa.String(length=30), nullable=True),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("territory", sa.String(length=50), nullable=True),
        sa.Column("segment", sa.String(length=50), nullable=True),
        sa.Column("first_order_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_country"), ["country"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_customers_first_order_date"), ["first_order_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_customers_name"), ["name"], unique=False)

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("sub_category", sa.String(length=100), nullable=True),
        sa.Column("list_price_cents", sa.BigInteger(), nullable=False),
        sa.Column("cost_cents", sa.BigInteger(), nullable=True),
        sa.Column("msrp_cents", sa.BigInteger(), nullable=True),
        sa.Column("stock_on_hand", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reorder_point", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lead_time_days", sa.Integer(), server_default="7", nullable=False),
        sa.Column("allow_backorder", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name="ck_products_cost"),
        sa.CheckConstraint("list_price_cents >= 0", name="ck_products_price"),
        sa.CheckConstraint("msrp_cents IS NULL OR msrp_cents >= 0", name="ck_products_msrp"),
        sa.CheckConstraint("reorder_point >= 0", name="ck_products_reorder"),
        sa.CheckConstraint("stock_on_hand >= 0 OR allow_backorder", name="ck_products_stock"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sku"),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_products_category"), ["category"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'manager', 'sales', 'viewer')", name="ck_users_role"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("ordered_at", sa.DateTime(), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("channel", sa.String(length=30), nullable=True),
        sa.Column("payment_type", sa.String(length=30), nullable=True),
        sa.Column("promo", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("total_cents", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "status IN ('Pending', 'In Process', 'Shipped', 'Resolved', 'On Hold', 'Disputed', 'Cancelled')",
            name="ck_orders_status",
        ),
        sa.CheckConstraint("total_cents >= 0", name="ck_orders_total"),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_number"),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_channel"), ["channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_orders_country"), ["country"], unique=False)
        batch_op.create_index(
            "ix_orders_customer_date", ["customer_id", "order_date"], unique=False
        )
        batch_op.create_index("ix_orders_date_status", ["order_date", "status"], unique=False)

    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.BigInteger(), nullable=False),
        sa.Column("discount_bp", sa.Integer(), server_default="0", nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "status IN ('Pending', 'In Process', 'Shipped', 'Resolved', 'On Hold', 'Disputed', 'Cancelled')",
            name="ck_lines_status",
        ),
        sa.CheckConstraint("amount_cents >= 0", name="ck_lines_amount"),
        sa.CheckConstraint("discount_bp BETWEEN 0 AND 10000", name="ck_lines_discount"),
        sa.CheckConstraint("quantity > 0", name="ck_lines_quantity"),
        sa.CheckConstraint("unit_price_cents >= 0", name="ck_lines_price"),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "line_number", name="uq_order_lines_order_line"),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index("ix_lines_category_date", ["category", "order_date"], unique=False)
        batch_op.create_index("ix_lines_country_date", ["country", "order_date"], unique=False)
        batch_op.create_index("ix_lines_customer_date", ["customer_id", "order_date"], unique=False)
        batch_op.create_index("ix_lines_date_status", ["order_date", "status"], unique=False)
        batch_op.create_index("ix_lines_product_date", ["product_id", "order_date"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_lines_product_date")
        batch_op.drop_index("ix_lines_date_status")
        batch_op.drop_index("ix_lines_customer_date")
        batch_op.drop_index("ix_lines_country_date")
        batch_op.drop_index("ix_lines_category_date")

    op.drop_table("order_lines")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_date_status")
        batch_op.drop_index("ix_orders_customer_date")
        batch_op.drop_index(batch_op.f("ix_orders_country"))
        batch_op.drop_index(batch_op.f("ix_orders_channel"))

    op.drop_table("orders")
    op.drop_table("users")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_products_category"))

    op.drop_table("products")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_name"))
        batch_op.drop_index(batch_op.f("ix_customers_first_order_date"))
        batch_op.drop_index(batch_op.f("ix_customers_country"))

    op.drop_table("customers")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_username"))
        batch_op.drop_index(batch_op.f("ix_audit_log_entity"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_day"))

    op.drop_table("alerts")
