"""The rollups of the order lines, declared once (STYLE: Declare, then generate).

A grain is a rollup table's keys, its period (a row per day, per week from Monday, per month,
or one for all time) and its measures, each said once with how it is computed from the order
lines. Everything else comes from this list:

- the SQLAlchemy tables and their indexes (dashapp.store.models, `rollup_model`);
- the write path's per-order change, the SQL contributions, `rebuild` and `check`
  (dashapp.store.rollups, `Rollup`), and which daily grain a coarser one is summed from;
- `find` answers which table holds a given grain, for the analytics planner.

Migrations do not read this: each one froze the DDL and fill SQL of its day.

A measure is added up per key in two steps, per order then over the orders, so every order
counts once in a key however many of its lines fall there: a sum measure adds the `of` column
of the lines it counts; a count measure (of None) counts each order with such a line once.

The customer activity tables (rollup_customer_days / _reach / _firsts) are not sums of lines but
of customers' chains of active days: dashapp.store.reach keeps them, from the daily customer
grains below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Date, Integer, String, and_, case
from sqlalchemy.types import TypeEngine

# Which lines a measure counts.
LIVE = "live"  # the lines of orders not cancelled
CANCELLED_LINES = "cancelled"
ALL_LINES = "all"


@dataclass(frozen=True)
class LineRule:
    """A value or a test of one order line that no column holds as such, said twice: in SQL
    over order_lines' columns (rebuild, check, the analytics over the lines) and in Python
    over one line's fields (the write path's twin, dashapp.store.rollups)."""

    name: str
    reads: tuple[str, ...]  # the order_lines columns it needs
    sql: Callable[[Any], Any]  # order_lines.c -> SQL expression
    python: Callable[[Any], Any]  # a line (attributes named as the columns) -> value


# Returns (SPEC §2): a credit note is a line with negative units and amount (the price stays
# >= 0), stored beside the sales, so every sum of amounts or quantities is net of returns.
RETURN_LINE = LineRule("return", ("quantity",), lambda c: c.quantity < 0, lambda r: r.quantity < 0)
# Lines whose cost is known (the file's cost or amount - profit; the product's cost at sale).
COSTED_LINE = LineRule(
    "costed",
    ("cost_cents",),
    lambda c: c.cost_cents.is_not(None),
    lambda r: r.cost_cents is not None,
)
COSTED_SALE_LINE = LineRule(
    "costed sale",
    ("quantity", "cost_cents"),
    lambda c: and_(c.quantity > 0, c.cost_cents.is_not(None)),
    lambda r: r.quantity > 0 and r.cost_cents is not None,
)
# SPEC §3: a discount is the list value (quantity x unit price, the price before discount)
# minus the amount, on a line that has a discount. A line without one gives nothing: its
# amount is the list value (a file's SALES is authoritative, even where its PRICEEACH is
# capped below it). On a return it is negative: the discount given back.
DISCOUNT_VALUE = LineRule(
    "discount",
    ("quantity", "unit_price_cents", "amount_cents", "discount_bp"),
    lambda c: case((c.discount_bp > 0, c.quantity * c.unit_price_cents - c.amount_cents), else_=0),
    lambda r: r.quantity * r.unit_price_cents - r.amount_cents if r.discount_bp > 0 else 0,
)


@dataclass(frozen=True)
class Measure:
    name: str  # the column
    type: type[TypeEngine]
    of: str | LineRule | None  # the order_lines column (or value) summed; None: count orders
    lines: str  # LIVE / CANCELLED_LINES / ALL_LINES: the lines it counts
    when: LineRule | None = None  # of those, only the lines passing this test

    @property
    def counts_orders(self) -> bool:
        return self.of is None

    @property
    def reads(self) -> tuple[str, ...]:
        """The order_lines columns its value and its test read (besides the status)."""
        value = (self.of,) if isinstance(self.of, str) else self.of.reads if self.of else ()
        return (*value, *(self.when.reads if self.when else ()))

    def value_sql(self, columns):
        """One line's value in SQL over order_lines' columns (None for a count)."""
        if self.of is None:
            return None
        return columns[self.of] if isinstance(self.of, str) else self.of.sql(columns)

    def value_of(self, line) -> int:
        """One line's value in Python (a count's is 1)."""
        if self.of is None:
            return 1
        return getattr(line, self.of) if isinstance(self.of, str) else self.of.python(line)


# Net of returns: a return's negative amount and units take away from the sales.
REVENUE = Measure("revenue_cents", BigInteger, "amount_cents", LIVE)
UNITS = Measure("units", BigInteger, "quantity", LIVE)
ORDERS = Measure("orders", Integer, None, LIVE)  # orders with a line not cancelled
ALL_ORDERS = Measure("all_orders", Integer, None, ALL_LINES)  # a row goes when this is 0
CANCELLED_ORDERS = Measure("cancelled_orders", Integer, None, CANCELLED_LINES)

SALES = (REVENUE, UNITS, ORDERS, ALL_ORDERS)
WITH_CANCELLED = (*SALES, CANCELLED_ORDERS)

# The money behind the headline (issue 19 item 1), kept where the KPIs are read from (the
# order-level grains by country and by category and country). Gross sales are revenue minus
# returns; profit is costed revenue minus cost; dashapp.analytics.measures says the rest.
RETURNS = Measure("returns_cents", BigInteger, "amount_cents", LIVE, RETURN_LINE)  # <= 0
RETURNED_UNITS = Measure("returned_units", BigInteger, "quantity", LIVE, RETURN_LINE)  # <= 0
DISCOUNTS = Measure("discounts_cents", BigInteger, DISCOUNT_VALUE, LIVE)
COST = Measure("cost_cents", BigInteger, "cost_cents", LIVE, COSTED_LINE)
COSTED_REVENUE = Measure("costed_revenue_cents", BigInteger, "amount_cents", LIVE, COSTED_LINE)
COSTED_SALES = Measure("costed_sales_cents", BigInteger, "amount_cents", LIVE, COSTED_SALE_LINE)
FINANCE = (RETURNS, RETURNED_UNITS, DISCOUNTS, COST, COSTED_REVENUE, COSTED_SALES)
# Orders with a live line whose cost is known: 0 says "no cost" (profit n/a), apart from a
# profit of 0.00 over costed lines.
COSTED_ORDERS = Measure("costed_orders", Integer, None, LIVE, COSTED_LINE)
# What the pivot reads by the order's own dimensions (issue 19): revenue, units, orders,
# discounts, and profit and margin over the costed lines.
PIVOT = (*SALES, DISCOUNTS, COST, COSTED_REVENUE, COSTED_ORDERS)

# The type of each key column, and the column it comes from (the same name): order_lines',
# or the orders' for the ON_ORDERS keys. A NULL text value is kept as '' (key columns cannot
# be NULL, see NULLABLE_KEYS); order_date holds the first day of the row's period.
KEY_TYPES = {
    "order_date": lambda: Date(),
    "country": lambda: String(100),
    "category": lambda: String(100),
    "product_id": lambda: Integer(),
    "customer_id": lambda: Integer(),
    "status": lambda: String(20),
    "channel": lambda: String(30),
    "segment": lambda: String(50),
    "ship_region": lambda: String(100),
    "ship_state": lambda: String(100),
    "ship_city": lambda: String(100),
}
# Keys read from the order's own row (order_lines holds no copy): a write reads them with the
# lines, a rebuild joins the orders.
ON_ORDERS = ("channel", "segment", "ship_region", "ship_state", "ship_city")
NULLABLE_KEYS = ("country", *ON_ORDERS)

# The keys that are the order's own (copied onto each of its lines and kept in step with it,
# or read from the order): every line of an order has the same ones. The other keys (category,
# product_id) are the line's. A rebuild works each order out once per set of line keys and
# sums the grains from there (dashapp.store.rollups.rebuild), checking on the way that the
# copies agree.
ORDER_KEYS = ("order_date", "country", "customer_id", "status", *ON_ORDERS)
LINE_KEYS = tuple(k for k in KEY_TYPES if k not in ORDER_KEYS)

DAY, WEEK, MONTH, ALL_TIME = "day", "week", "month", None


@dataclass(frozen=True)
class IndexSpec:
    """A secondary index; "{table}" in the name is the table's name, and order_date is left
    out of the columns of an all-time table."""

    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Grain:
    name: str  # rollup_<period>_<name>, or rollup_<name> for all time
    keys: tuple[str, ...]  # besides order_date, in primary-key order
    period: str | None  # DAY / WEEK / MONTH / ALL_TIME
    measures: tuple[Measure, ...]
    doc: str
    indexes: tuple[IndexSpec, ...] = ()

    @property
    def table_name(self) -> str:
        return f"rollup_{self.period}_{self.name}" if self.period else f"rollup_{self.name}"

    @property
    def class_name(self) -> str:
        return "".join(part.title() for part in self.table_name.split("_"))

    @property
    def table_keys(self) -> tuple[str, ...]:
        """The primary key: the period's first day (unless all time), then the keys."""
        return ("order_date", *self.keys) if self.period else self.keys

    def index_columns(self, spec: IndexSpec) -> tuple[str, ...]:
        return tuple(c for c in spec.columns if c != "order_date" or self.period)

    @property
    def line_keys(self) -> tuple[str, ...]:
        """The keys that are the line's own rather than its order's (see ORDER_KEYS)."""
        return tuple(k for k in LINE_KEYS if k in self.keys)


def _ranked(key: str, split: str) -> tuple[IndexSpec, ...]:
    """Each period's ids best first, by revenue and by units: the lists the top-N rankings read
    from the top down (dashapp.analytics.topn)."""
    return tuple(
        IndexSpec(f"ix_{{table}}_{suffix}", ("order_date", measure, key, split))
        for suffix, measure in (("revenue", "revenue_cents"), ("units", "units"))
    )


def _family(name, keys, measures, docs: dict, indexes: dict | None = None) -> tuple[Grain, ...]:
    """One grain per period in `docs` ({period: docstring})."""
    indexes = indexes or {}
    return tuple(
        Grain(name, keys, period, measures, doc, indexes.get(period, ()))
        for period, doc in docs.items()
    )


_CUSTOMER_BY_DAY = IndexSpec("ix_{table}_customer", ("customer_id", "order_date"))
# One category in one country: a seek to (period, category, country), where the key would read
# every customer of the category to check its country; it holds the sums the rankings add up.
_CATEGORY_IN_COUNTRY = IndexSpec(
    "ix_{table}_country",
    ("order_date", "category", "country", "customer_id", "revenue_cents", "units", "orders")
    + ("all_orders",),
)

GRAINS: tuple[Grain, ...] = (
    *_family(
        "country",
        ("country",),
        (*WITH_CANCELLED, *FINANCE),
        {
            DAY: "Per day and country: order-level totals (orders are counted once whatever "
            "their lines).",
            MONTH: "RollupDayCountry per calendar month (order_date = the first day of the month).",
        },
    ),
    *_family(
        "category_country",
        ("category", "country"),
        (*WITH_CANCELLED, *FINANCE),
        {
            DAY: "Per day, category and country: an order counts once in each category it has "
            "lines in.",
            MONTH: "RollupDayCategoryCountry per calendar month (order_date = the first day of "
            "the month).",
        },
    ),
    *_family(
        "product",
        ("product_id", "category"),
        SALES,
        {
            DAY: "Per day and product (with the line's category), for the top-products ranking.",
            WEEK: "RollupDayProduct per week (order_date = the week's first day).",
            MONTH: "RollupDayProduct per month (order_date = the month's first day).",
            ALL_TIME: "All-time totals per product (and line category): top products over the "
            "whole range.",
        },
        {
            DAY: (IndexSpec("ix_{table}_product", ("product_id", "order_date")),),
            MONTH: _ranked("product_id", "category"),
            ALL_TIME: _ranked("product_id", "category"),
        },
    ),
    *_family(
        "product_country",
        ("country", "category", "product_id"),
        SALES,
        {
            DAY: "Per day, order country and product (with the line's category): the top "
            "products of a country. Keyed day first, then country and category, so a list of "
            "days seeks straight to one country's (and category's) products.",
            WEEK: "RollupDayProductCountry per week (order_date = the week's first day).",
            MONTH: "RollupDayProductCountry per month (order_date = the month's first day).",
        },
    ),
    *_family(
        "customer",
        ("customer_id", "country"),
        SALES,
        {
            DAY: "Per day and customer (with the order's country): distinct customers and top "
            "customers.",
            WEEK: "RollupDayCustomer per week (order_date = the week's first day).",
            MONTH: "RollupDayCustomer per month (order_date = the month's first day).",
            ALL_TIME: "All-time totals per customer (and order country): customers and top "
            "customers over the whole range.",
        },
        {
            DAY: (_CUSTOMER_BY_DAY,),
            MONTH: _ranked("customer_id", "country"),
            ALL_TIME: _ranked("customer_id", "country"),
        },
    ),
    *_family(
        "category_customer",
        ("category", "customer_id", "country"),
        SALES,
        {
            DAY: "Per day, category and customer: distinct customers and top customers of one "
            "category.",
            WEEK: "RollupDayCategoryCustomer per week (order_date = the week's first day).",
            MONTH: "RollupDayCategoryCustomer per month (order_date = the month's first day).",
            ALL_TIME: "All-time totals per category and customer (and order country).",
        },
        {
            DAY: (_CUSTOMER_BY_DAY,),
            WEEK: (_CATEGORY_IN_COUNTRY,),
            MONTH: (_CATEGORY_IN_COUNTRY,),
        },
    ),
)
# The order's own dimensions (issue 19's pivot: status, channel, segment, ship-to), by month:
# the same order-level sums as rollup_month_country, split further. No daily twin: a rebuild
# sums them from the per-order levels as it does the daily grains. The city is kept out of the
# one with the category, and ship mode (a line's) out of both, so each stays a small fraction
# of the lines however many cities a file has.
_ORDER_DIMENSIONS = ("status", "channel", "segment", "country", "ship_region", "ship_state")
GRAINS += (
    Grain(
        "orders",
        (*_ORDER_DIMENSIONS, "ship_city"),
        MONTH,
        PIVOT,
        "Per month and the order's status, channel, segment and ship-to country, region, "
        "state and city: order-level totals for the pivot.",
    ),
    Grain(
        "category_orders",
        ("category", *_ORDER_DIMENSIONS),
        MONTH,
        PIVOT,
        "Per month, line category and the order's status, channel, segment and ship-to "
        "country, region and state: an order counts once in each category it has lines in.",
    ),
)
# Daily grains first: a rebuild sums the coarser ones from them.
GRAINS = tuple(sorted(GRAINS, key=lambda g: g.period != DAY))
BY_TABLE = {g.table_name: g for g in GRAINS}


def from_levels(grain: Grain) -> bool:
    """Whether a rebuild sums this grain from the per-order levels of the lines: the daily
    grains, and the monthly ones that have no daily twin."""
    return grain.period == DAY or (grain.period == MONTH and _daily_twin(grain) is None)


def _daily_twin(grain: Grain) -> Grain | None:
    for day in GRAINS:
        if day.period == DAY and day.keys == grain.keys and day.measures == grain.measures:
            return day
    return None


def daily_source(grain: Grain) -> Grain | None:
    """The daily grain with the same keys that a coarser grain is a sum of (every order lies on
    one day, so its counts add up across days); None for a grain summed from the levels."""
    if from_levels(grain):
        return None
    day = _daily_twin(grain)
    if day is None:
        raise LookupError(f"no daily grain to sum {grain.table_name} from")
    return day


def coarser_source(grain: Grain, built: set[str] | frozenset[str] = frozenset()) -> Grain | None:
    """The grain a rebuild sums a coarser one from: the monthly grain with the same keys and
    measures for an all-time one, when that table is among `built` (exact already, and far
    smaller than the daily one); else the daily source. None for a daily grain."""
    if grain.period == ALL_TIME:
        for month in GRAINS:
            if (
                month.period == MONTH
                and month.table_name in built
                and month.keys == grain.keys
                and month.measures == grain.measures
            ):
                return month
    return daily_source(grain)


def find(keys: set[str] | frozenset[str], period: str | None) -> Grain | None:
    """The grain of this period keyed by exactly these keys (in any order), if there is one:
    e.g. find({"country"}, "month") is rollup_month_country."""
    for grain in GRAINS:
        if grain.period == period and set(grain.keys) == set(keys):
            return grain
    return None
