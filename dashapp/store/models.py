"""Typed SQLAlchemy models for SPEC §2. Money is integer cents; discounts are basis points."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dashapp.store.grains import GRAINS, KEY_TYPES, Grain

ORDER_STATUSES = (
    "Pending",
    "In Process",
    "Shipped",
    "Resolved",
    "On Hold",
    "Disputed",
    "Cancelled",
)
CANCELLED = "Cancelled"
ROLES = ("admin", "manager", "sales", "viewer")
ALERT_STATUSES = ("open", "acknowledged", "resolved")

_STATUS_LIST = ", ".join(f"'{s}'" for s in ORDER_STATUSES)
# A sale's amount is never below zero, a return's never above.
LINE_AMOUNT_SIGN = "(quantity > 0 AND amount_cents >= 0) OR (quantity < 0 AND amount_cents <= 0)"


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    contact_first_name: Mapped[str | None] = mapped_column(String(100))
    contact_last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(30))
    country: Mapped[str | None] = mapped_column(String(100), index=True)
    territory: Mapped[str | None] = mapped_column(String(50))
    segment: Mapped[str | None] = mapped_column(String(50))
    # Customers with orders are deactivated, never deleted: their history stays intact.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Day of the first non-cancelled order; kept by the write path so "new customers" is cheap.
    first_order_date: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("list_price_cents >= 0", name="ck_products_price"),
        CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name="ck_products_cost"),
        CheckConstraint("msrp_cents IS NULL OR msrp_cents >= 0", name="ck_products_msrp"),
        CheckConstraint("reorder_point >= 0", name="ck_products_reorder"),
        CheckConstraint("stock_on_hand >= 0 OR allow_backorder", name="ck_products_stock"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100), index=True)
    sub_category: Mapped[str | None] = mapped_column(String(100))
    list_price_cents: Mapped[int] = mapped_column(BigInteger)
    cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    msrp_cents: Mapped[int | None] = mapped_column(BigInteger)
    stock_on_hand: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reorder_point: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lead_time_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    allow_backorder: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


def _listed_index(name: str, column: str) -> Index:
    """An index of the rows that have a value in `column`: the distinct values a filter lists
    walk those rows only (none on demo data), not the whole table (migration 0025)."""
    where = text(f"{column} IS NOT NULL")
    return Index(name, column, sqlite_where=where, postgresql_where=where)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        # No sign on total_cents: an order of returns (a credit note) totals below zero.
        CheckConstraint(f"status IN ({_STATUS_LIST})", name="ck_orders_status"),
        Index("ix_orders_date_status", "order_date", "status"),
        Index("ix_orders_customer_date", "customer_id", "order_date"),
        # The history grid's filters: a country or channel over a date range, with a status;
        # an order-status view over a total.
        Index("ix_orders_country_date", "country", "order_date", "status"),
        Index("ix_orders_channel_date", "channel", "order_date", "status"),
        Index("ix_orders_status_total", "status", "total_cents"),
        # The filter panel's lists of stored values (analytics.dimensions.listed_values).
        *(_listed_index(f"ix_orders_{c}", c) for c in ("ship_region", "ship_state", "ship_city")),
        _listed_index("ix_orders_segment", "segment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(String(64), unique=True)
    # None: an order imported without customers (--no-customers). It counts in revenue,
    # orders and units, never in customers, RFM, cohorts or reach.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    ordered_at: Mapped[datetime] = mapped_column(DateTime)
    order_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    # Ship-to country as it was when the order was placed.
    country: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(30))
    payment_type: Mapped[str | None] = mapped_column(String(30))
    promo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    note: Mapped[str | None] = mapped_column(String(500))
    # Ship-to geography and the customer's segment as they were on this order (from the
    # import; the customer record keeps its first row's). None where unknown.
    ship_region: Mapped[str | None] = mapped_column(String(100))
    ship_state: Mapped[str | None] = mapped_column(String(100))
    ship_city: Mapped[str | None] = mapped_column(String(100))
    ship_postal_code: Mapped[str | None] = mapped_column(String(30))
    segment: Mapped[str | None] = mapped_column(String(50))
    created_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class OrderLine(Base):
    """One order line. order_date, status, customer_id, country and category are copied from
    the order and product so every metric is a single-table aggregate; the write path keeps
    them in step with the order (category is a snapshot of the catalog at sale time)."""

    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_number", name="uq_order_lines_order_line"),
        # A return (a credit note) is a line with negative units and amount; the price is
        # the item's, never negative (SPEC §2).
        CheckConstraint("quantity <> 0", name="ck_lines_quantity"),
        CheckConstraint("unit_price_cents >= 0", name="ck_lines_price"),
        CheckConstraint("discount_bp BETWEEN 0 AND 10000", name="ck_lines_discount"),
        CheckConstraint(LINE_AMOUNT_SIGN, name="ck_lines_amount"),
        CheckConstraint(f"status IN ({_STATUS_LIST})", name="ck_lines_status"),
        Index("ix_lines_date_status", "order_date", "status"),
        Index("ix_lines_category_date", "category", "order_date"),
        Index("ix_lines_country_date", "country", "order_date"),
        Index("ix_lines_product_date", "product_id", "order_date"),
        Index("ix_lines_customer_date", "customer_id", "order_date"),
        _listed_index("ix_lines_ship_mode", "ship_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    line_number: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(BigInteger)
    discount_bp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    order_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    country: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(100))
    # Known when the source gives it: the file's cost (or amount - profit). None: unknown.
    cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    ship_date: Mapped[date | None] = mapped_column(Date)
    ship_mode: Mapped[str | None] = mapped_column(String(50))


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'manager', 'sales', 'viewer')", name="ck_users_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Moved on by a password, role or active change and by a sign-out: a session remembers
    # the version it signed in at and ends when it no longer matches (dashapp.auth).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    username: Mapped[str | None] = mapped_column(String(80), index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("scope", "key", "day", name="uq_alerts_scope_key_day"),
        CheckConstraint("status IN ('open', 'acknowledged', 'resolved')", name="ck_alerts_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))  # total, category, product, country
    key: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(Date, index=True)
    baseline_cents: Mapped[int] = mapped_column(BigInteger)
    actual_cents: Mapped[int] = mapped_column(BigInteger)
    drop_pct: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    drivers: Mapped[str | None] = mapped_column(Text)  # JSON list of the segments behind it
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # Why the check last updated or resolved it ("resolved: the day now totals ...").
    note: Mapped[str | None] = mapped_column(String(500))


class AnomalyCheck(Base):
    """One run of the anomaly check: the days it scored, so the next run scans what is new."""

    __tablename__ = "anomaly_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(DateTime)
    scan_from: Mapped[date | None] = mapped_column(Date)
    scan_to: Mapped[date | None] = mapped_column(Date)  # the last day it scored
    data_end: Mapped[date | None] = mapped_column(Date)
    found: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    resolved: Mapped[int] = mapped_column(Integer)
    # Its thresholds as JSON: a check with other thresholds has to judge every day again.
    settings: Mapped[str] = mapped_column(String(200))


class AnomalyCheckDay(Base):
    """Each day's revenue and order count as the last check saw them (which days changed)."""

    __tablename__ = "anomaly_check_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    revenue_cents: Mapped[int] = mapped_column(BigInteger)
    orders: Mapped[int] = mapped_column(Integer)


class DigestSchedule(Base):
    """A user's daily or weekly digest, sent to one recipient (email or webhook) at an hour."""

    __tablename__ = "digest_schedules"
    __table_args__ = (
        CheckConstraint("period IN ('daily', 'weekly')", name="ck_digest_period"),
        CheckConstraint("hour BETWEEN 0 AND 23", name="ck_digest_hour"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(500))
    hour: Mapped[int] = mapped_column(Integer)  # server local time
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # The saved view whose filters the digest's KPIs use; NULL for the whole (role's) view.
    # Deleting a view in use is refused by dashapp.views; SET NULL covers its owner's deletion.
    view_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_views.id", ondelete="SET NULL", name="fk_digest_schedules_view_id")
    )


class SavedView(Base):
    """A named view of the page (dashapp.views): a section and the canonical query string of
    its filters and settings, private to its owner or shared with everyone."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_views_user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    section: Mapped[str] = mapped_column(String(40))
    query: Mapped[str] = mapped_column(Text, default="", server_default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class DigestRun(Base):
    """One slot of a schedule, claimed by the worker that sends it: the unique key lets one
    worker through, so a slot is never sent twice."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("schedule_id", "slot", name="uq_digest_runs_schedule_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("digest_schedules.id", ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(String(20))  # 2024-03-06, or 2024-W10 for a week
    claimed_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):
    """One slot of a scheduled job that belongs to no digest (the daily anomaly and KPI-alert
    check), claimed by the worker that runs it: the unique key lets one worker through."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    slot: Mapped[str] = mapped_column(String(20))  # 2024-03-06
    claimed_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)


TARGET_PERIODS = ("month", "quarter")
TARGET_METRICS = ("revenue", "orders", "profit")
TARGET_SCOPES = ("business", "category", "region", "user")


class Target(Base):
    """A monthly or quarterly goal for one metric of one scope (dashapp.targets). The amount is
    cents for revenue and profit, a count for orders; the scope key is the category, region or
    username, '' for the business (NULL would slip past the unique key)."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint(
            "period",
            "period_start",
            "metric",
            "scope",
            "scope_key",
            name="uq_targets_period_metric_scope",
        ),
        CheckConstraint("period IN ('month', 'quarter')", name="ck_targets_period"),
        CheckConstraint("metric IN ('revenue', 'orders', 'profit')", name="ck_targets_metric"),
        CheckConstraint(
            "scope IN ('business', 'category', 'region', 'user')", name="ck_targets_scope"
        ),
        CheckConstraint(
            "(scope = 'business' AND scope_key = '') OR (scope <> 'business' AND scope_key <> '')",
            name="ck_targets_scope_key",
        ),
        CheckConstraint("amount > 0", name="ck_targets_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date, index=True)  # 1st of the month / quarter
    metric: Mapped[str] = mapped_column(String(10))
    scope: Mapped[str] = mapped_column(String(10))
    scope_key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    amount: Mapped[int] = mapped_column(BigInteger)
    updated_by: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


ALERT_RULE_PERIODS = ("day", "week", "month", "week_to_date", "month_to_date")
ALERT_RULE_COMPARISONS = ("below", "above", "behind_target")


class AlertRule(Base):
    """A KPI alert rule (dashapp.alerts): a metric under a filter (the canonical query string
    of dashapp.filters) over a period, compared with a threshold in the metric's unit (cents,
    a count, or basis points for a rate and for "behind target by more than")."""

    __tablename__ = "kpi_alert_rules"
    __table_args__ = (
        CheckConstraint(
            "period IN ('day', 'week', 'month', 'week_to_date', 'month_to_date')",
            name="ck_kpi_alert_rules_period",
        ),
        CheckConstraint(
            "comparison IN ('below', 'above', 'behind_target')",
            name="ck_kpi_alert_rules_comparison",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    metric: Mapped[str] = mapped_column(String(30))
    filter_query: Mapped[str] = mapped_column(Text, default="", server_default="")
    period: Mapped[str] = mapped_column(String(20))
    comparison: Mapped[str] = mapped_column(String(20))
    threshold: Mapped[int] = mapped_column(BigInteger)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # The first day of the last complete period the checks judged: the next one judges the
    # periods after it (NULL: never checked; the first check judges the latest period only).
    checked_through: Mapped[date | None] = mapped_column(Date)


class KpiAlert(Base):
    """A rule's condition holding over one period: one row per (rule, period start), reopened
    rather than duplicated. `value` and `threshold` are in the rule's metric unit; `target`
    is the target's amount for a "behind target" rule (whose `value` is the run-rate)."""

    __tablename__ = "kpi_alerts"
    __table_args__ = (
        UniqueConstraint("rule_id", "period_start", name="uq_kpi_alerts_rule_period"),
        CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved')", name="ck_kpi_alerts_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("kpi_alert_rules.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    value: Mapped[int | None] = mapped_column(BigInteger)
    threshold: Mapped[int] = mapped_column(BigInteger)
    target: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class DataVersion(Base):
    """One row whose counter every committed write bumps, so pages know when to refresh."""

    __tablename__ = "data_version"
    __table_args__ = (CheckConstraint("id = 1", name="ck_data_version_one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    changed_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


WITHOUT_ROWID = {"sqlite_with_rowid": False}


# --- Rollups (SPEC §8) -------------------------------------------------------------------------
# Declared once in dashapp.store.grains (keys, period, measures); the tables come from there.
# In SQLite they are WITHOUT ROWID tables: rows are stored in key order, so a date range is one
# contiguous read with every column at hand.
# Kept exact by dashapp.store.rollups in the same transaction as every order write, import,
# edit, cancel and delete. Counts are of distinct orders within the row's key; a NULL country is
# stored as '' (key columns cannot be NULL). Rows whose all_orders falls to 0 are deleted.


def rollup_model(grain: Grain):
    """The table of a declared grain (dashapp.store.grains): its keys as the primary key, in
    order, then its measures; its indexes."""
    namespace = {
        "__tablename__": grain.table_name,
        "__table_args__": (
            *(
                Index(spec.name.format(table=grain.table_name), *grain.index_columns(spec))
                for spec in grain.indexes
            ),
            WITHOUT_ROWID,
        ),
        "__doc__": grain.doc,
        "__annotations__": {},
    }
    for name in grain.table_keys:
        namespace[name] = mapped_column(KEY_TYPES[name](), primary_key=True, nullable=False)
    for measure in grain.measures:
        namespace[measure.name] = mapped_column(measure.type(), nullable=False)
    return type(grain.class_name, (Base,), namespace)


ROLLUP_MODELS = {g.table_name: rollup_model(g) for g in GRAINS}
RollupDayCountry = ROLLUP_MODELS["rollup_day_country"]
RollupDayCategoryCountry = ROLLUP_MODELS["rollup_day_category_country"]
RollupDayProduct = ROLLUP_MODELS["rollup_day_product"]
RollupDayProductCountry = ROLLUP_MODELS["rollup_day_product_country"]
RollupDayCustomer = ROLLUP_MODELS["rollup_day_customer"]
RollupDayCategoryCustomer = ROLLUP_MODELS["rollup_day_category_customer"]
RollupMonthCountry = ROLLUP_MODELS["rollup_month_country"]
RollupMonthCategoryCountry = ROLLUP_MODELS["rollup_month_category_country"]
RollupProduct = ROLLUP_MODELS["rollup_product"]
RollupCustomer = ROLLUP_MODELS["rollup_customer"]
RollupCategoryCustomer = ROLLUP_MODELS["rollup_category_customer"]
RollupWeekProduct = ROLLUP_MODELS["rollup_week_product"]
RollupWeekCustomer = ROLLUP_MODELS["rollup_week_customer"]
RollupWeekCategoryCustomer = ROLLUP_MODELS["rollup_week_category_customer"]
RollupWeekProductCountry = ROLLUP_MODELS["rollup_week_product_country"]
RollupMonthProduct = ROLLUP_MODELS["rollup_month_product"]
RollupMonthCustomer = ROLLUP_MODELS["rollup_month_customer"]
RollupMonthCategoryCustomer = ROLLUP_MODELS["rollup_month_category_customer"]
RollupMonthProductCountry = ROLLUP_MODELS["rollup_month_product_country"]


# The previous active day of a customer's first active day (a real one is never this early).
NO_PREVIOUS_DAY = date(1, 1, 1)
ANY = ""  # the category / country key of rows about orders of any category / country


class RollupCustomerDays(Base):
    """Active days of customers, counted per (day, previous active day): distinct customers of
    any date range as a sum (dashapp.store.reach). A customer is active on a day with a
    non-cancelled order (in the category, in the country; ANY for either: any)."""

    __tablename__ = "rollup_customer_days"
    __table_args__ = (
        # For ranges starting at or soon after the first order: few links come from before
        # them. Covering (with customers), or SQLite prefers the primary key without ANALYZE.
        Index(
            "ix_rollup_customer_days_prev",
            "category",
            "country",
            "prev_date",
            "order_date",
            "customers",
        ),
        WITHOUT_ROWID,
    )

    category: Mapped[str] = mapped_column(String(100), primary_key=True)
    country: Mapped[str] = mapped_column(String(100), primary_key=True)
    order_date: Mapped[date] = mapped_column(Date, primary_key=True)
    prev_date: Mapped[date] = mapped_column(Date, primary_key=True)
    customers: Mapped[int] = mapped_column(Integer)


class RollupCustomerReach(Base):
    """Per day: customers active that day, and those for whom it is the first active day of its
    week (Monday first), month, quarter and year: distinct customers per period as sums."""

    __tablename__ = "rollup_customer_reach"
    __table_args__ = (WITHOUT_ROWID,)

    category: Mapped[str] = mapped_column(String(100), primary_key=True)
    country: Mapped[str] = mapped_column(String(100), primary_key=True)
    order_date: Mapped[date] = mapped_column(Date, primary_key=True)
    customers: Mapped[int] = mapped_column(Integer)
    first_in_week: Mapped[int] = mapped_column(Integer)
    first_in_month: Mapped[int] = mapped_column(Integer)
    first_in_quarter: Mapped[int] = mapped_column(Integer)
    first_in_year: Mapped[int] = mapped_column(Integer)


class RollupCustomerFirsts(Base):
    """Customers counted per chain (as RollupCustomerDays) by their first active day in the
    chain and their first active day of all (the ANY chain's): the new customers of a category
    or country in [a, b] are those with first_date <= b and first_ever_date >= a."""

    __tablename__ = "rollup_customer_firsts"
    __table_args__ = (WITHOUT_ROWID,)

    category: Mapped[str] = mapped_column(String(100), primary_key=True)
    country: Mapped[str] = mapped_column(String(100), primary_key=True)
    first_ever_date: Mapped[date] = mapped_column(Date, primary_key=True)
    first_date: Mapped[date] = mapped_column(Date, primary_key=True)
    customers: Mapped[int] = mapped_column(Integer)
