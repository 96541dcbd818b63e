"""Filters on region, state, city, segment, sub-category and ship mode (issue 19 item 2) on the
geo shop (tests/geo_shop.py), both backends; every expected figure is worked out by hand there.

No rollup is keyed by these dimensions, so the planner answers from the lines: the figures here
also check that no surface answers from a rollup that would drop the filter.
"""

from decimal import Decimal

import pytest
from sqlalchemy import update

from dashapp.analytics.breakdowns import sales_by_category, sales_by_country, top_products
from dashapp.analytics.kpis import kpis
from dashapp.analytics.pivot import pivot
from dashapp.filters import Filters
from dashapp.orders.history import export_history_csv, order_history_page
from dashapp.store.models import Order
from tests.conftest import BACKENDS
from tests.databases import seeded_engine
from tests.geo_shop import seed_geo_shop

# filters -> (revenue, orders, customers, units, order numbers in the history)
CASES = {
    # G1 120.00 + G5 30.00 (G4 is cancelled); Acme and Cole; units 1 + 2 + 3.
    "state NY": (Filters(states=("NY",)), "150.00", 2, 2, 6, ["G1", "G4", "G5"]),
    # G2 200.00 + G3 100.00; Acme (who also ordered in NY) and Bolt.
    "state CA": (Filters(states=("CA",)), "300.00", 2, 2, 2, ["G2", "G3"]),
    # Both states: Acme once, not twice: Acme, Bolt, Cole.
    "states NY, CA": (
        Filters(states=("NY", "CA")), "450.00", 4, 3, 8, ["G1", "G2", "G3", "G4", "G5"],
    ),
    "region West": (Filters(regions=("West",)), "300.00", 2, 2, 2, ["G2", "G3"]),
    # G1 only: G4 also ships to New York but is cancelled (in the history, not the figures).
    "city New York": (Filters(cities=("New York",)), "120.00", 1, 1, 3, ["G1", "G4"]),
    # The order's segment: G2 (Acme, whose record says Consumer) and G3; G4 cancelled.
    "segment Corporate": (Filters(segments=("Corporate",)), "300.00", 2, 2, 2, ["G2", "G3", "G4"]),
    "segment Consumer": (Filters(segments=("Consumer",)), "120.00", 1, 1, 3, ["G1"]),
    # CHAIR lines: G1 100.00 + G3 100.00, one unit each.
    "sub-category Chairs": (Filters(subcategories=("Chairs",)), "200.00", 2, 2, 2, ["G1", "G3"]),
    # The lines shipped First: G1's PEN 20.00 + G5's PEN 30.00, units 2 + 3.
    "ship mode First": (Filters(ship_modes=("First",)), "50.00", 2, 2, 5, ["G1", "G5"]),
    # G1's CHAIR 100.00 + G2's DESK 200.00 (G4 cancelled). G1 counts here and in First too.
    "ship mode Standard": (
        Filters(ship_modes=("Standard",)), "300.00", 2, 1, 2, ["G1", "G2", "G4"],
    ),
    # NY and First: G1's PEN 20.00 + G5 30.00.
    "state NY + ship mode First": (
        Filters(states=("NY",), ship_modes=("First",)), "50.00", 2, 2, 5, ["G1", "G5"],
    ),
    # Furniture in CA: G2 200.00 + G3 100.00; a rollup dimension with a line-only one.
    "category + state": (
        Filters(categories=("Furniture",), states=("CA",)), "300.00", 2, 2, 2, ["G2", "G3"],
    ),
    "an unknown state": (Filters(states=("Texas",)), "0.00", 0, 0, 0, []),
}  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def geo(request, tmp_path_factory):
    with seeded_engine(request.param, tmp_path_factory.mktemp("geo"), seed_geo_shop) as engine:
        yield engine


@pytest.mark.parametrize("case", CASES)
def test_kpis_and_order_history_under_a_dimension_filter(geo, case):
    f, revenue, orders, customers, units, numbers = CASES[case]
    with geo.connect() as conn:
        k = kpis(conn, f)
        rows, total = order_history_page(conn, f, page_size=50)
    assert (k.revenue, k.orders, k.customers, k.units) == (
        Decimal(revenue),
        orders,
        customers,
        units,
    )
    assert sorted(r["number"] for r in rows) == numbers
    assert total == len(numbers)


def test_without_filters_the_shop_totals(geo):
    with geo.connect() as conn:
        k = kpis(conn, Filters())
    assert (k.revenue, k.orders, k.customers, k.units) == (Decimal("450.00"), 4, 3, 8)


def test_an_order_with_two_ship_modes_counts_once_in_each_and_its_money_splits(geo):
    # Standard 300.00 (G1, G2) + First 50.00 (G1, G5) + Second 100.00 (G3) = 450.00, the
    # total; orders 2 + 2 + 1 = 5 against 4 in all: G1 counts in Standard and in First.
    with geo.connect() as conn:
        p = pivot(conn, Filters(), "ship_mode", None, "orders")
        money = pivot(conn, Filters(), "ship_mode", None, "revenue")
    assert p.row_totals == {"Standard": 2, "First": 2, "Second": 1}
    assert p.total == 4
    assert {k: Decimal(str(v)) for k, v in money.row_totals.items()} == {
        "Standard": Decimal("300.00"),
        "First": Decimal("50.00"),
        "Second": Decimal("100.00"),
    }


def test_breakdowns_and_the_pivot_under_a_state(geo):
    f = Filters(states=("CA",))
    with geo.connect() as conn:
        categories = sales_by_category(conn, f)
        countries = sales_by_country(conn, f)
        products = top_products(conn, f, limit=5)
        by_city = pivot(conn, f, "city", None, "revenue")
    # Furniture only: G2's DESK 200.00 + G3's CHAIR 100.00.
    assert list(zip(categories["category"], categories["revenue_cents"], strict=True)) == [
        ("Furniture", 30000)
    ]
    assert list(
        countries[["country", "revenue_cents", "orders", "customers"]].itertuples(False)
    ) == [("United States", 30000, 2, 2)]
    assert list(zip(products["sku"], products["revenue_cents"], strict=True)) == [
        ("DESK", 20000),
        ("CHAIR", 10000),
    ]
    assert {k: Decimal(str(v)) for k, v in by_city.row_totals.items()} == {
        "Los Angeles": Decimal("200.00"),
        "San Francisco": Decimal("100.00"),
    }


def test_the_history_export_is_the_filtered_orders(geo):
    with geo.connect() as conn:
        text = "".join(export_history_csv(conn, Filters(cities=("Buffalo",))))
    lines = text.strip().splitlines()
    assert len(lines) == 2 and "G5" in lines[1]  # the header and Cole's order


def test_the_header_lists_the_stored_values_and_nothing_where_there_are_none(geo):
    from dashapp.analytics.dimensions import listed_values

    with geo.connect() as conn:
        listed = {name: listed_values(conn, name) for name in ("region", "state", "city")}
        listed["segment"] = listed_values(conn, "segment")
        listed["subcategory"] = listed_values(conn, "subcategory")
        listed["ship_mode"] = listed_values(conn, "ship_mode")
    assert listed == {
        "region": ["East", "West"],
        "state": ["CA", "NY"],
        "city": ["Buffalo", "Los Angeles", "New York", "San Francisco"],
        "segment": ["Consumer", "Corporate", "Home Office"],
        "subcategory": ["Binders", "Chairs", "Tables"],
        "ship_mode": ["First", "Second", "Standard"],
    }
    # Data without states (the demo's): none listed, so the header hides the field. Rolled back.
    with geo.connect() as conn, conn.begin() as tx:
        conn.execute(update(Order).values(ship_state=None))
        assert listed_values(conn, "state") == []
        tx.rollback()


def test_the_geography_drills_below_the_country_to_the_level_that_splits_it(geo):
    from dashapp.analytics.geography import place_drill

    usa = Filters(countries=("United States",))
    with geo.connect() as conn:
        regions = place_drill(conn, usa)
        # West holds only CA: the drill skips the one state and shows its cities.
        west = place_drill(conn, Filters(countries=usa.countries, regions=("West",)))
        one_city = place_drill(conn, Filters(countries=usa.countries, cities=("Buffalo",)))
        no_country = place_drill(conn, Filters())
    # West: G2 200.00 + G3 100.00 (Acme, Bolt); East: G1 120.00 + G5 30.00 (Acme, Cole).
    assert (regions.country, regions.level, regions.found) == ("United States", "region", 2)
    assert list(regions.places.itertuples(index=False, name=None)) == [
        ("West", 30000, 2, 2),
        ("East", 15000, 2, 2),
    ]
    assert west.level == "city"
    assert list(west.places.itertuples(index=False, name=None)) == [
        ("Los Angeles", 20000, 1, 1),
        ("San Francisco", 10000, 1, 1),
    ]
    assert one_city is None and no_country is None
