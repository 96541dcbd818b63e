"""kill -9 in the middle of a write: a server worker saving an order, the CLI saving an order,
the CLI importing a large CSV. Each process is paused inside its transaction (tests.faults.paused)
and killed there; afterwards nothing committed is lost, nothing half-written is left, the store
passes its integrity checks, and the same request or command run again succeeds once."""

from __future__ import annotations

import subprocess
import threading

import httpx
from sqlalchemy import func, select

from dashapp.store.db import make_engine
from dashapp.store.models import Order
from tests.faults.conftest import manager_token
from tests.faults.processes import (
    ROOT,
    app_env,
    command,
    kill_9,
    paused_pid,
    run_cli,
    serving,
    worker_pids,
)
from tests.faults.store_checks import snapshot, store_problems

# CAR 3 x 100.00 = 300.00 and BIKE 2 x 45.00 = 90.00: 390.00 in all; tiny has 100 of each.
ORDER = {
    "customer_id": 2,
    "note": "kill test",
    "lines": [
        {"product": "CAR", "quantity": 3},
        {"product": "BIKE", "quantity": 2, "unit_price": "45.00"},
    ],
}
ORDER_LINES = ("--line", "CAR:3", "--line", "BIKE:2:45.00")


def state(url: str) -> tuple[dict, list[str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = snapshot(conn), store_problems(conn)
    engine.dispose()
    return found


def orders_noted(url: str, note: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).where(Order.note == note)).scalar_one()
    engine.dispose()
    return n


def added_one_order(before: dict, after: dict) -> None:
    assert after["orders"] == before["orders"] + 1
    assert after["lines"] == before["lines"] + 2
    assert after["line amounts"] == before["line amounts"] + 39_000
    assert after["stock"] == {"CAR": 97, "BIKE": 98}


def killed_when_paused(argv: list[str], marker, env: dict) -> None:
    """Run the CLI `argv` until it pauses (it writes `marker`), then kill -9 it."""
    process = subprocess.Popen(argv, cwd=ROOT, env=env)
    assert paused_pid(marker, process) == process.pid
    kill_9(process.pid)
    assert process.wait(30) == -9


def test_flt001_worker_killed_before_commit_of_an_order(tiny_url, tmp_path):
    token = manager_token(tiny_url)
    before, problems = state(tiny_url)
    assert problems == []
    marker = tmp_path / "paused"
    # record_change (the audit entry and data version, the write path's last step) is the
    # order's last statement before COMMIT: header, lines, stock moves, rollups and derived
    # columns are all written by then.
    pause = dict(pause_at="dashapp.store.writes:record_change", marker=marker)
    headers = {"Authorization": f"Bearer {token}"}
    with serving(tiny_url, tmp_path, **pause) as server:
        outcome: dict = {}

        def post() -> None:
            try:
                outcome["response"] = httpx.post(
                    f"{server.base_url}/api/orders", json=ORDER, headers=headers, timeout=60
                )
            except httpx.TransportError as exc:
                outcome["error"] = exc

        client = threading.Thread(target=post)
        client.start()
        pid = paused_pid(marker, server.process)
        assert pid in worker_pids(server.process.pid)  # a worker, not gunicorn's master
        kill_9(pid)
        client.join(60)
        assert "error" in outcome, "the client must not get an answer from a killed worker"

        assert state(tiny_url) == (before, [])
        assert orders_noted(tiny_url, "kill test") == 0

        retry = httpx.post(f"{server.base_url}/api/orders", json=ORDER, headers=headers, timeout=60)
        assert retry.status_code == 201, retry.text
        assert retry.json()["total"] == 390.0
    after, problems = state(tiny_url)
    assert problems == []
    added_one_order(before, after)
    # The retry's own audit entry; the killed attempt left none.
    assert after["audit entries"] == before["audit entries"] + 1
    assert orders_noted(tiny_url, "kill test") == 1


def test_flt002_cli_killed_halfway_through_an_order(tiny_url, tmp_path):
    before, _ = state(tiny_url)
    marker = tmp_path / "paused"
    # Right after the lines went in: stock is moved and the header and lines are written,
    # the first-order dates and the audit entry are not.
    argv = command(
        "create-order", "--customer", "2", *ORDER_LINES, "--note", "kill test",
        pause_at="dashapp.orders.write:_insert_lines", marker=marker,
    )  # fmt: skip
    killed_when_paused(argv, marker, app_env(tiny_url, tmp_path))

    assert state(tiny_url) == (before, [])

    retry = run_cli(
        tiny_url, tmp_path, "create-order", "--customer", "2", *ORDER_LINES, "--note", "kill test"
    )
    assert retry.returncode == 0, retry.stderr
    after, problems = state(tiny_url)
    assert problems == []
    added_one_order(before, after)
    assert orders_noted(tiny_url, "kill test") == 1


IMPORT_ORDERS = 2_500  # the importer writes 1,000 orders a chunk: three chunks


def write_large_csv(path) -> None:
    """2,500 orders of two lines each: KT-1 2 x 10.00 = 20.00 and KT-2 1 x 5.50 = 5.50, so
    25.50 an order and 63,750.00 in all, from 50 new customers."""
    rows = ["Order ID,Order Date,Customer Name,Country,StockCode,Category,Quantity,Unit Price"]
    for k in range(1, IMPORT_ORDERS + 1):
        head = f"K-{k:05d},2024-03-{1 + k % 28:02d},Kill Customer {k % 50},France"
        rows.append(f"{head},KT-1,Trains,2,10.00")
        rows.append(f"{head},KT-2,Trains,1,5.50")
    path.write_text("\n".join(rows) + "\n")


def test_flt003_cli_killed_in_the_middle_of_a_large_import(tiny_url, tmp_path):
    csv = tmp_path / "large.csv"
    write_large_csv(csv)
    before, _ = state(tiny_url)
    marker = tmp_path / "paused"
    # After the second chunk's orders went in: the first chunk is complete (orders and lines),
    # the second has orders without lines, customers and products are created.
    argv = command(
        "import", str(csv), "--quiet",
        pause_at="dashapp.importer.loader:_insert_orders", nth=2, marker=marker,
    )  # fmt: skip
    killed_when_paused(argv, marker, app_env(tiny_url, tmp_path))

    assert state(tiny_url) == (before, [])

    retry = run_cli(tiny_url, tmp_path, "import", str(csv), "--quiet")
    assert retry.returncode == 0, retry.stderr
    after, problems = state(tiny_url)
    assert problems == []
    assert after["orders"] == before["orders"] + 2_500
    assert after["lines"] == before["lines"] + 5_000
    assert after["customers"] == before["customers"] + 50
    assert after["products"] == before["products"] + 2
    assert after["line amounts"] == before["line amounts"] + 6_375_000
    assert after["stock"] == {**before["stock"], "KT-1": 0, "KT-2": 0}  # imports move no stock

    again = run_cli(tiny_url, tmp_path, "import", str(csv), "--quiet")
    assert again.returncode == 0, again.stderr
    assert state(tiny_url)[0]["orders"] == after["orders"]  # importing twice adds nothing
