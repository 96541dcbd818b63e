"""KPIs on the tiny data set (tests/tiny.py); every expected number is worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from dashapp.analytics.kpis import delta, kpi_summary, kpis
from dashapp.filters import Filters

JAN = Filters(start=date(2024, 1, 1), end=date(2024, 1, 31))


def test_january_kpis_exclude_cancelled_orders(tiny_engine):
    with tiny_engine.connect() as conn:
        k = kpis(conn, JAN)
    # O1 250.00 + O2 135.00; O3 is cancelled.
    assert k.revenue == Decimal("385.00")
    assert k.orders == 2
    assert k.aov == Decimal("192.50")
    assert k.customers == 2
    assert k.units == 2 + 1 + 3
    assert (k.all_orders, k.cancelled_orders) == (3, 1)
    assert k.cancellation_rate == pytest.approx(1 / 3)
    # Acme first ordered in 2023, Bolt in December 2023: nobody is new in January.
    assert (k.new_customers, k.returning_customers) == (0, 2)


def test_whole_history(tiny_engine):
    with tiny_engine.connect() as conn:
        k = kpis(conn, Filters())
    assert k.revenue == Decimal("684.99")  # 250 + 135 + 99.99 + 100 + 100
    assert k.orders == 5
    assert k.aov == Decimal("137.00")  # 684.99 / 5 = 136.998
    assert k.new_customers == 2  # Acme and Bolt; Cogs only ever cancelled


def test_category_filter_counts_only_matching_lines(tiny_engine):
    with tiny_engine.connect() as conn:
        k = kpis(conn, Filters(start=JAN.start, end=JAN.end, categories=("Motorcycles",)))
    assert k.revenue == Decimal("185.00")  # O1 L2 50.00 + O2 135.00
    assert (k.orders, k.units) == (2, 4)


def test_country_filter_and_cancellation_rate(tiny_engine):
    with tiny_engine.connect() as conn:
        k = kpis(conn, Filters(start=JAN.start, end=JAN.end, countries=("USA",)))
    assert k.revenue == Decimal("135.00")
    assert (k.orders, k.all_orders, k.cancelled_orders) == (1, 2, 1)
    assert k.cancellation_rate == 0.5


def test_product_customer_and_status_filters(tiny_engine):
    with tiny_engine.connect() as conn:
        by_product = kpis(conn, Filters(products=("CAR",)))
        by_customer = kpis(conn, Filters(customers=(2,)))
        cancelled_only = kpis(conn, Filters(start=JAN.start, end=JAN.end, statuses=("Cancelled",)))
    assert by_product.revenue == Decimal("399.99")  # 200 + 99.99 + 100
    assert by_product.units == 4
    assert by_customer.revenue == Decimal("235.00")  # Bolt: 135 + 100
    assert cancelled_only.revenue == Decimal("0.00")
    assert (cancelled_only.orders, cancelled_only.all_orders) == (0, 1)
    assert cancelled_only.cancellation_rate == 1.0


def test_new_customers_over_the_lines_from_the_first_order_day(tiny_engine):
    # A product filter reads the lines. CAR's lines not cancelled are all Acme's (O6 2023-01-12,
    # O1, O4; O3 is Cogs' and cancelled), and Acme's first order, O6, is the first order day:
    # from it (or before it) Acme is new; from the day after, Acme had ordered before.
    car = Filters(products=("CAR",))
    with tiny_engine.connect() as conn:
        whole = kpis(conn, car)
        earlier = kpis(conn, car.with_range(date(2022, 6, 1), date(2024, 12, 31)))
        from_first = kpis(conn, car.with_range(date(2023, 1, 12), date(2024, 12, 31)))
        day_after = kpis(conn, car.with_range(date(2023, 1, 13), date(2024, 12, 31)))
    assert (whole.customers, whole.new_customers) == (1, 1)
    assert (earlier.customers, earlier.new_customers) == (1, 1)
    assert (from_first.customers, from_first.new_customers) == (1, 1)
    assert (day_after.customers, day_after.new_customers) == (1, 0)


def test_empty_range_gives_zeros_not_errors(tiny_engine):
    with tiny_engine.connect() as conn:
        k = kpis(conn, Filters(start=date(2030, 1, 1), end=date(2030, 12, 31)))
    assert k.revenue == Decimal("0.00")
    assert (k.orders, k.customers, k.units) == (0, 0, 0)
    assert k.aov == Decimal("0.00")
    assert k.cancellation_rate == 0.0


@pytest.mark.parametrize(
    "f, expected",
    [
        # O1 2 + 1 units, O2 3; O3 is cancelled: 6 units / 2 orders.
        (JAN, Decimal("3.00")),
        # France, all time: O1 3, O4 1, O6 1 = 5 units / 3 orders = 1.666... (rollups).
        (Filters(countries=("France",)), Decimal("1.67")),
        # The same orders through the lines (a customer filter): Acme is O1, O4 and O6.
        (Filters(customers=(1,)), Decimal("1.67")),
        # CAR lines not cancelled: O1 2, O4 1, O6 1 = 4 units / 3 orders = 1.333...
        (Filters(products=("CAR",)), Decimal("1.33")),
        # USA, all time: O2 3, O5 2 = 5 / 2; O3 cancelled.
        (Filters(countries=("USA",)), Decimal("2.50")),
        # No orders: 0, not an error.
        (Filters(start=date(2030, 1, 1), end=date(2030, 12, 31)), Decimal("0.00")),
    ],
)
def test_average_units_per_order(tiny_engine, f, expected):
    with tiny_engine.connect() as conn:
        assert kpis(conn, f).units_per_order == expected


def test_summary_compares_with_previous_period_and_last_year(tiny_engine):
    with tiny_engine.connect() as conn:
        s = kpi_summary(conn, JAN)
    assert (s.start, s.end) == (date(2024, 1, 1), date(2024, 1, 31))
    # Previous 31 days: 2023-12-01..2023-12-31 holds O5 only, Bolt's first order.
    assert s.previous.revenue == Decimal("100.00")
    assert (s.previous.orders, s.previous.new_customers) == (1, 1)
    # Same period last year: O6.
    assert s.last_year.revenue == Decimal("100.00")
    assert delta(float(s.current.revenue), float(s.previous.revenue)) == pytest.approx(2.85)


def test_open_range_resolves_to_data_bounds(tiny_engine):
    with tiny_engine.connect() as conn:
        s = kpi_summary(conn, Filters())
    assert (s.start, s.end) == (date(2023, 1, 12), date(2024, 2, 5))
    assert s.previous.orders == 0
    assert delta(1.0, 0.0) is None


def test_as_json_keys_and_rounding(tiny_engine):
    with tiny_engine.connect() as conn:
        data = kpis(conn, JAN).as_json()
    assert data == {
        "revenue": 385.0,
        "orders": 2,
        "aov": 192.5,
        "customers": 2,
        "new_customers": 0,
        "returning_customers": 2,
        "units": 6,
        "cancellation_rate": 0.3333,
        "units_per_order": 3.0,  # 6 units / 2 orders
        "net_revenue": 385.0,  # no returns: net = gross
        "gross_sales": 385.0,
        "returns": 0.0,
        "returned_units": 0,
        "discounts": 15.0,  # O2: 3 x 50.00 - 135.00
        "cost": None,  # the tiny shop has no costs: n/a, and why
        "profit": None,
        "margin": None,
        "cost_coverage": 0.0,
        "profit_note": "n/a: no cost is known for these orders",
    }


def test_status_cancelled_shows_the_cancelled_orders_themselves(tiny_engine):
    # Issue 18: with Status = Cancelled every SPEC §3 measure is 0 by definition; the cancelled
    # orders' own numbers are O3 alone: 1 x CAR @100.00 for Cogs on 20 Jan 2024.
    from dashapp.analytics.kpis import cancelled_summary, only_cancelled

    f = Filters(start=date(2024, 1, 1), end=date(2024, 1, 31), statuses=("Cancelled",))
    assert only_cancelled(f) and not only_cancelled(Filters(statuses=("Cancelled", "Shipped")))
    with tiny_engine.connect() as conn:
        s = cancelled_summary(conn, f)
    c = s.current
    assert (c.value, c.orders, c.units, c.customers) == (Decimal("100.00"), 1, 1, 1)
    assert c.average == Decimal("100.00")
    # The previous 31 days (1-31 Dec 2023) hold O5, not cancelled: nothing to show.
    assert s.previous.orders == 0 and s.previous.value == Decimal("0.00")
    # Over every status, January has O1, O2, O3: 1 of 3 orders cancelled.
    assert (s.every_status.cancelled_orders, s.every_status.all_orders) == (1, 3)


def test_average_cancelled_order_rounds_half_up_to_the_cent():
    from dashapp.analytics.kpis import CancelledKpis

    # 100.01 / 2 = 50.005 -> 50.01; 0 orders -> 0.00; -0.05 / 2 = -0.025 -> -0.03.
    assert CancelledKpis(value_cents=10001, orders=2).average == Decimal("50.01")
    assert CancelledKpis().average == Decimal("0.00")
    assert CancelledKpis(value_cents=-5, orders=2).average == Decimal("-0.03")
