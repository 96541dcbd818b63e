"""Stock levels for the demo catalogue, from each product's recent sales velocity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashapp.demo.catalog import Catalog
from dashapp.demo.orders import STATUSES, Lines, Orders

VELOCITY_DAYS = 30
SAFETY_DAYS = 7
_CANCELLED = STATUSES.index("Cancelled")


@dataclass(frozen=True)
class Stock:
    """Per product: units on hand and the reorder point. `urgent` are the nearly sold-out ones."""

    on_hand: np.ndarray
    reorder_point: np.ndarray
    urgent: np.ndarray  # product indices with less than a week of cover


def stock_levels(
    rng: np.random.Generator, catalog: Catalog, orders: Orders, lines: Lines, n_days: int
) -> Stock:
    """Most products hold 2-16 weeks of cover; a few best-sellers are down to days."""
    recent = (orders.day[lines.order] >= n_days - VELOCITY_DAYS) & (
        orders.status[lines.order] != _CANCELLED
    )
    units = np.bincount(
        lines.product[recent], weights=lines.quantity[recent], minlength=len(catalog)
    )
    velocity = units / VELOCITY_DAYS  # units per day
    cover_days = rng.uniform(14, 112, len(catalog))
    on_hand = np.floor(velocity * cover_days).astype(np.int64)
    # Slow movers still sit on some stock.
    on_hand = np.where(velocity == 0, rng.integers(3, 60, len(catalog)), on_hand)
    reorder_point = np.ceil(velocity * (catalog.lead_time_days + SAFETY_DAYS)).astype(np.int64)

    selling = np.flatnonzero(velocity > 0)
    urgent_count = min(len(selling), max(3, len(catalog) // 100))
    best = selling[np.argsort(-velocity[selling], kind="stable")][: max(urgent_count * 4, 20)]
    urgent = np.sort(rng.choice(best, urgent_count, replace=False)) if urgent_count else best[:0]
    # Under a week of sales left (0.5-5 days of cover): the reorder table flags them URGENT.
    on_hand[urgent] = np.floor(velocity[urgent] * rng.uniform(0.5, 5.0, len(urgent)))
    return Stock(on_hand=np.maximum(on_hand, 0), reorder_point=reorder_point, urgent=urgent)
