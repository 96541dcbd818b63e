"""What a rule can watch: each metric read from the Overview's KPI answer
(dashapp.analytics.kpis.Kpis, the one definition of every number), in the unit its threshold
is typed and stored in: cents for money, a count, or basis points for a rate (5.25 % is 525).

A value is a Fraction in that unit so a rate is compared exactly (2 of 40 orders is 500 bp,
neither 499.99 nor 500.01); None is n/a (profit with no cost known, a rate of no orders),
which no threshold is judged against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from dashapp.analytics.kpis import Kpis
from dashapp.analytics.measures import CANCELLATION_RATE, MARGIN

MONEY, COUNT, PERCENT = "money", "count", "percent"
BP = 10_000  # basis points in 1


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str  # MONEY (cents), COUNT or PERCENT (basis points)
    read: Callable[[Kpis], Fraction | int | None]
    why_none: str = ""


def _rate(ratio, denominator: str):
    def read(k: Kpis) -> Fraction | None:
        if not getattr(k, denominator):
            return None
        return ratio.exact(k) * BP

    return read


def _aov(k: Kpis) -> int | None:
    # The card's figure: rounded half-up to the cent, so an alert agrees with what is shown.
    return int(k.aov * 100) if k.orders else None


def _margin(k: Kpis) -> Fraction | None:
    return None if k.margin is None else MARGIN.exact(k) * BP


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("revenue", "Revenue", MONEY, lambda k: k.revenue_cents),
        Metric("orders", "Orders", COUNT, lambda k: k.orders),
        Metric("units", "Units", COUNT, lambda k: k.units),
        Metric("customers", "Customers", COUNT, lambda k: k.customers),
        Metric("new_customers", "New customers", COUNT, lambda k: k.new_customers),
        Metric("aov", "Average order value", MONEY, _aov, "no orders"),
        Metric(
            "cancellation_rate",
            "Cancellation rate",
            PERCENT,
            _rate(CANCELLATION_RATE, "all_orders"),
            "no orders",
        ),
        Metric("profit", "Profit", MONEY, lambda k: k.profit_cents, "no cost is known"),
        Metric("margin", "Margin", PERCENT, _margin, "no cost is known"),
        Metric("discounts", "Discounts", MONEY, lambda k: k.discounts_cents),
        Metric("returns", "Returns", MONEY, lambda k: -k.returns_cents),
        Metric("gross_sales", "Gross sales", MONEY, lambda k: k.gross_sales_cents),
    )
}
# The metrics a target can be set for (dashapp.targets), so "behind target" can watch them.
TARGET_METRICS = ("revenue", "orders", "profit")


def value_of(metric: str, k: Kpis) -> Fraction | None:
    """The metric of a KPI answer in its unit, exactly; None when n/a."""
    raw = METRICS[metric].read(k)
    return None if raw is None else Fraction(raw)


def rounded(value: Fraction) -> int:
    """A value in whole units (cents, basis points), half away from zero, to store or show."""
    whole = (abs(value.numerator) * 2 + value.denominator) // (value.denominator * 2)
    return whole if value >= 0 else -whole


def amount_text(unit: str, amount: int | None) -> str:
    """$1,234.56, 1,234 or 5.25 % from a stored amount; n/a for None."""
    if amount is None:
        return "n/a"
    if unit == MONEY:
        sign = "−" if amount < 0 else ""
        return f"{sign}${Decimal(abs(amount)) / 100:,.2f}"
    if unit == PERCENT:
        return f"{Decimal(amount) / 100:,.2f} %".replace("-", "−")
    return f"{amount:,}".replace("-", "−")


def json_amount(unit: str, amount: int | None) -> float | int | None:
    """Money as currency units, a rate as a percentage (5.25), a count as is."""
    if amount is None or unit == COUNT:
        return amount
    return float(Decimal(amount) / 100)
