"""The reorder CSV (Forecast page download and `reorder --csv`) neutralises spreadsheet formulas
like every other export (issue 15).

Today is 2024-06-30 (the one order day), so the 28-day window is 06-03..06-30:
P1 stock 5, reorder 10, lead 7, 28 sold on 06-30: 28 / 28 = 1.0 a day, cover 5 / 1.0 = 5.0
   (URGENT, under 7), lead demand 1.0 x 7 = 7.0, order 10 + ceil(1.0 x (7 + 14)) - 5 = 26.
P2 stock -3 (backordered), nothing sold: OUT OF STOCK, no cover, order 0; the -3 stays a number.
"""

import json
from datetime import date

import pytest
from sqlalchemy import update

from dashapp.analytics.reorder import reorder_csv, reorder_recommendations
from dashapp.factory import create_app
from dashapp.store.models import Product
from dashapp.ui import ids
from tests.cli_runner import run_cli
from tests.databases import migrate
from tests.orders_fixture import Catalog, seed_orders

EXPECTED = (
    "sku,name,category,stock,reorder_point,lead_time_days,units_window,avg_daily_units,"
    "days_of_cover,lead_time_demand,suggested_order_qty,last_sale,status\r\n"
    'P1,"\'=HYPERLINK(""http://x"",""y"")",Cars,5,10,7,28,1.0,5.0,7.0,26,2024-06-30,URGENT\r\n'
    "P2,'@SUM(A1:A2),' -Bikes,-3,0,7,0,0.0,,0.0,0,,OUT OF STOCK\r\n"
)


@pytest.fixture
def formulas(engine):
    seed_orders(
        engine,
        Catalog([("P1", "Cars", 5, 10, 7, True), ("P2", "Bikes", 0, 0, 7, True)]),
        [(date(2024, 6, 30), "France", "Shipped", [("P1", 28, 2800)])],
    )
    with engine.begin() as conn:
        conn.execute(
            update(Product).where(Product.sku == "P1").values(name='=HYPERLINK("http://x","y")')
        )
        # A formula behind a leading space is still a formula to a spreadsheet.
        conn.execute(
            update(Product)
            .where(Product.sku == "P2")
            .values(name="@SUM(A1:A2)", category=" -Bikes", allow_backorder=True, stock_on_hand=-3)
        )
    return engine


def test_reorder_csv_neutralises_formulas_and_keeps_negative_numbers(formulas):
    with formulas.connect() as conn:
        assert reorder_csv(reorder_recommendations(conn)) == EXPECTED


def test_reorder_cli_csv_file_is_neutralised(formulas, tmp_path):
    path = tmp_path / "reorder.csv"
    result = run_cli(formulas, "reorder", "--csv", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == EXPECTED.encode()


def test_reorder_page_download_is_neutralised(formulas):
    migrate(formulas)
    client = create_app(formulas, demo=True).server.test_client()
    assert client.get("/").status_code == 200  # signs in the demo user
    body = {
        "output": f"{ids.REORDER_DOWNLOAD}.data",
        "outputs": {"id": ids.REORDER_DOWNLOAD, "property": "data"},
        "inputs": [{"id": ids.REORDER_EXPORT, "property": "n_clicks", "value": 1}],
        "changedPropIds": [f"{ids.REORDER_EXPORT}.n_clicks"],
        "state": [],
    }
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200
    sent = json.loads(answer.data)["response"][ids.REORDER_DOWNLOAD]["data"]
    assert sent["filename"] == "reorder.csv"
    assert sent["content"] == EXPECTED
