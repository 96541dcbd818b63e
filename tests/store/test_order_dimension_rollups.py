"""The monthly rollups by the order's own dimensions (rollup_month_orders and
rollup_month_category_orders, migration 0026), row by row on a tiny shop with channels,
segments, ship-to geography, discounts and costs, worked out by hand. Filled by the migration's
frozen SQL, by `rollups.rebuild`, by the write path and by the bulk path; then an order moved
to another channel by each write path.

products: 1 CHAIR Furniture, 2 PEN Office. Every order ships in the United States.

  order day         status     channel segment    region state city         lines (qty x price,
                                                                             discount, amount, cost)
  1     2024-03-01  Shipped    Web     Consumer   East   NY    New York     CHAIR 1x100.00 100.00
                                                                             cost 60.00; PEN 2x10.00
                                                                             10 % 18.00 no cost
  2     2024-03-10  Shipped    Store   Corporate  West   CA    Los Angeles  CHAIR 1x100.00 100.00
                                                                             cost 100.00 (profit 0)
  3     2024-03-15  Cancelled  Web     Consumer   East   NY    New York     CHAIR 1x100.00 100.00
                                                                             cost 60.00
  4     2024-04-02  Shipped    Web     (none)     (none) (none) (none)      PEN 3x10.00 30.00
                                                                             no cost
  5     2024-04-20  Shipped    Web     Consumer   East   NY    Buffalo      PEN 1x10.00 10.00
                                                                             cost 4.00

Order 1's PEN discount: 2 x 10.00 - 18.00 = 2.00. A missing segment or ship-to is the key ''.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select, text, update

from dashapp.store import rollups
from dashapp.store.migrate import upgrade
from dashapp.store.models import Base, Order, Product
from tests.seeding import move_id_sequences, order_rows, write_orders

US = "United States"
MAR, APR = date(2024, 3, 1), date(2024, 4, 1)
F, OF = "Furniture", "Office"
PRODUCTS = [(1, "CHAIR", F, 10000), (2, "PEN", OF, 1000)]
# id, day, status, channel, segment, (region, state, city),
# lines [(product, quantity, price, discount bp, amount, cost or None)]
ORDERS = [
    (1, date(2024, 3, 1), "Shipped", "Web", "Consumer", ("East", "NY", "New York"),
     [(1, 1, 10000, 0, 10000, 6000), (2, 2, 1000, 1000, 1800, None)]),
    (2, date(2024, 3, 10), "Shipped", "Store", "Corporate", ("West", "CA", "Los Angeles"),
     [(1, 1, 10000, 0, 10000, 10000)]),
    (3, date(2024, 3, 15), "Cancelled", "Web", "Consumer", ("East", "NY", "New York"),
     [(1, 1, 10000, 0, 10000, 6000)]),
    (4, date(2024, 4, 2), "Shipped", "Web", None, (None, None, None),
     [(2, 3, 1000, 0, 3000, None)]),
    (5, date(2024, 4, 20), "Shipped", "Web", "Consumer", ("East", "NY", "Buffalo"),
     [(2, 1, 1000, 0, 1000, 400)]),
]  # fmt: skip
TABLES = ("rollup_month_orders", "rollup_month_category_orders")

# Measures, in column order: revenue, units, orders (with a line not cancelled), all orders,
# discounts, cost, costed revenue (of the lines with a cost), orders with a costed line.
EXPECTED = {
    # (month, status, channel, segment, country, region, state, city)
    "rollup_month_orders": [
        (MAR, "Cancelled", "Web", "Consumer", US, "East", "NY", "New York", 0, 0, 0, 1, 0, 0, 0, 0),
        # 2: 100.00 at cost 100.00
        (MAR, "Shipped", "Store", "Corporate", US, "West", "CA", "Los Angeles")
        + (10000, 1, 1, 1, 0, 10000, 10000, 1),
        # 1: 100.00 + 18.00, 1 + 2 units, discount 2.00, cost 60.00 on the 100.00 chair only
        (MAR, "Shipped", "Web", "Consumer", US, "East", "NY", "New York")
        + (11800, 3, 1, 1, 200, 6000, 10000, 1),
        (APR, "Shipped", "Web", "", US, "", "", "", 3000, 3, 1, 1, 0, 0, 0, 0),  # 4: no cost
        (APR, "Shipped", "Web", "Consumer", US, "East", "NY", "Buffalo")
        + (1000, 1, 1, 1, 0, 400, 1000, 1),  # 5
    ],
    # (month, category, status, channel, segment, country, region, state)
    "rollup_month_category_orders": [
        (MAR, F, "Cancelled", "Web", "Consumer", US, "East", "NY", 0, 0, 0, 1, 0, 0, 0, 0),  # 3
        (MAR, F, "Shipped", "Store", "Corporate", US, "West", "CA")
        + (10000, 1, 1, 1, 0, 10000, 10000, 1),  # 2
        (MAR, F, "Shipped", "Web", "Consumer", US, "East", "NY")
        + (10000, 1, 1, 1, 0, 6000, 10000, 1),  # 1's chair
        (MAR, OF, "Shipped", "Web", "Consumer", US, "East", "NY")
        + (1800, 2, 1, 1, 200, 0, 0, 0),  # 1's pens: a discount, no cost
        (APR, OF, "Shipped", "Web", "", US, "", "", 3000, 3, 1, 1, 0, 0, 0, 0),  # 4
        (APR, OF, "Shipped", "Web", "Consumer", US, "East", "NY")
        + (1000, 1, 1, 1, 0, 400, 1000, 1),  # 5
    ],
}


def seed_dimension_shop(conn) -> None:
    """The shop above, with plain INSERTs (no rollups)."""
    conn.execute(
        Product.__table__.insert(),
        [
            dict(id=i, sku=s, name=s, category=c, list_price_cents=p, stock_on_hand=10)
            for i, s, c, p in PRODUCTS
        ],
    )
    category = {i: c for i, _, c, _ in PRODUCTS}
    rows = []
    for oid, day, status, channel, segment, (region, state, city), lines in ORDERS:
        order, line_rows = order_rows(
            oid, f"D{oid}", None, day, status, US,
            [(p, category[p], q, price, bp, amount) for p, q, price, bp, amount, _ in lines],
            channel=channel, segment=segment, ship_region=region, ship_state=state,
            ship_city=city,
        )  # fmt: skip
        for row, line in zip(line_rows, lines, strict=True):
            row["cost_cents"] = line[5]
        rows.append((order, line_rows))
    write_orders(conn, rows)


def _rows(conn) -> dict[str, list[tuple]]:
    return {
        name: sorted(tuple(r) for r in conn.execute(select(Base.metadata.tables[name])))
        for name in TABLES
    }


def _fill(engine, how: str) -> None:
    with engine.begin() as conn:
        seed_dimension_shop(conn)
        if how == "rebuild":
            rollups.rebuild(conn)
        elif how == "bulk":
            rollups.add_orders_in_bulk(conn, [1, 2, 3, 4, 5])
        elif how == "write path":
            for order_id in (1, 2, 3, 4, 5):
                rollups.add_orders(conn, [order_id])
    if how == "migration":  # back to 0025 with the orders in place, and up again
        with engine.begin() as conn:
            for name in TABLES:
                conn.execute(text(f"DROP TABLE {name}"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0025'"))
        upgrade(engine)
    move_id_sequences(engine)


@pytest.mark.parametrize("how", ["migration", "rebuild", "write path", "bulk"])
def test_the_tables_hold_the_hand_computed_rows(engine, how):
    _fill(engine, how)
    with engine.connect() as conn:
        got = _rows(conn)
        # (The migration fills these two only: the others stay empty there.)
        assert [p for p in rollups.check(conn) if p.table in TABLES] == []
    for name in TABLES:
        assert got[name] == sorted(EXPECTED[name]), name


def _moved_to_web(rows: list[tuple]) -> list[tuple]:
    """EXPECTED with order 2 on the Web channel: its row is the same but for the channel."""
    return sorted(tuple("Web" if v == "Store" else v for v in r) for r in rows)


@pytest.mark.parametrize("bulk", [False, True])
def test_an_order_moved_to_another_channel_moves_its_row(engine, bulk):
    """The channel is the order's own (order_lines holds no copy): the write paths read it
    with the lines, before and after the change."""
    _fill(engine, "write path")
    orders = Order.__table__
    with engine.begin() as conn:
        if bulk:
            change = rollups.BulkOrderChange(conn, [2])
        else:
            rollups.remove_orders(conn, [2])
        conn.execute(update(orders).where(orders.c.id == 2).values(channel="Web"))
        if bulk:
            change.finish()
        else:
            rollups.add_orders(conn, [2])
        got = _rows(conn)
        assert rollups.check(conn) == []
    for name in TABLES:
        assert got[name] == _moved_to_web(EXPECTED[name]), name


def test_deleting_every_order_empties_the_tables(engine):
    _fill(engine, "write path")
    with engine.begin() as conn:
        rollups.remove_orders(conn, [1, 2, 3, 4, 5])
        conn.execute(delete(Order.__table__))
        assert _rows(conn) == {name: [] for name in TABLES}
