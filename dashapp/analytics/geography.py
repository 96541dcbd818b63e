"""The geography drill below the country (issue 19 item 2): revenue by the orders' ship-to
region, state or city, and which of those the view drills into.

Inside one country the Overview shows the next level down that splits the view: regions, then
states, then cities, skipping a level with a single value (the sample export's United States
are all "NA"). No rollup is keyed by these columns, so the figures come from the lines of the
view, joined to their orders.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, distinct, func, or_, select

from dashapp.filters import Filters
from dashapp.store.filtering import line_conditions
from dashapp.store.models import CANCELLED, ROLLUP_MODELS, Order, OrderLine

lines = OrderLine.__table__
orders = Order.__table__

# The drill's levels, coarsest first: (the filter dimension, the orders column).
LEVELS = (
    ("region", orders.c.ship_region),
    ("state", orders.c.ship_state),
    ("city", orders.c.ship_city),
)
MAX_PLACES = 30  # bars beyond these are summed up in the caption, not drawn


@dataclass(frozen=True)
class PlaceDrill:
    """The places of one level inside the view's one country, best first."""

    country: str
    level: str  # "region", "state" or "city"
    places: pd.DataFrame  # place, revenue_cents, orders, customers
    found: int  # places before the MAX_PLACES cap


def sales_by_place(conn: Connection, f: Filters, level: str) -> pd.DataFrame:
    """Per place of `level` (orders not cancelled, lines under every filter): revenue_cents,
    orders, customers; largest revenue first, orders without a place left out. An order
    counts in the place it shipped to, so a customer who bought in two states counts in each."""
    column = dict(LEVELS)[level]
    revenue = func.sum(lines.c.amount_cents)
    stmt = (
        select(
            column.label("place"),
            revenue,
            func.count(distinct(lines.c.order_id)),
            func.count(distinct(lines.c.customer_id)),
        )
        .select_from(lines.join(orders, orders.c.id == lines.c.order_id))
        .where(line_conditions(f), lines.c.status != CANCELLED, column.is_not(None), column != "")
        .group_by(column)
        .order_by(revenue.desc(), column)
    )
    rows = conn.execute(stmt).all()
    df = pd.DataFrame(rows, columns=["place", "revenue_cents", "orders", "customers"])
    return df.astype({"revenue_cents": "int64", "orders": "int64", "customers": "int64"})


def place_drill(conn: Connection, f: Filters) -> PlaceDrill | None:
    """The level below the view's deepest chosen place that splits it into two or more places
    (else the last level with any), inside the one country the view selects; None when the
    view is not inside one country or its orders have no place below it."""
    if len(f.countries) != 1:
        return None
    chosen = [i for i, (name, _) in enumerate(LEVELS) if len(f.values(name)) == 1]
    fallback = None
    for name, _ in LEVELS[(max(chosen) + 1 if chosen else 0) :]:
        places = sales_by_place(conn, f, name)
        drill = PlaceDrill(f.countries[0], name, places.head(MAX_PLACES), len(places))
        if len(places) >= 2:
            return drill
        if len(places) == 1 and fallback is None:
            fallback = drill
    return fallback


def places(conn: Connection) -> list[tuple[str, str, str]]:
    """Every stored (region, state, city) of the orders' ship-to ('' where a part is missing),
    sorted: from the monthly rollup by the order's dimensions (a few rows per place and
    month), not a walk over the orders. The header narrows its state and city lists with it."""
    table = ROLLUP_MODELS["rollup_month_orders"].__table__
    columns = (table.c.ship_region, table.c.ship_state, table.c.ship_city)
    stmt = select(*columns).where(or_(*(c != "" for c in columns))).distinct().order_by(*columns)
    return [tuple(r) for r in conn.execute(stmt)]


def narrowed(
    found: list[tuple[str, str, str]], level: str, regions: tuple = (), states: tuple = ()
) -> list[str]:
    """The states (level "state") inside the chosen regions, or the cities (level "city")
    inside the chosen regions and states, of `found` (`places`); every one when none is
    chosen. A state or city is kept if any of its places lies inside the choice."""
    position = {"state": 1, "city": 2}[level]
    kept = {
        place[position]
        for place in found
        if (not regions or place[0] in regions)
        and (level == "state" or not states or place[1] in states)
    }
    return sorted(kept - {""})
