"""The catalog grid's save callback, forged through Flask's test client: a flag arrives as text
and is read strictly (issue 15: bool("false") is True, so "false" used to allow backorders
and let stock go below zero)."""

import pytest
from sqlalchemy import select, update

from dashapp.factory import create_app
from dashapp.store.migrate import upgrade
from dashapp.store.models import Product
from dashapp.ui import ids
from tests.tiny import seed_tiny


@pytest.fixture
def client(engine):
    upgrade(engine)
    seed_tiny(engine)
    app = create_app(engine, demo=True)
    client = app.server.test_client()
    assert client.get("/").status_code == 200  # signs in the demo user (a catalog writer)
    client.engine, client.dash_app = engine, app
    return client


def forged_edit(client, **changed):
    """What the grid sends when a cell of product 1 (CAR, stock 100) is edited."""
    key = next(
        k
        for k, v in client.dash_app.callback_map.items()
        if ids.PRODUCTS_MESSAGE + ".children" in k
        and any(i["id"] == ids.PRODUCTS_GRID for i in v["inputs"])
    )
    outputs = []
    for part in key.strip(".").split("..."):
        target, prop = part.rsplit(".", 1)
        outputs.append({"id": target, "property": prop.split("@")[0]})
    row = {"id": 1, "sku": "CAR", "name": "Car A", "category": "Classic Cars", "list_price": 100}
    row |= {"stock_on_hand": 100, "reorder_point": 0, "lead_time_days": 7, "active": True}
    change = {"rowIndex": 0, "data": row | changed, "colId": next(iter(changed))}
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": [{"id": ids.PRODUCTS_GRID, "property": "cellValueChanged", "value": [change]}],
        "changedPropIds": [f"{ids.PRODUCTS_GRID}.cellValueChanged"],
        "state": [],
    }
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def saved(client) -> tuple[int, bool]:
    with client.engine.connect() as conn:
        row = conn.execute(select(Product).where(Product.id == 1)).one()
    return row.stock_on_hand, row.allow_backorder


@pytest.mark.parametrize("text", ["false", "0", "no", "FALSE", "off"])
def test_a_false_word_turns_backorders_off(client, text):
    with client.engine.begin() as conn:
        conn.execute(update(Product).where(Product.id == 1).values(allow_backorder=True))
    forged_edit(client, allow_backorder=text, stock_on_hand=90)
    assert saved(client) == (90, False)


def test_false_as_text_cannot_take_stock_below_zero(client):
    text = forged_edit(client, allow_backorder="false", stock_on_hand=-5)
    assert "Stock must be 0 or more unless backorders are allowed" in text
    assert saved(client) == (100, False)  # nothing saved


def test_an_unknown_word_is_a_field_error_and_nothing_is_saved(client):
    text = forged_edit(client, allow_backorder="maybe", stock_on_hand=-5)
    assert "must be yes or no" in text
    assert saved(client) == (100, False)
