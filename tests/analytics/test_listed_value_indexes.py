"""The filter panel's lists of stored values read an index of the rows that have a value
(migration 0025), never every order or line: on demo data, which has no ship-to geography,
segment or ship mode, a list is an empty index, not a walk over 1M orders (issue 17). The
values themselves are checked in test_dimension_filters.py."""

import pytest

from dashapp.analytics.dimensions import listed_statement
from tests.databases import seeded_engine
from tests.geo_shop import seed_geo_shop

INDEXES = {
    "region": "ix_orders_ship_region",
    "state": "ix_orders_ship_state",
    "city": "ix_orders_ship_city",
    "segment": "ix_orders_segment",
    "ship_mode": "ix_lines_ship_mode",
}


@pytest.fixture(scope="module")
def geo(tmp_path_factory):
    with seeded_engine("sqlite", tmp_path_factory.mktemp("listed"), seed_geo_shop) as engine:
        yield engine


@pytest.mark.parametrize("dimension", sorted(INDEXES))
def test_each_list_reads_its_partial_index_not_the_table(geo, dimension):
    compiled = listed_statement(dimension).compile(geo)
    params = tuple(compiled.params[k] for k in compiled.positiontup)
    with geo.connect() as conn:
        plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)]
    assert any(f"COVERING INDEX {INDEXES[dimension]}" in step for step in plan), plan
    assert not any(step.startswith("SCAN") for step in plan), plan
