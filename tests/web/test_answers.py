"""The shared answer cache (dashapp/web/answers.py) behind the REST API and the Overview callbacks.

The shop of tests/shop.py (CAR 100.00, BIKE 50.00), and orders entered through
dashapp.orders in March 2024:
  ada (admin) CAR x2 = 200.00 on 1 March; sam (sales) BIKE x1 = 50.00 on 1 March.
So in March ada (all orders) sees 2 orders and 250.00, and sam (own orders) 1 order and 50.00.
A later CAR x1 by ada on 2 March makes it 3 orders and 350.00.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date

import pytest
from flask_login import current_user

import dashapp.analytics.kpis as kpis_module
from dashapp.auth import create_token, create_user
from dashapp.factory import create_app
from dashapp.filters import Filters
from dashapp.orders import LineDraft, OrderDraft, create_order
from dashapp.store.version import data_version
from dashapp.ui import overview
from dashapp.web.answers import cached, request_data_version
from tests.accounts import staff
from tests.databases import migrate
from tests.shop import seed_shop

MARCH = "start=2024-03-01&end=2024-03-31"


@dataclass
class Shop:
    app: object
    engine: object
    tokens: dict[str, str]

    def kpis(self, user: str = "ada", query: str = MARCH) -> dict:
        response = self.app.server.test_client().get(
            f"/api/kpis?{query}", headers={"Authorization": f"Bearer {self.tokens[user]}"}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["current"]


def seed(engine) -> dict[str, str]:
    """The shop, the two users and their first orders; returns their API tokens."""
    migrate(engine)
    seed_shop(engine)
    tokens = {}
    for name, role in [("ada", "admin"), ("sam", "sales")]:
        account, _ = create_user(engine, name, role, "mild tangerine")
        tokens[name] = create_token(engine, account.id, "tests", actor="tests")
    create_order(
        engine, OrderDraft(1, [LineDraft("CAR", 2)], ordered_at=date(2024, 3, 1)), staff("ada")
    )
    create_order(
        engine, OrderDraft(2, [LineDraft("BIKE", 1)], ordered_at=date(2024, 3, 1)), staff("sam")
    )
    return tokens


def second_car_order(engine) -> None:
    create_order(
        engine, OrderDraft(1, [LineDraft("CAR", 1)], ordered_at=date(2024, 3, 2)), staff("ada")
    )


@pytest.fixture
def computations(monkeypatch) -> list:
    """Every run of kpi_summary (the API's and the Overview's), recorded."""
    calls = []
    real = kpis_module.kpi_summary

    def counted(conn, f):
        calls.append(f)
        return real(conn, f)

    monkeypatch.setattr(kpis_module, "kpi_summary", counted)
    monkeypatch.setattr(overview, "kpi_summary", counted)
    return calls


@pytest.fixture
def local_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SALES_PULSE_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def shop(new_engine, local_cache) -> Shop:
    engine = new_engine("shop")
    tokens = seed(engine)
    return Shop(create_app(engine, demo=False), engine, tokens)


def test_second_call_is_served_from_the_cache_and_a_write_changes_the_answer(shop, computations):
    assert shop.kpis()["orders"] == 2
    assert shop.kpis() == {**shop.kpis(), "orders": 2, "revenue": 250.0}
    assert len(computations) == 1
    second_car_order(shop.engine)
    after = shop.kpis()
    assert (after["orders"], after["revenue"]) == (3, 350.0)
    assert len(computations) == 2
    assert shop.kpis() == after
    assert len(computations) == 2


def test_a_sales_user_never_gets_an_admins_cached_answer(shop, computations):
    assert (shop.kpis("ada")["orders"], shop.kpis("ada")["revenue"]) == (2, 250.0)
    sam = shop.kpis("sam")
    assert (sam["orders"], sam["revenue"]) == (1, 50.0)
    assert shop.kpis("ada")["orders"] == 2  # and the other way round
    assert shop.kpis("sam")["orders"] == 1
    assert [f.created_by for f in computations] == [None, "sam"]


def test_other_parameters_are_other_answers(shop):
    client = shop.app.server.test_client()
    headers = {"Authorization": f"Bearer {shop.tokens['ada']}"}
    by_units = client.get(f"/api/top-products?{MARCH}&by=units", headers=headers).get_json()
    by_revenue = client.get(f"/api/top-products?{MARCH}&by=revenue", headers=headers).get_json()
    assert by_units["by"] == "units" and by_revenue["by"] == "revenue"
    assert [r["sku"] for r in by_units["rows"]] == ["CAR", "BIKE"]  # 2 units, 1 unit
    one = client.get(f"/api/top-products?{MARCH}&limit=1", headers=headers).get_json()
    assert [r["sku"] for r in one["rows"]] == ["CAR"]


def test_workers_share_the_local_cache_and_see_each_others_writes(new_engine, local_cache):
    """Two apps on one database and cache folder stand for two gunicorn workers."""
    engine = new_engine("shop")
    tokens = seed(engine)
    first = Shop(create_app(engine, demo=False), engine, tokens)
    second = Shop(create_app(engine, demo=False), engine, tokens)
    assert first.kpis()["orders"] == 2
    calls = []
    real = kpis_module.kpi_summary
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kpis_module, "kpi_summary", lambda c, f: calls.append(f) or real(c, f))
        assert second.kpis()["orders"] == 2
        assert calls == []  # the first worker's answer
        client = second.app.server.test_client()
        saved = client.post(
            "/api/orders",
            json={
                "customer_id": 1,
                "ordered_at": "2024-03-02",
                "lines": [{"product": "CAR", "quantity": 1}],
            },
            headers={"Authorization": f"Bearer {tokens['ada']}"},
        )
        assert saved.status_code == 201, saved.get_data(as_text=True)
        assert (first.kpis()["orders"], first.kpis()["revenue"]) == (3, 350.0)
        assert len(calls) == 1


def sign_in(app, name: str):
    client = app.server.test_client()
    response = client.post("/login", data={"username": name, "password": "mild tangerine"})
    assert response.status_code == 302
    return client


def kpi_row(client, query: str = MARCH) -> str:
    body = {
        "output": "kpi-row.children",
        "outputs": {"id": "kpi-row", "property": "children"},
        "inputs": [
            {"id": "view-store", "property": "data", "value": {"filters": query}},
            {"id": "refresh-token", "property": "data", "value": None},
        ],
        "changedPropIds": ["view-store.data"],
        "state": [],
    }
    response = client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_overview_kpi_cards_come_from_the_cache_until_a_write(shop, computations):
    ada, sam = sign_in(shop.app, "ada"), sign_in(shop.app, "sam")
    assert "$250.00" in kpi_row(ada)
    assert "$250.00" in kpi_row(ada)
    assert len(computations) == 1
    own = kpi_row(sam)
    assert "$50.00" in own and "$250.00" not in own
    assert len(computations) == 2
    second_car_order(shop.engine)
    assert "$350.00" in kpi_row(ada)
    assert len(computations) == 3


def test_a_page_request_reads_the_data_version_with_the_account(shop):
    """One query at the start of a signed-in request gives both; a callback does not ask the
    database for the version again, and the next request reads it afresh."""
    app = shop.app.server
    ada = sign_in(shop.app, "ada")
    with ada:
        ada.get("/")
        assert current_user.username == "ada"
        assert request_data_version(shop.engine) == current_version(shop.engine)
    second_car_order(shop.engine)  # another request's write
    with ada:
        ada.get("/")
        assert current_user.is_authenticated
        assert request_data_version(shop.engine) == current_version(shop.engine)
    with app.test_request_context("/"):
        assert request_data_version(shop.engine) is None  # nobody signed in: none remembered


def test_a_write_in_the_request_forgets_the_version_read_before_it(shop):
    """A callback that writes and then shows the totals must not be answered from the cache
    entry of the data before its own write."""
    march = Filters(start=date(2024, 3, 1), end=date(2024, 3, 31))

    def march_orders() -> int:
        def compute():
            with shop.engine.connect() as conn:
                return kpis_module.kpi_summary(conn, march).current.orders

        return cached(shop.engine, "test_march_orders", march, compute)

    ada = sign_in(shop.app, "ada")
    with ada:
        ada.get("/")
        assert request_data_version(shop.engine) is not None
        assert march_orders() == 2
        second_car_order(shop.engine)
        assert request_data_version(shop.engine) is None
        assert march_orders() == 3


def current_version(engine) -> str:
    with engine.connect() as conn:
        return data_version(conn)


def test_redis_backend(new_engine, redis_server, computations, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    engine = new_engine("shop")
    shop = Shop(create_app(engine, demo=False), engine, seed(engine))
    assert shop.app.server.extensions["sales_pulse_answers"].label == "redis"
    assert shop.kpis()["orders"] == 2
    assert shop.kpis()["orders"] == 2
    assert len(computations) == 1
    keys = [k.decode() for k in redis_server.client.scan_iter(match=f"{redis_server.prefix}*")]
    assert len(keys) == 1 and keys[0].startswith(f"{redis_server.prefix}answers:api.kpis_view:")
    second_car_order(engine)
    assert shop.kpis()["orders"] == 3
    assert len(computations) == 2


def test_unreachable_redis_falls_back_to_computing(new_engine, computations, monkeypatch, caplog):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    engine = new_engine("shop")
    shop = Shop(create_app(engine, demo=False), engine, seed(engine))
    with caplog.at_level(logging.WARNING, logger="dashapp.web.answers"):
        first, second = shop.kpis(), shop.kpis()
    assert (first["orders"], first["revenue"]) == (2, 250.0)
    assert second == first
    assert len(computations) == 2  # no cache: computed each time
    warnings = [r for r in caplog.records if r.name == "dashapp.web.answers"]
    assert len(warnings) == 1  # once per outage, not once per request
    assert "answer cache (redis) failed" in warnings[0].getMessage()
    second_car_order(engine)
    assert shop.kpis()["orders"] == 3
