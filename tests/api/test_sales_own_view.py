"""SPEC §6: a sales user's analytics cover the orders they entered; other roles see everything.

Figures by hand on tests/tiny.py: nobody entered the six tiny orders (created_by is empty), so
the sales user starts with nothing; after they enter one order of 2 x CAR at the catalog price
100.00 (= 200.00), their revenue is 200.00 while a viewer's is 684.99 + 200.00 = 884.99.
"""

from dashapp.orders import LineDraft, OrderDraft, create_order, delete_order
from tests.accounts import staff


def revenue(api, role: str) -> float:
    response = api.get("/api/kpis", role=role)
    assert response.status_code == 200
    return response.get_json()["current"]["revenue"]


def test_sales_sees_only_the_orders_they_entered(api, tiny_engine):
    assert revenue(api, "sales") == 0.0
    assert revenue(api, "viewer") == 684.99
    draft = OrderDraft(customer_id=1, lines=(LineDraft(product="CAR", quantity=2),))
    saved = create_order(tiny_engine, draft, staff("sales-user"))
    try:
        assert revenue(api, "sales") == 200.0
        assert revenue(api, "viewer") == 884.99
        assert revenue(api, "manager") == 884.99
    finally:
        delete_order(tiny_engine, saved.id, staff("sales-user"))
