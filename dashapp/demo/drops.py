"""Known revenue drops planted in the demo data, so the anomaly detector has something to find.

They depend only on the seed and the end day (not on the order count), so a test can ask for
them without generating anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from dashapp.demo.catalog import CATEGORY_NAMES, hero_product, sku_of
from dashapp.demo.customers import COUNTRY_NAMES

# What is left of a dropped segment's usual business that day: "near zero", not a hole.
KEEP_FRACTION = 0.03
_DROPS_STREAM = 0xD209


@dataclass(frozen=True)
class InjectedDrop:
    """On `day`, revenue of the segment `key` (a SKU, category or country) falls to ~0."""

    scope: str  # "product", "category" or "country", as in alerts.scope
    key: str
    day: date


def drop_rng(seed: int) -> np.random.Generator:
    """The random stream the drops (and the best-seller they hit) are drawn from."""
    return np.random.default_rng([seed, _DROPS_STREAM])


def injected_drops(seed: int, end: date | None = None) -> tuple[InjectedDrop, ...]:
    """The three drops of the demo data for `seed` ending on `end` (default today).

    A best-selling product, a whole category (not the product's) and one of the six largest
    countries each lose their revenue on one weekday of the last year, at least 30 days apart.
    """
    end = end or date.today()
    rng = drop_rng(seed)
    hero_cat, hero_num = hero_product(rng)
    category = int(rng.choice([c for c in range(len(CATEGORY_NAMES)) if c != hero_cat][:4]))
    country = int(rng.integers(0, 6))
    days = _drop_days(rng, end)
    return (
        InjectedDrop("product", sku_of(hero_cat, hero_num), days[0]),
        InjectedDrop("category", CATEGORY_NAMES[category], days[1]),
        InjectedDrop("country", COUNTRY_NAMES[country], days[2]),
    )


def _drop_days(rng: np.random.Generator, end: date) -> list[date]:
    """Three weekdays between 330 and 30 days before `end`, 30+ days apart (clean baselines)."""
    # Slots of 100 days each give the spacing; a weekday inside each slot is picked at random.
    picked = []
    for slot in range(3):
        offset = 330 - slot * 100 - int(rng.integers(0, 70))
        day = end - timedelta(days=offset)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        picked.append(day)
    return picked
