"""Twenty people order the last five units at once: exactly five succeed, stock ends at zero."""

import threading

from sqlalchemy import func, insert, select

from dashapp.orders import LineDraft, OrderDraft, ValidationError, create_order
from dashapp.store.db import make_engine
from dashapp.store.models import AuditLog, Order, OrderLine, Product
from tests.orders.conftest import stock_of

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
            create_order(engine, OrderDraft(1, [LineDraft("W", 1)]), "buyer")
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
