"""The demo product catalogue: scale models in seven product lines, sized to the order count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# (name, SKU prefix, list price range in dollars, share of demand)
CATEGORIES: tuple[tuple[str, str, tuple[int, int], float], ...] = (
    ("Classic Cars", "CC", (40, 220), 0.34),
    ("Vintage Cars", "VC", (25, 170), 0.20),
    ("Motorcycles", "MC", (30, 120), 0.12),
    ("Trucks and Buses", "TB", (30, 140), 0.10),
    ("Planes", "PL", (30, 120), 0.11),
    ("Ships", "SH", (25, 110), 0.08),
    ("Trains", "TR", (20, 100), 0.05),
)
CATEGORY_NAMES = tuple(c[0] for c in CATEGORIES)

_MAKES = {
    "Classic Cars": ("Ferrari", "Porsche", "Jaguar", "Mercedes-Benz", "Chevrolet", "Alfa Romeo"),
    "Vintage Cars": ("Bugatti", "Ford", "Duesenberg", "Packard", "Rolls-Royce", "Bentley"),
    "Motorcycles": ("Harley Davidson", "Ducati", "Triumph", "BMW", "Moto Guzzi", "Indian"),
    "Trucks and Buses": ("Mack", "Volvo", "Scania", "Greyhound", "Peterbilt", "Dodge"),
    "Planes": ("Spitfire", "Boeing", "Lockheed", "Douglas", "Curtiss", "Messerschmitt"),
    "Ships": ("Clipper", "Schooner", "Frigate", "Galleon", "Steamer", "Cutter"),
    "Trains": ("Pacific", "Mallard", "Big Boy", "Union", "Orient", "Royal Scot"),
}
_MODELS = ("Series I", "Series II", "Custom", "Deluxe", "Sport", "Special", "Royale", "Classic")
_SCALES = ("1:10", "1:12", "1:18", "1:24", "1:32", "1:50", "1:72", "1:700")


@dataclass(frozen=True)
class Catalog:
    """Products as parallel arrays; index i is product id i + 1."""

    sku: np.ndarray  # object (str)
    name: np.ndarray  # object (str)
    category: np.ndarray  # int codes into CATEGORY_NAMES
    scale: np.ndarray  # object (str)
    price_cents: np.ndarray  # int64
    cost_cents: np.ndarray  # int64
    msrp_cents: np.ndarray  # int64
    popularity: np.ndarray  # float64, sums to 1
    lead_time_days: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.sku)


def product_count(orders: int) -> int:
    """About 100 products for small data sets, growing to 10k at 1M orders and beyond."""
    return int(np.clip(orders // 100, 100, 10_000))


def sku_of(category: int, number: int) -> str:
    """The SKU of the `number`-th product (from 0) of a category, e.g. 'CC-0001'."""
    return f"{CATEGORIES[category][1]}-{number + 1:04d}"


def hero_product(rng: np.random.Generator) -> tuple[int, int]:
    """A best-seller (category, number) that exists whatever the catalogue size."""
    return int(rng.integers(0, 3)), int(rng.integers(0, 5))


def make_catalog(rng: np.random.Generator, count: int, hero: tuple[int, int]) -> Catalog:
    """`count` products spread over the categories by their share of demand."""
    shares = np.array([c[3] for c in CATEGORIES])
    per_cat = np.maximum(np.floor(shares * count).astype(int), 8)
    per_cat[0] += count - per_cat.sum()
    category = np.repeat(np.arange(len(CATEGORIES)), per_cat)
    number = np.concatenate([np.arange(n) for n in per_cat])
    n = len(category)

    lo = np.array([CATEGORIES[c][2][0] for c in category], dtype=float)
    hi = np.array([CATEGORIES[c][2][1] for c in category], dtype=float)
    # Prices cluster at the cheap end of each range, as in a real catalogue.
    dollars = lo + (hi - lo) * rng.beta(1.6, 3.0, n)
    price = np.round(dollars * 100).astype(np.int64)
    cost = np.round(price * rng.uniform(0.45, 0.65, n)).astype(np.int64)
    msrp = np.round(price * rng.uniform(1.6, 2.1, n) / 100).astype(np.int64) * 100

    # Within a category, demand follows a long tail (a few hits, many slow movers).
    within = rng.pareto(1.3, n) + 0.05
    popularity = np.empty(n)
    for c in range(len(CATEGORIES)):
        mask = category == c
        popularity[mask] = shares[c] * within[mask] / within[mask].sum()
    hero_index = int(np.flatnonzero((category == hero[0]) & (number == hero[1]))[0])
    popularity[hero_index] = max(popularity.max(), 0.03)
    popularity /= popularity.sum()

    makes = [_MAKES[CATEGORY_NAMES[c]] for c in category]
    years = rng.integers(1904, 2004, n)
    make_pick = rng.integers(0, 6, n)
    model_pick = rng.integers(0, len(_MODELS), n)
    scale = np.array(_SCALES, dtype=object)[rng.integers(0, len(_SCALES), n)]
    name = np.array(
        [
            f"{y} {m[k]} {_MODELS[j]}"
            for y, m, k, j in zip(
                years.tolist(), makes, make_pick.tolist(), model_pick.tolist(), strict=True
            )
        ],
        dtype=object,
    )
    sku = np.array(
        [sku_of(c, k) for c, k in zip(category.tolist(), number.tolist(), strict=True)],
        dtype=object,
    )
    return Catalog(
        sku=sku,
        name=name,
        category=category,
        scale=scale,
        price_cents=price,
        cost_cents=cost,
        msrp_cents=msrp,
        popularity=popularity,
        lead_time_days=rng.choice(np.array([5, 7, 10, 14, 21, 30]), n),
    )
