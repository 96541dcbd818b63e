"""How many orders each day gets: trend, weekly and yearly seasonality, and promotions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

HISTORY_DAYS = 3 * 365 + 1  # about three years, ending on the `end` day
# Monday..Sunday: weekends are quieter (the shop is mostly B2B and web).
WEEKDAY_FACTOR = np.array([1.05, 1.08, 1.08, 1.06, 1.0, 0.62, 0.52])


@dataclass(frozen=True)
class Calendar:
    """The days of the history and what happens on each."""

    start: date
    days: np.ndarray  # datetime64[D], one per day
    weight: np.ndarray  # relative expected orders per day
    promo: np.ndarray  # bool: a promotion runs that day


def history_start(end: date) -> date:
    """The first day of the demo history ending on `end`."""
    return end - timedelta(days=HISTORY_DAYS - 1)


def make_calendar(rng: np.random.Generator, end: date) -> Calendar:
    """Daily demand weights over the history; promotions are a few campaigns a year."""
    start = history_start(end)
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    t = np.arange(len(days)) / len(days)
    trend = 1.0 + 0.9 * t  # steady growth: the last year sells ~2/3 more than the first
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was Thursday
    day_of_year = (days - days.astype("datetime64[Y]")).astype(int)
    # A smooth year with a summer lull and a Q4 peak running into Christmas.
    yearly = (
        1.0
        - 0.12 * np.cos(2 * np.pi * (day_of_year - 15) / 365.25)
        + 0.55 * np.exp(-(((day_of_year - 340) / 28.0) ** 2))
        - 0.10 * np.exp(-(((day_of_year - 200) / 40.0) ** 2))
    )
    promo = _promotions(rng, days, day_of_year)
    weight = trend * WEEKDAY_FACTOR[weekday] * yearly * np.where(promo, 1.35, 1.0)
    # Day-to-day noise, so no two weeks look alike.
    weight *= rng.lognormal(0.0, 0.08, len(days))
    return Calendar(start=start, days=days, weight=weight, promo=promo)


def _promotions(rng: np.random.Generator, days: np.ndarray, day_of_year: np.ndarray):
    """Black Friday week every year plus ~6 random campaigns of 3-7 days a year."""
    promo = (day_of_year >= 327) & (day_of_year <= 333)
    for _ in range(int(len(days) / 365 * 6)):
        first = int(rng.integers(0, len(days)))
        promo[first : first + int(rng.integers(3, 8))] = True
    return promo


def orders_per_day(rng: np.random.Generator, calendar: Calendar, orders: int) -> np.ndarray:
    """Split exactly `orders` orders over the days in proportion to their weight."""
    return rng.multinomial(orders, calendar.weight / calendar.weight.sum())
