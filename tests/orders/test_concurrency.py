"""Twenty people order the last five units at once: exactly five succeed, stock ends at zero."""

import threading

from sqlalchemy import func, insert, select

from dashapp.orders import LineDraft, OrderDraft, ValidationError, create_order
from dashapp.store import rollups
from dashapp.store.db import make_engine
from dashapp.store.models import AuditLog, Customer, Order, OrderLine, Product
from tests.accounts import staff
from tests.shop import stock_of

BUYERS = 20
STOCK = 5


def test_last_units_are_sold_exactly_once(shop):
    with shop.begin() as conn:
        conn.execute(
            insert(Product),
            dict(sku="W", name="Widget", category="Gadgets", list_price_cents=100, stock_on_hand=5),
        )
    url = shop.url.render_as_string(hide_password=False)
    start = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy() -> None:
        # Each buyer has its own engine, so its own connection and transaction.
        engine = make_engine(url)
        try:
            start.wait()
            create_order(engine, OrderDraft(1, [LineDraft("W", 1)]), staff("buyer"))
            result = "ok"
        except ValidationError as exc:
            result = exc.errors[0].message
        except Exception as exc:  # noqa: BLE001 - anything else is a failure of the test
            result = f"crash: {exc!r}"
        finally:
            engine.dispose()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=buy) for _ in range(BUYERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("ok") == STOCK
    assert sorted(set(outcomes) - {"ok"}) == ["Only 0 left of Widget"]
    assert stock_of(shop, "W") == 0
    with shop.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Order)).scalar() == STOCK
        assert conn.execute(select(func.sum(OrderLine.quantity))).scalar() == STOCK
        assert conn.execute(select(func.count()).select_from(AuditLog)).scalar() == STOCK


def test_concurrent_orders_of_different_products_keep_the_rollups_exact(shop):
    # Each buyer takes its own product, so no stock row makes them wait for each other; they
    # all touch the same day's rollup rows (and distinct-customer rows) at once. PostgreSQL
    # once answered some of them with a duplicate key in rollup_customer_reach.
    buyers = 12
    with shop.begin() as conn:
        conn.execute(
            insert(Product),
            [
                dict(sku=f"P{i}", name=f"Part {i}", category=f"Cat {i % 3}", list_price_cents=100)
                | dict(stock_on_hand=5)
                for i in range(buyers)
            ],
        )
        conn.execute(
            insert(Customer), [dict(name=f"Buyer {i}", country="Italy") for i in range(buyers)]
        )
        first_new = conn.execute(select(func.max(Customer.id))).scalar() - buyers + 1
    url = shop.url.render_as_string(hide_password=False)
    start = threading.Barrier(buyers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(i: int) -> None:
        engine = make_engine(url)
        try:
            start.wait()
            # Half are new customers, half share customer 1 (their chains change together).
            customer = first_new + i if i % 2 else 1
            create_order(engine, OrderDraft(customer, [LineDraft(f"P{i}", 2)]), staff("buyer"))
            result = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure fails the test
            result = f"crash: {exc!r}"
        finally:
            engine.dispose()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(buyers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes == ["ok"] * buyers
    with shop.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Order)).scalar() == buyers
        assert rollups.check(conn) == []
