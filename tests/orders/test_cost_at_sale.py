"""An order entered in the app takes each line's cost from the product's cost at the time of
sale (SPEC §2, issue 19 item 1): later changes to the catalog's cost leave it as it was.

The shop (tests/shop.py) with CAR costing 60.00 a unit; BIKE has no cost.
Order 1 (5 March): CAR x2 = 200.00 at cost 2 x 60.00 = 120.00, BIKE x1 = 50.00 without a cost.
Then CAR's cost goes up to 70.00; order 2 (6 March): CAR x1 = 100.00 at cost 70.00.
March: revenue 350.00; cost 190.00 on the costed revenue 300.00: profit 110.00, margin
110 / 300 = 0.3667; cost known for 300.00 of 350.00 sales = 0.8571.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from dashapp.analytics.kpis import kpis
from dashapp.filters import Filters
from dashapp.orders import LineDraft, OrderDraft, create_order, update_order
from dashapp.store.models import OrderLine, Product
from tests.accounts import staff


def _set_car_cost(engine, cents: int) -> None:
    with engine.begin() as conn:
        conn.execute(update(Product).where(Product.sku == "CAR").values(cost_cents=cents))


def test_each_line_keeps_the_cost_at_the_time_of_sale(shop):
    _set_car_cost(shop, 6000)
    first = create_order(
        shop, OrderDraft(1, [LineDraft("CAR", 2), LineDraft("BIKE", 1)], "2024-03-05"), staff("a")
    )
    _set_car_cost(shop, 7000)
    second = create_order(shop, OrderDraft(1, [LineDraft("CAR", 1)], "2024-03-06"), staff("a"))
    with shop.connect() as conn:
        costs = conn.execute(
            select(OrderLine.order_id, OrderLine.line_number, OrderLine.cost_cents).order_by(
                OrderLine.order_id, OrderLine.line_number
            )
        ).all()
        j = kpis(conn, Filters(start=date(2024, 3, 1), end=date(2024, 3, 31))).as_json()
    assert costs == [(first.id, 1, 12000), (first.id, 2, None), (second.id, 1, 7000)]
    assert (j["net_revenue"], j["cost"], j["profit"], j["margin"]) == (350.0, 190.0, 110.0, 0.3667)
    assert j["cost_coverage"] == 0.8571


def test_an_edit_keeps_the_cost_the_order_was_sold_at(shop):
    """Order 1 sold 2 cars at 60.00 each (120.00). CAR now costs 70.00; the order is edited to
    3 cars: 3 x 60.00 = 180.00, not 210.00. The bike still has no cost; a new line of PLANE,
    whose catalog cost is 5.00 today, takes it: 4 x 5.00 = 20.00."""
    _set_car_cost(shop, 6000)
    first = create_order(
        shop, OrderDraft(1, [LineDraft("CAR", 2), LineDraft("BIKE", 1)], "2024-03-05"), staff("a")
    )
    _set_car_cost(shop, 7000)
    with shop.begin() as conn:
        conn.execute(update(Product).where(Product.sku == "PLANE").values(cost_cents=500))
    lines = [LineDraft("CAR", 3), LineDraft("BIKE", 1), LineDraft("PLANE", 4)]
    update_order(shop, first.id, OrderDraft(1, lines, "2024-03-05"), staff("a"))
    with shop.connect() as conn:
        costs = conn.execute(
            select(OrderLine.line_number, OrderLine.cost_cents)
            .where(OrderLine.order_id == first.id)
            .order_by(OrderLine.line_number)
        ).all()
    assert costs == [(1, 18000), (2, None), (3, 2000)]
