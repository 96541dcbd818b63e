"""What each number means, said once (SPEC §3), for both ways of reading it.

A sum is a measure of the rollups (dashapp.store.grains): the same declaration says how the
rollup column is computed from the order lines, so the planner's two paths are generated from
it, never written twice: over rollup rows the measure is the sum of its column, over the order
lines it is the sum of the lines' column (or the count of distinct orders) of the lines it
counts. A ratio is a quotient of two sums for the same filters, never an average of averages.

Adding a metric: an additive one is a measure of the grains; a ratio of existing sums is one
line below and one property of dashapp.analytics.kpis.Kpis.

Returns and costs (SPEC §2-3, issues 19 and 21). A return (a credit note) is stored as an order
line with negative units and amount (and cost, when known); its price stays the item's, >= 0.
So every sum of amounts is net: REVENUE is net revenue, the headline, and UNITS net units.
RETURNS (<= 0) and RETURNED_UNITS are the live return lines' sums; gross sales = revenue -
returns. DISCOUNTS: quantity x unit price - amount of the live lines with a discount (given
back on a return). COST, COSTED_REVENUE and COSTED_SALES sum only the live lines whose cost is
known: profit = costed revenue - cost and margin = profit / costed revenue leave the other
lines out of both (never counted as costing nothing), and cost coverage = costed sales / gross
sales says how much they cover; with no cost known, profit and margin are n/a. Orders entered
in the app store the product's cost x quantity at the time of sale; the import, the file's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from sqlalchemy import BigInteger, ColumnElement, and_, case, distinct, func

from dashapp.store import grains
from dashapp.store.models import CANCELLED, OrderLine

lines = OrderLine.__table__

# The lines each kind of measure counts (grains.Measure.lines); None: every line.
_COUNTED = {
    grains.LIVE: lines.c.status != CANCELLED,
    grains.CANCELLED_LINES: lines.c.status == CANCELLED,
    grains.ALL_LINES: None,
}


@dataclass(frozen=True)
class Sum:
    """An additive measure: a rollup column (grains.Measure), summed over any rows of it."""

    measure: grains.Measure

    @property
    def name(self) -> str:
        return self.measure.name

    def over_rollup(self, table) -> ColumnElement:
        """The total over rows of a rollup table (or a union of them) holding the column."""
        return func.coalesce(func.sum(table.c[self.name]), 0)

    def over_lines(self) -> ColumnElement:
        """The total over order_lines rows, as the rollup computes its column from them: every
        order counts once however many of its counted lines there are."""
        counted = _COUNTED[self.measure.lines]
        if self.measure.when is not None:
            test = self.measure.when.sql(lines.c)
            counted = test if counted is None else and_(counted, test)
        if self.measure.counts_orders:
            order = lines.c.order_id if counted is None else case((counted, lines.c.order_id))
            return func.count(distinct(order))
        value = self.measure.value_sql(lines.c)
        return func.coalesce(func.sum(value if counted is None else case((counted, value))), 0)

    def over(self, source) -> ColumnElement:
        """The total over a planner source (dashapp.analytics.query.Source), labelled."""
        total = self.over_lines() if source.on_lines else self.over_rollup(source.table)
        return total.label(self.name)


REVENUE = Sum(grains.REVENUE)  # net revenue: cents of the live lines, returns included
UNITS = Sum(grains.UNITS)  # net of the returned units
ORDERS = Sum(grains.ORDERS)  # distinct orders not cancelled
ALL_ORDERS = Sum(grains.ALL_ORDERS)
CANCELLED_ORDERS = Sum(grains.CANCELLED_ORDERS)

# Issue 19 item 1 (SPEC §3): returns are the live lines with negative units and amount;
# discounts the list value minus the amount of discounted lines; cost, and the revenue of the
# lines it is known for (all of them, and the sales alone), over the lines whose cost is known.
RETURNS = Sum(grains.RETURNS)  # <= 0
RETURNED_UNITS = Sum(grains.RETURNED_UNITS)  # <= 0
DISCOUNTS = Sum(grains.DISCOUNTS)
COST = Sum(grains.COST)
COSTED_REVENUE = Sum(grains.COSTED_REVENUE)
COSTED_SALES = Sum(grains.COSTED_SALES)

# The cancelled orders' own totals, for looking at them (Status = Cancelled): not rollup
# columns, so read over the order lines only (a status filter reads the lines anyway).
CANCELLED_VALUE = Sum(
    grains.Measure("cancelled_value_cents", BigInteger, "amount_cents", grains.CANCELLED_LINES)
)
CANCELLED_UNITS = Sum(
    grains.Measure("cancelled_units", BigInteger, "quantity", grains.CANCELLED_LINES)
)
CUSTOMERS_WHO_CANCELLED = func.count(
    distinct(case((_COUNTED[grains.CANCELLED_LINES], lines.c.customer_id)))
)

# Distinct customers with an order not cancelled. Not a sum: over the rollups it is counted from
# the activity chains (dashapp.store.reach) or the per-customer rows; over the lines, this.
CUSTOMERS_OVER_LINES = func.count(distinct(case((_COUNTED[grains.LIVE], lines.c.customer_id))))


def live(source) -> ColumnElement[bool]:
    """The rows of a source that hold a non-cancelled order: rollup rows with an order counted,
    or lines of orders not cancelled (revenue ranked among these rows only)."""
    return _COUNTED[grains.LIVE] if source.on_lines else live_rows(source.table)


def live_rows(table) -> ColumnElement[bool]:
    """The rows of a rollup table (or a union of them) with an order not cancelled counted."""
    return table.c[ORDERS.name] > 0


CENT = Decimal("0.01")


@dataclass(frozen=True)
class Difference:
    """One sum minus another over the same rows, e.g. gross profit = costed revenue - cost."""

    name: str
    plus: Sum
    minus: Sum

    def of(self, totals) -> int:
        return getattr(totals, self.plus.name) - getattr(totals, self.minus.name)


# Gross sales: the sales before returns (revenue - returns, returns being <= 0).
GROSS_SALES = Difference("gross_sales_cents", REVENUE, RETURNS)
# Gross profit over the lines whose cost is known: their revenue (net) minus their cost. The
# lines without a cost are left out of both, never counted as costing nothing.
PROFIT = Difference("profit_cents", COSTED_REVENUE, COST)


@dataclass(frozen=True)
class Ratio:
    """The quotient of two sums over the same rows, e.g. AOV = revenue / orders."""

    name: str
    numerator: Sum | Difference  # read from the totals by name
    denominator: Sum | Difference
    per: int = 1  # numerator units per shown unit: 100 shows cents as money

    def exact(self, totals) -> Fraction:
        """The exact quotient of `totals`' sums (an object with an attribute per sum's name),
        0 when the denominator is 0."""
        below = getattr(totals, self.denominator.name)
        if not below:
            return Fraction(0)
        return Fraction(getattr(totals, self.numerator.name), below * self.per)

    def rounded(self, totals) -> Decimal:
        """The exact quotient rounded half away from zero to 2 decimals (as money is)."""
        value = self.exact(totals)
        hundredths = floor(abs(value) * 100 + Fraction(1, 2))
        return (Decimal(hundredths if value >= 0 else -hundredths) / 100).quantize(CENT)


AOV = Ratio("aov", REVENUE, ORDERS, per=100)  # average order value, in money
CANCELLATION_RATE = Ratio("cancellation_rate", CANCELLED_ORDERS, ALL_ORDERS)
UNITS_PER_ORDER = Ratio("units_per_order", UNITS, ORDERS)  # average units per order
# Gross profit / revenue of the lines whose cost is known (a fraction); with how much of the
# gross sales those lines are (the coverage: "cost known for 87 % of sales").
MARGIN = Ratio("margin", PROFIT, COSTED_REVENUE)
COST_COVERAGE = Ratio("cost_coverage", COSTED_SALES, GROSS_SALES)
