"""The daily rollups follow every write exactly, in the same transaction (SPEC §8).

Expected rows are worked out by hand from the shop in conftest.py:
CAR (Classic Cars) 100.00, BIKE (Motorcycles) 50.00; Acme is in France, Bolt in the USA.
"""

from datetime import date

import pytest
from sqlalchemy import select, text, update

from dashapp.analytics.kpis import kpis
from dashapp.filters import Filters
from dashapp.importer import import_csv
from dashapp.importer.options import ReadOptions
from dashapp.orders import (
    LineDraft,
    OrderDraft,
    ValidationError,
    create_order,
    delete_order,
    set_status,
    update_order,
)
from dashapp.store import rollups
from dashapp.store.migrate import upgrade
from dashapp.store.models import (
    RollupDayCategoryCountry,
    RollupDayCategoryCustomer,
    RollupDayCountry,
    RollupDayCustomer,
    RollupDayProduct,
)
from tests.accounts import staff
from tests.cli_runner import run_cli
from tests.databases import migrated_engine
from tests.shop import seed_shop
from tests.store.test_finance_rollups import FINANCE

DAY = date(2024, 3, 5)


def _order(engine, *lines, customer=1, day="2024-03-05"):
    draft = OrderDraft(customer, [LineDraft(sku, qty) for sku, qty in lines], day)
    return create_order(engine, draft, staff("alice"))


# The returns, discounts and costs columns (migration 0020, FINANCE) stay zero in this shop (no
# return, no discount, no product cost); tests/store/test_finance_rollups.py works them out by
# hand.


def _rows(engine, model) -> list[tuple]:
    table = model.__table__
    columns = [c for c in table.c if c.name not in FINANCE]
    with engine.connect() as conn:
        rows = conn.execute(select(*columns).order_by(*table.primary_key))
        return [tuple(r) for r in rows]


def _check(engine) -> list:
    with engine.connect() as conn:
        return rollups.check(conn)


def test_a_new_order_adds_one_row_per_key(shop):
    # 2 CAR (200.00) + 1 BIKE (50.00) for Acme in France.
    _order(shop, ("CAR", 2), ("BIKE", 1))
    # day x country: one order, whatever its lines.
    assert _rows(shop, RollupDayCountry) == [(DAY, "France", 25000, 3, 1, 1, 0)]
    # day x category x country: the order counts once in each category.
    assert _rows(shop, RollupDayCategoryCountry) == [
        (DAY, "Classic Cars", "France", 20000, 2, 1, 1, 0),
        (DAY, "Motorcycles", "France", 5000, 1, 1, 1, 0),
    ]
    assert _rows(shop, RollupDayProduct) == [
        (DAY, 1, "Classic Cars", 20000, 2, 1, 1),
        (DAY, 2, "Motorcycles", 5000, 1, 1, 1),
    ]
    assert _rows(shop, RollupDayCustomer) == [(DAY, 1, "France", 25000, 3, 1, 1)]
    assert _rows(shop, RollupDayCategoryCustomer) == [
        (DAY, "Classic Cars", 1, "France", 20000, 2, 1, 1),
        (DAY, "Motorcycles", 1, "France", 5000, 1, 1, 1),
    ]
    assert _check(shop) == []


def test_two_orders_of_one_day_add_up(shop):
    _order(shop, ("CAR", 1))
    _order(shop, ("CAR", 1), ("BIKE", 2))
    assert _rows(shop, RollupDayCountry) == [(DAY, "France", 30000, 4, 2, 2, 0)]
    assert _rows(shop, RollupDayCategoryCountry) == [
        (DAY, "Classic Cars", "France", 20000, 2, 2, 2, 0),
        (DAY, "Motorcycles", "France", 10000, 2, 1, 1, 0),
    ]
    assert _rows(shop, RollupDayCustomer) == [(DAY, 1, "France", 30000, 4, 2, 2)]


def test_cancel_uncancel_edit_and_delete_keep_rollups_exact(shop):
    saved = _order(shop, ("CAR", 2), ("BIKE", 1))
    set_status(shop, saved.id, "Cancelled", staff("bob"))
    # Cancelled: no revenue, units or orders, but still one order of all, one cancelled.
    assert _rows(shop, RollupDayCountry) == [(DAY, "France", 0, 0, 0, 1, 1)]
    assert _rows(shop, RollupDayCustomer) == [(DAY, 1, "France", 0, 0, 0, 1)]
    assert _check(shop) == []
    set_status(shop, saved.id, "Shipped", staff("bob"))
    assert _rows(shop, RollupDayCountry) == [(DAY, "France", 25000, 3, 1, 1, 0)]
    # Edit: the order moves to Bolt (USA) on another day with one BIKE.
    update_order(
        shop,
        saved.id,
        OrderDraft(2, [LineDraft("BIKE", 1)], "2024-03-07", status="Shipped"),
        staff("b"),
    )
    assert _rows(shop, RollupDayCountry) == [(date(2024, 3, 7), "USA", 5000, 1, 1, 1, 0)]
    assert _rows(shop, RollupDayCategoryCountry) == [
        (date(2024, 3, 7), "Motorcycles", "USA", 5000, 1, 1, 1, 0)
    ]
    assert _rows(shop, RollupDayProduct) == [(date(2024, 3, 7), 2, "Motorcycles", 5000, 1, 1, 1)]
    assert _check(shop) == []
    delete_order(shop, saved.id, staff("bob"))
    for model in (
        RollupDayCountry,
        RollupDayCategoryCountry,
        RollupDayProduct,
        RollupDayCustomer,
        RollupDayCategoryCustomer,
    ):
        assert _rows(shop, model) == []
    assert _check(shop) == []


def test_a_refused_order_leaves_the_rollups_alone(shop):
    _order(shop, ("CAR", 1))
    before = _rows(shop, RollupDayCountry)
    with pytest.raises(ValidationError):
        _order(shop, ("BIKE", 4))  # only 3 in stock
    with pytest.raises(ValidationError):
        _order(shop, ("CAR", -1))
    assert _rows(shop, RollupDayCountry) == before == [(DAY, "France", 10000, 1, 1, 1, 0)]
    assert _check(shop) == []


def test_kpis_from_rollups_follow_writes(shop):
    _order(shop, ("CAR", 2), ("BIKE", 1))  # Acme 250.00
    bolt = _order(shop, ("BIKE", 2), customer=2)  # Bolt 100.00
    with shop.connect() as conn:
        k = kpis(conn, Filters(start=DAY, end=DAY))
        cars = kpis(conn, Filters(start=DAY, end=DAY, categories=("Classic Cars",)))
    assert (k.revenue_cents, k.orders, k.customers, k.units) == (35000, 2, 2, 5)
    assert (cars.revenue_cents, cars.orders, cars.customers, cars.units) == (20000, 1, 1, 2)
    set_status(shop, bolt.id, "Cancelled", staff("bob"))
    with shop.connect() as conn:
        k = kpis(conn, Filters(start=DAY, end=DAY))
    assert (k.revenue_cents, k.orders, k.customers, k.all_orders, k.cancelled_orders) == (
        25000,
        1,
        1,
        2,
        1,
    )


def test_an_import_adds_its_orders_and_a_reimport_adds_nothing(shop, tmp_path):
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "ORDERNUMBER,ORDERLINENUMBER,ORDERDATE,STATUS,CUSTOMERNAME,COUNTRY,PRODUCTCODE,"
        "PRODUCTLINE,QUANTITYORDERED,PRICEEACH,SALES\n"
        "9001,1,3/5/2024 0:00,Shipped,Acme,France,CAR,Classic Cars,1,100.00,100.00\n"
        "9001,2,3/5/2024 0:00,Shipped,Acme,France,CAR,Classic Cars,2,90.00,180.00\n"
        "9002,1,3/5/2024 0:00,Cancelled,Bolt,USA,BIKE,Motorcycles,1,50.00,50.00\n",
        encoding="utf-8",
    )
    # 3/5/2024 could be 3 May or 5 March: the import asks, and the answer is March 5.
    import_csv(shop, csv, options=ReadOptions(date_format="mm/dd/yyyy"))
    import_csv(shop, csv, options=ReadOptions(date_format="mm/dd/yyyy"))
    assert _rows(shop, RollupDayCountry) == [
        (DAY, "France", 28000, 3, 1, 1, 0),
        (DAY, "USA", 0, 0, 0, 1, 1),
    ]
    assert _check(shop) == []


def test_check_finds_a_tampered_rollup_and_rebuild_repairs_it(shop):
    _order(shop, ("CAR", 1))
    _order(shop, ("BIKE", 1), customer=2)
    with shop.begin() as conn:
        table = RollupDayCountry.__table__
        conn.execute(update(table).where(table.c.country == "USA").values(revenue_cents=1))
        conn.execute(text("DELETE FROM rollup_day_product WHERE product_id = 1"))
    problems = {p.table: (p.missing_or_wrong, p.extra_or_wrong) for p in _check(shop)}
    assert problems == {"rollup_day_country": (1, 1), "rollup_day_product": (1, 0)}
    result = run_cli(shop, "rebuild-rollups", "--check")
    assert result.exit_code == 1
    assert "rollup_day_country: 1 row(s) missing or different" in result.output
    result = run_cli(shop, "rebuild-rollups")
    assert result.exit_code == 0, result.output
    assert "rollup_day_country" in result.output
    assert _check(shop) == []
    assert run_cli(shop, "rebuild-rollups", "--check").output.strip() == "Rollups match the orders."


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_migration_fills_rollups_for_existing_orders(kind, tmp_path):
    with migrated_engine(kind, tmp_path) as engine:
        with engine.begin() as conn:
            for name in rollups.TABLE_NAMES:
                conn.execute(text(f"DROP TABLE {name}"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0004'"))
        seed_shop(engine)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO orders (id, order_number, customer_id, ordered_at, order_date,"
                    " status, country, promo, total_cents) VALUES"
                    " (1, 'X1', 2, '2024-03-05 10:00:00', '2024-03-05', 'Shipped', 'USA',"
                    " false, 15000)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO order_lines (order_id, line_number, product_id, quantity,"
                    " unit_price_cents, discount_bp, amount_cents, order_date, status,"
                    " customer_id, country, category) VALUES"
                    " (1, 1, 2, 3, 5000, 0, 15000, '2024-03-05', 'Shipped', 2, 'USA',"
                    " 'Motorcycles')"
                )
            )
        upgrade(engine)
        assert _rows(engine, RollupDayCountry) == [(DAY, "USA", 15000, 3, 1, 1, 0)]
        assert _check(engine) == []


# --- Customer activity chains (dashapp.store.reach) ---------------------------------------------
NONE = date(1, 1, 1)  # models.NO_PREVIOUS_DAY, written out: a first active day has no previous


def _chains(engine, model, country=""):
    """The rows of one country's chains (ANY = "": any country), without the country column."""
    return [r[:1] + r[2:] for r in _rows(engine, model) if r[1] == country]


def test_activity_chains_follow_orders_cancels_and_moves(shop):
    from dashapp.store.models import RollupCustomerDays as Days
    from dashapp.store.models import RollupCustomerReach as Reach

    # Acme (1, France) buys cars on Tue 5 and Thu 7 March and a bike on Mon 11 March 2024;
    # Bolt (2, USA) buys a car on 7 March.
    _order(shop, ("CAR", 1), day="2024-03-05")
    thursday = _order(shop, ("CAR", 1), day="2024-03-07")
    _order(shop, ("BIKE", 1), day="2024-03-11")
    _order(shop, ("CAR", 1), customer=2, day="2024-03-07")
    d5, d7, d11 = date(2024, 3, 5), date(2024, 3, 7), date(2024, 3, 11)
    # (category, day, previous active day, customers) of any country; any category is "".
    assert _chains(shop, Days) == [
        ("", d5, NONE, 1),  # Acme's first day
        ("", d7, NONE, 1),  # Bolt's first day
        ("", d7, d5, 1),  # Acme again
        ("", d11, d7, 1),
        ("Classic Cars", d5, NONE, 1),
        ("Classic Cars", d7, NONE, 1),
        ("Classic Cars", d7, d5, 1),
        ("Motorcycles", d11, NONE, 1),
    ]
    assert _chains(shop, Days, "USA") == [("", d7, NONE, 1), ("Classic Cars", d7, NONE, 1)]
    assert _chains(shop, Days, "France") == [
        ("", d5, NONE, 1),
        ("", d7, d5, 1),
        ("", d11, d7, 1),
        ("Classic Cars", d5, NONE, 1),
        ("Classic Cars", d7, d5, 1),
        ("Motorcycles", d11, NONE, 1),
    ]
    # Per day: active, first in its week (Mon 4 / Mon 11 March), month, quarter, year.
    assert _chains(shop, Reach) == [
        ("", d5, 1, 1, 1, 1, 1),
        ("", d7, 2, 1, 1, 1, 1),  # Acme was already active that week and month
        ("", d11, 1, 1, 0, 0, 0),  # a new week for Acme, the same month
        ("Classic Cars", d5, 1, 1, 1, 1, 1),
        ("Classic Cars", d7, 2, 1, 1, 1, 1),
        ("Motorcycles", d11, 1, 1, 1, 1, 1),
    ]
    # Customers in [6 March, 11 March]: Acme and Bolt; 8-11 March: Acme; cars from the 7th:
    # both, of whom one in France.
    with shop.connect() as conn:
        assert kpis(conn, Filters(start=date(2024, 3, 6), end=d11)).customers == 2
        assert kpis(conn, Filters(start=date(2024, 3, 8), end=d11)).customers == 1
        assert kpis(conn, Filters(start=d7, categories=("Classic Cars",))).customers == 2
        cars_in_france = Filters(start=d7, categories=("Classic Cars",), countries=("France",))
        assert kpis(conn, cars_in_france).customers == 1

    # Cancelling Acme's Thursday order takes that day out of its chains.
    set_status(shop, thursday.id, "Cancelled", staff("bob"))
    assert _chains(shop, Days) == [
        ("", d5, NONE, 1),
        ("", d7, NONE, 1),
        ("", d11, d5, 1),
        ("Classic Cars", d5, NONE, 1),
        ("Classic Cars", d7, NONE, 1),
        ("Motorcycles", d11, NONE, 1),
    ]
    assert _chains(shop, Reach) == [
        ("", d5, 1, 1, 1, 1, 1),
        ("", d7, 1, 1, 1, 1, 1),
        ("", d11, 1, 1, 0, 0, 0),
        ("Classic Cars", d5, 1, 1, 1, 1, 1),
        ("Classic Cars", d7, 1, 1, 1, 1, 1),
        ("Motorcycles", d11, 1, 1, 1, 1, 1),
    ]
    # Moving it, un-cancelled, to Bolt on 11 March changes Bolt's chain and leaves Acme's.
    update_order(
        shop,
        thursday.id,
        OrderDraft(2, [LineDraft("CAR", 1)], "2024-03-11", status="Shipped"),
        staff("b"),
    )
    assert _chains(shop, Days) == [
        ("", d5, NONE, 1),
        ("", d7, NONE, 1),
        ("", d11, d5, 1),
        ("", d11, d7, 1),
        ("Classic Cars", d5, NONE, 1),
        ("Classic Cars", d7, NONE, 1),
        ("Classic Cars", d11, d7, 1),
        ("Motorcycles", d11, NONE, 1),
    ]
    assert _chains(shop, Days, "USA") == [
        ("", d7, NONE, 1),
        ("", d11, d7, 1),
        ("Classic Cars", d7, NONE, 1),
        ("Classic Cars", d11, d7, 1),
    ]
    assert _check(shop) == []


def test_rebuild_and_check_cover_the_activity_chains(shop):
    from dashapp.store.models import RollupCustomerDays

    _order(shop, ("CAR", 1), day="2024-03-05")
    _order(shop, ("CAR", 1), day="2024-03-07")
    with shop.begin() as conn:
        conn.execute(update(RollupCustomerDays.__table__).values(customers=5))
    with shop.connect() as conn:
        found = {m.table for m in rollups.check(conn)}
    assert found == {"rollup_customer_days", "rollup_customer_reach"}
    with shop.begin() as conn:
        rollups.rebuild(conn)
    assert _check(shop) == []
    assert ("", date(2024, 3, 7), date(2024, 3, 5), 1) in _chains(shop, RollupCustomerDays)


def test_customers_per_country_count_orders_without_a_country(shop):
    from dataclasses import replace

    from dashapp.analytics.breakdowns import sales_by_country
    from dashapp.store.models import ORDER_STATUSES, Customer

    # A customer with no country on file: her orders have none either (shown as "Unknown").
    with shop.begin() as conn:
        conn.execute(Customer.__table__.insert().values(id=9, name="Nowhere", active=True))
    _order(shop, ("CAR", 1), customer=9)
    _order(shop, ("CAR", 1), customer=9, day="2024-03-06")
    _order(shop, ("BIKE", 1))  # Acme, France
    f = Filters(start=DAY)
    with shop.connect() as conn:
        fast = sales_by_country(conn, f)
        slow = sales_by_country(conn, replace(f, statuses=ORDER_STATUSES))  # the lines path
    rows = [tuple(r) for r in fast[["country", "revenue_cents", "orders", "customers"]].values]
    assert rows == [("Unknown", 20000, 2, 1), ("France", 5000, 1, 1)]
    assert fast.equals(slow)


def test_chain_firsts_count_new_customers_of_a_category_or_country(shop):
    from dashapp.store.models import RollupCustomerFirsts as Firsts

    # Acme (1, France): a car on Tue 5 and a bike on Mon 11 March 2024.
    # Bolt (2, USA): a bike on Thu 7 and a car on Tue 12 March.
    _order(shop, ("CAR", 1), day="2024-03-05")
    _order(shop, ("BIKE", 1), day="2024-03-11")
    bolts_bike = _order(shop, ("BIKE", 1), customer=2, day="2024-03-07")
    _order(shop, ("CAR", 1), customer=2, day="2024-03-12")
    d5, d6, d7, d8 = (date(2024, 3, d) for d in (5, 6, 7, 8))
    d11, d12 = date(2024, 3, 11), date(2024, 3, 12)
    # (category, first day of all, first day in the chain, customers), any country.
    assert _chains(shop, Firsts) == [
        ("", d5, d5, 1),
        ("", d7, d7, 1),
        ("Classic Cars", d5, d5, 1),
        ("Classic Cars", d7, d12, 1),  # Bolt's first car came after his first order
        ("Motorcycles", d5, d11, 1),
        ("Motorcycles", d7, d7, 1),
    ]
    assert _chains(shop, Firsts, "USA") == [
        ("", d7, d7, 1),
        ("Classic Cars", d7, d12, 1),
        ("Motorcycles", d7, d7, 1),
    ]
    with shop.connect() as conn:
        # Bikes, 6-11 March: Bolt (first order on the 7th) and Acme (first on the 5th).
        bikes = kpis(conn, Filters(start=d6, end=d11, categories=("Motorcycles",)))
        assert (bikes.customers, bikes.new_customers) == (2, 1)
        cars_usa = Filters(start=d6, end=d12, categories=("Classic Cars",), countries=("USA",))
        assert (kpis(conn, cars_usa).customers, kpis(conn, cars_usa).new_customers) == (1, 1)
        cars_usa_from_8 = Filters(
            start=d8, end=d12, categories=("Classic Cars",), countries=("USA",)
        )
        assert kpis(conn, cars_usa_from_8).new_customers == 0  # Bolt first bought on the 7th

    # Cancelling Bolt's bike makes the 12th his first day of all, and ends his bike chain.
    set_status(shop, bolts_bike.id, "Cancelled", staff("bob"))
    assert _chains(shop, Firsts, "USA") == [("", d12, d12, 1), ("Classic Cars", d12, d12, 1)]
    assert ("Motorcycles", d7, d7, 1) not in _chains(shop, Firsts)
    with shop.connect() as conn:
        assert kpis(conn, cars_usa_from_8).new_customers == 1
    assert _check(shop) == []

    # The check and the rebuild cover the table.
    with shop.begin() as conn:
        conn.execute(update(Firsts.__table__).values(customers=3))
    with shop.connect() as conn:
        assert {m.table for m in rollups.check(conn)} == {"rollup_customer_firsts"}
    with shop.begin() as conn:
        rollups.rebuild(conn)
    assert _check(shop) == []
