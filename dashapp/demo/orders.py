"""Orders and order lines as numpy arrays: who buys what, when, how, and at what price."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashapp.demo.catalog import CATEGORY_NAMES, Catalog
from dashapp.demo.customers import COUNTRY_NAMES, Customers
from dashapp.demo.demand import Calendar
from dashapp.demo.drops import KEEP_FRACTION, InjectedDrop

STATUSES = ("Pending", "In Process", "Shipped", "Resolved", "On Hold", "Disputed", "Cancelled")
CHANNELS = ("web", "phone", "store")
PAYMENTS = ("Credit Card", "PayPal", "Bank Transfer", "Invoice", "Cash")
LINES_PER_ORDER = np.array([0.40, 0.25, 0.17, 0.11, 0.07])  # 1..5 lines, mean 2.2
# Status mix by the order's age in days: (oldest age of the band, probabilities over STATUSES).
_STATUS_BY_AGE = (
    (2, (0.62, 0.33, 0.0, 0.0, 0.0, 0.0, 0.05)),
    (10, (0.0, 0.55, 0.36, 0.0, 0.05, 0.0, 0.04)),
    (30, (0.0, 0.02, 0.90, 0.02, 0.02, 0.01, 0.03)),
    (10**9, (0.0, 0.0, 0.945, 0.02, 0.005, 0.005, 0.025)),
)
# Channel mix per customer segment (Consumer, Small Business, Wholesale) over CHANNELS.
_CHANNEL_BY_SEGMENT = ((0.75, 0.10, 0.15), (0.50, 0.35, 0.15), (0.30, 0.62, 0.08))
# Payment mix per channel over PAYMENTS.
_PAYMENT_BY_CHANNEL = (
    (0.62, 0.30, 0.08, 0.0, 0.0),
    (0.30, 0.0, 0.30, 0.40, 0.0),
    (0.70, 0.0, 0.0, 0.0, 0.30),
)
# Hour of day of an order (0..23), busiest in office hours and early evening.
_HOURS = np.array(
    [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 4, 6, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5, 4, 3, 2, 1.5]
)


@dataclass(frozen=True)
class Orders:
    """One entry per order, sorted by time; index i is order id i + 1."""

    day: np.ndarray  # int index into the calendar
    second: np.ndarray  # seconds since midnight
    customer: np.ndarray  # customer index
    country: np.ndarray  # code into COUNTRY_NAMES
    status: np.ndarray  # code into STATUSES
    channel: np.ndarray  # code into CHANNELS
    payment: np.ndarray  # code into PAYMENTS
    promo: np.ndarray  # bool
    total_cents: np.ndarray  # int64, the sum of the order's lines


@dataclass(frozen=True)
class Lines:
    """One entry per order line, grouped by order in order-id sequence."""

    order: np.ndarray  # order index
    line_number: np.ndarray
    product: np.ndarray  # product index
    quantity: np.ndarray
    unit_price_cents: np.ndarray
    discount_bp: np.ndarray
    amount_cents: np.ndarray
    category: np.ndarray  # code into CATEGORY_NAMES


def make_orders(
    rng: np.random.Generator,
    calendar: Calendar,
    per_day: np.ndarray,
    catalog: Catalog,
    customers: Customers,
    drops: tuple[InjectedDrop, ...],
) -> tuple[Orders, Lines]:
    """Draw every order and line; totals are exact integer sums of the lines."""
    n_days = len(calendar.days)
    day = np.repeat(np.arange(n_days), per_day)
    n = len(day)
    second = (rng.choice(24, n, p=_HOURS / _HOURS.sum()) * 3600 + rng.integers(0, 3600, n)).astype(
        np.int64
    )
    order_by_time = np.lexsort((second, day))
    day, second = day[order_by_time], second[order_by_time]

    customer = _pick_customers(rng, day, n_days, len(customers))
    customer = _drop_country(rng, customer, day, calendar, customers, drops)
    country = customers.country[customer]
    segment = customers.segment[customer]

    channel = _choice_by_group(rng, segment, _CHANNEL_BY_SEGMENT)
    payment = _choice_by_group(rng, channel, _PAYMENT_BY_CHANNEL)
    promo = rng.random(n) < np.where(calendar.promo[day], 0.55, 0.04)
    age = n_days - 1 - day
    status = np.empty(n, dtype=np.int64)
    low = -1
    for high, probs in _STATUS_BY_AGE:
        band = (age > low) & (age <= high)
        status[band] = rng.choice(len(STATUSES), int(band.sum()), p=probs)
        low = high

    lines = _make_lines(rng, day, segment, promo, calendar, catalog, drops)
    starts = np.flatnonzero(np.r_[True, lines.order[1:] != lines.order[:-1]])
    # Integer sums per order: never accumulate money in floats.
    total = np.add.reduceat(lines.amount_cents, starts)
    orders = Orders(day, second, customer, country, status, channel, payment, promo, total)
    return orders, lines


def _pick_customers(rng: np.random.Generator, day: np.ndarray, n_days: int, count: int):
    """Customers join over time; long-standing customers order more often."""
    joined = np.ceil(count * (0.3 + 0.7 * day / max(n_days - 1, 1))).astype(np.int64)
    return np.minimum((joined * rng.random(len(day)) ** 1.6).astype(np.int64), joined - 1)


def _drop_country(rng, customer, day, calendar, customers, drops):
    """On the country drop's day, move almost all its orders to customers elsewhere."""
    for drop in drops:
        if drop.scope != "country":
            continue
        code = COUNTRY_NAMES.index(drop.key)
        d = _day_index(calendar, drop.day)
        hit = np.flatnonzero(
            (day == d)
            & (customers.country[customer] == code)
            & (rng.random(len(day)) >= KEEP_FRACTION)
        )
        elsewhere = np.flatnonzero(customers.country != code)
        customer = customer.copy()
        customer[hit] = rng.choice(elsewhere, len(hit))
    return customer


def _make_lines(rng, day, segment, promo, calendar, catalog, drops) -> Lines:
    n = len(day)
    per_order = rng.choice(5, n, p=LINES_PER_ORDER) + 1
    order = np.repeat(np.arange(n), per_order)
    starts = np.cumsum(per_order) - per_order
    line_number = np.arange(len(order)) - np.repeat(starts, per_order) + 1
    product = _distinct_products(rng, order, catalog)
    product = _drop_products(rng, product, day[order], calendar, catalog, drops)

    seg = segment[order]
    quantity = np.select(
        [seg == 0, seg == 1],
        [rng.geometric(0.65, len(order)), rng.integers(4, 30, len(order))],
        rng.integers(20, 80, len(order)),
    ).astype(np.int64)
    price = catalog.price_cents[product]
    # Promotion orders get one discount on every line; big wholesale lines a small rebate.
    order_discount = rng.choice(np.array([500, 1000, 1500, 2000]), n, p=[0.3, 0.4, 0.2, 0.1])
    discount = np.where(promo[order], order_discount[order], 0)
    discount = np.where((discount == 0) & (quantity >= 60), 300, discount).astype(np.int64)
    # Round half up to the cent, in integers.
    amount = (quantity * price * (10_000 - discount) + 5_000) // 10_000
    return Lines(
        order=order,
        line_number=line_number,
        product=product,
        quantity=quantity,
        unit_price_cents=price,
        discount_bp=discount,
        amount_cents=amount,
        category=catalog.category[product],
    )


def _distinct_products(rng, order: np.ndarray, catalog: Catalog) -> np.ndarray:
    """Products by popularity, redrawn where an order would list the same product twice."""
    n_products = len(catalog)
    product = rng.choice(n_products, len(order), p=catalog.popularity)
    for _ in range(5):
        key = order * n_products + product
        _, first = np.unique(key, return_index=True)
        dup = np.ones(len(order), dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        product[dup] = rng.choice(n_products, int(dup.sum()), p=catalog.popularity)
    return product


def _drop_products(rng, product, line_day, calendar, catalog, drops):
    """On a product or category drop's day, almost all its lines go to other products."""
    product = product.copy()
    sku_index = {sku: i for i, sku in enumerate(catalog.sku.tolist())}
    for drop in drops:
        d = _day_index(calendar, drop.day)
        if drop.scope == "product":
            target = sku_index[drop.key]
            hit = (product == target) & (line_day == d)
            others = np.flatnonzero(
                (catalog.category == catalog.category[target]) & (np.arange(len(catalog)) != target)
            )
        elif drop.scope == "category":
            code = CATEGORY_NAMES.index(drop.key)
            hit = (catalog.category[product] == code) & (line_day == d)
            others = np.flatnonzero(catalog.category != code)
        else:
            continue
        hit &= rng.random(len(product)) >= KEEP_FRACTION
        weights = catalog.popularity[others] / catalog.popularity[others].sum()
        product[hit] = rng.choice(others, int(hit.sum()), p=weights)
    return product


def _choice_by_group(rng, group: np.ndarray, table) -> np.ndarray:
    """For each item, a draw from the probability row of its group."""
    out = np.empty(len(group), dtype=np.int64)
    for g, probs in enumerate(table):
        mask = group == g
        out[mask] = rng.choice(len(probs), int(mask.sum()), p=probs)
    return out


def _day_index(calendar: Calendar, day) -> int:
    return int((np.datetime64(day) - calendar.days[0]).astype(int))
