"""`python -m dashapp reorder` on the catalog of test_reorder.py."""

import json

from tests.analytics.reorder.test_reorder import CATALOG, ORDERS
from tests.cli_runner import run_cli
from tests.orders_fixture import seed_orders


def test_reorder_json_csv_and_text(engine, tmp_path):
    seed_orders(engine, CATALOG, ORDERS)
    as_json = run_cli(engine, "reorder", "--json")
    path = tmp_path / "reorder.csv"
    as_csv = run_cli(engine, "reorder", "--csv", str(path))
    text = run_cli(engine, "reorder")
    assert as_json.exit_code == as_csv.exit_code == text.exit_code == 0
    rows = json.loads(as_json.stdout)
    assert [r["sku"] for r in rows][:2] == ["K", "A"]
    assert rows[1]["days_of_cover"] == 2.5 and rows[1]["status"] == "URGENT"
    assert next(r for r in rows if r["sku"] == "E")["days_of_cover"] is None
    assert len(path.read_text().splitlines()) == 11  # header + 10 active products
    assert "OUT OF STOCK" in text.output


def test_reorder_refuses_two_outputs(engine, tmp_path):
    result = run_cli(engine, "reorder", "--json", "--csv", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
