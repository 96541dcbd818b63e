"""The store: constraints hold in the database itself, and derived columns are recomputed."""

from datetime import date, datetime

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from dashapp.store.db import make_engine, write_transaction
from dashapp.store.derived import refresh_first_order_dates
from dashapp.store.models import Customer, Order, OrderLine, Product
from tests.databases import postgres_database
from tests.seeding import order_rows
from tests.tiny import seed_tiny


def _line(**overrides):
    """A ninth line for tiny order 1 as the write path fills it (tests.seeding): 1 x product 1
    (Classic Cars) at 1.00 on 10 January 2024, Shipped, customer 1 in France."""
    lines = [(1, "Classic Cars", 1, 100, 0, 100)]
    _order, [line] = order_rows(1, "O1", 1, date(2024, 1, 10), "Shipped", "France", lines)
    return {**line, "line_number": 9, **overrides}


@pytest.mark.parametrize(
    "overrides",
    [
        {"quantity": 0},
        {"quantity": -3},
        {"unit_price_cents": -1},
        {"discount_bp": 10001},
        {"status": "Lost"},
        {"product_id": 999},  # foreign key
        {"line_number": 1},  # duplicate (order, line number)
    ],
)
def test_database_refuses_bad_lines(engine, overrides):
    seed_tiny(engine)
    with pytest.raises(IntegrityError), write_transaction(engine) as conn:
        conn.execute(insert(OrderLine), _line(**overrides))
    with engine.connect() as conn:
        assert conn.execute(select(OrderLine.id).where(OrderLine.line_number == 9)).all() == []


def test_unique_sku_and_email(engine):
    seed_tiny(engine)
    with pytest.raises(IntegrityError), write_transaction(engine) as conn:
        conn.execute(insert(Product), dict(sku="CAR", name="x", category="c", list_price_cents=1))
    with write_transaction(engine) as conn:
        conn.execute(insert(Customer), dict(name="A", email="a@example.com"))
    with pytest.raises(IntegrityError), write_transaction(engine) as conn:
        conn.execute(insert(Customer), dict(name="B", email="a@example.com"))


def test_failed_transaction_leaves_nothing_behind(engine):
    seed_tiny(engine)
    with pytest.raises(IntegrityError), write_transaction(engine) as conn:
        conn.execute(
            insert(Order),
            dict(
                order_number="NEW",
                customer_id=1,
                ordered_at=datetime(2024, 3, 1),
                order_date=date(2024, 3, 1),
                status="Shipped",
            ),
        )
        conn.execute(insert(OrderLine), _line(quantity=0))
    with engine.connect() as conn:
        assert conn.execute(select(Order.id).where(Order.order_number == "NEW")).all() == []


def test_first_order_dates_follow_cancellations(engine):
    seed_tiny(engine)
    with write_transaction(engine) as conn:
        # Cancel Acme's first order (O6, 2023-01-12): its first order becomes O1, 2024-01-10.
        conn.execute(update(Order).where(Order.order_number == "O6").values(status="Cancelled"))
        refresh_first_order_dates(conn, [1])
    with engine.connect() as conn:
        got = dict(conn.execute(select(Customer.name, Customer.first_order_date)).all())
    assert got["Acme"] == date(2024, 1, 10)
    assert got["Cogs"] is None


def test_migrations_build_exactly_the_models(engine):
    """The Alembic chain and the SQLAlchemy models describe the same schema (tables, columns,
    indexes), so code and database never disagree after an upgrade."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from dashapp.store.models import Base

    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_postgresql_connections_run_without_jit():
    # JIT compiling cost more than running the app's short queries (380 ms of a 980 ms count
    # at 10M orders); the server's default is on. A URL that sets its own options keeps them.
    with postgres_database() as url:
        for given, expected in ((url, "off"), (f"{url}?options=-c%20jit%3Don", "on")):
            engine = make_engine(given)
            try:
                with engine.connect() as conn:
                    assert conn.exec_driver_sql("SHOW jit").scalar_one() == expected
            finally:
                engine.dispose()
