"""The rollups are declared once (dashapp.store.grains); tables and rollups come from there."""

from dashapp.store import grains, rollups
from dashapp.store.models import Base, RollupMonthProduct


def test_every_rollup_of_lines_is_a_declared_grain():
    assert [r.table.name for r in rollups.ROLLUPS] == [g.table_name for g in grains.GRAINS]
    # 19 until issue 19's two monthly tables by the order's own dimensions; with the 3
    # activity tables of reach: 24 rollup tables
    assert len(grains.GRAINS) == 21
    for grain in grains.GRAINS:
        table = Base.metadata.tables[grain.table_name]
        assert [c.name for c in table.primary_key.columns] == list(grain.table_keys)
        assert [c.name for c in table.columns] == [
            *grain.table_keys,
            *(m.name for m in grain.measures),
        ]


def test_daily_grains_come_first_and_coarser_ones_sum_a_daily_one():
    periods = [g.period for g in grains.GRAINS]
    assert periods == sorted(periods, key=lambda p: p != grains.DAY)
    month_product = rollups.BY_TABLE["rollup_month_product"]
    assert month_product.coarser_than.name == "rollup_day_product"
    assert rollups.BY_TABLE["rollup_customer"].coarser_than.name == "rollup_day_customer"
    assert rollups.BY_TABLE["rollup_day_country"].coarser_than is None
    # No daily twin: summed from the per-order levels, as the daily tables are.
    assert rollups.BY_TABLE["rollup_month_orders"].coarser_than is None
    assert grains.from_levels(grains.BY_TABLE["rollup_month_category_orders"])
    assert not grains.from_levels(grains.BY_TABLE["rollup_month_country"])


def test_find_names_the_table_of_a_grain():
    assert grains.find({"product_id", "category"}, grains.MONTH).table_name == (
        RollupMonthProduct.__tablename__
    )
    assert grains.find({"country"}, grains.ALL_TIME) is None
    assert grains.find({"customer_id", "country"}, grains.ALL_TIME).table_name == (
        "rollup_customer"
    )
