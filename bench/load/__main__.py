"""Load test (`make test-load`): simulated users against the real server, then the database
checked against what every client was told.

    python -m bench.load                     # SQLite: 20 users for 60 s
    LOAD_DATABASE_URL=postgresql+psycopg://127.0.0.1:5432/postgres python -m bench.load

A fresh database (a temp SQLite file, or a uniquely named database created on the PostgreSQL
server of LOAD_DATABASE_URL and dropped afterwards) is seeded with demo orders and served by
`python -m dashapp serve --workers N` on loopback. Tunable: LOAD_USERS (20), LOAD_DURATION_S
(60), LOAD_THINK_S (longest pause between a user's actions, 1.0), LOAD_ORDERS (20000 seeded),
LOAD_WORKERS (2), LOAD_SCARCE_STOCK (10 units of the product every third order also takes).

The report goes to stdout and bench/results/load-<sqlite|postgresql>.md. Exit status 1 when
any request failed or any check did not pass.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import httpx

from bench.load.instance import ROOT, Account, fresh_database, prepare_data, served
from bench.load.report import markdown, summarise
from bench.load.simulated import Plan, Recorder, SimulatedUser, overview_callbacks
from bench.load.verify import Check, check_database, stock_levels
from dashapp.store.db import make_engine

RESULTS = ROOT / "bench" / "results"


def _env(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


def discover(base: str, account: Account) -> tuple[dict, dict, date, Decimal]:
    """The page's callbacks (as a signed-in browser sees them), the last order day and the
    all-time revenue the API reports."""
    with httpx.Client(base_url=base, timeout=60) as client:
        form = {"username": account.username, "password": account.password}
        if client.post("/login", data=form).status_code != 302:
            raise SystemExit(f"could not sign in as {account.username}")
        callbacks, sync = overview_callbacks(client.get("/_dash-dependencies").json())
    kpis = all_time_kpis(base, account)
    return callbacks, sync, date.fromisoformat(kpis["range"]["end"]), revenue(kpis)


def all_time_kpis(base: str, account: Account) -> dict:
    headers = {"Authorization": f"Bearer {account.token}"}
    answer = httpx.get(f"{base}/api/kpis", headers=headers, timeout=60)
    answer.raise_for_status()
    return answer.json()


def revenue(kpis: dict) -> Decimal:
    return Decimal(str(kpis["current"]["revenue"]))


def server_log_check(log_path: Path) -> Check:
    text = log_path.read_text(errors="replace")
    tracebacks = text.count("Traceback")
    timeouts = text.count("WORKER TIMEOUT")
    return Check(
        "server log has no tracebacks or worker timeouts",
        tracebacks == 0 and timeouts == 0,
        f"{tracebacks} tracebacks, {timeouts} worker timeouts",
    )


def main() -> int:
    users = int(_env("LOAD_USERS", 20))
    duration = _env("LOAD_DURATION_S", 60)
    think = _env("LOAD_THINK_S", 1.0)
    seeded = int(_env("LOAD_ORDERS", 20_000))
    workers = int(_env("LOAD_WORKERS", 2))
    scarce = int(_env("LOAD_SCARCE_STOCK", 10))
    run_id = uuid.uuid4().hex[:8]
    server_url = os.environ.get("LOAD_DATABASE_URL")

    with (
        tempfile.TemporaryDirectory(prefix="sp-load-") as tmp_name,
        fresh_database(server_url, Path(tmp_name)) as (url, kind),
    ):
        tmp = Path(tmp_name)
        print(f"Seeding {seeded:,} demo orders into a fresh {kind} database...", flush=True)
        accounts, catalog = prepare_data(url, seeded, 42, users, scarce)
        engine = make_engine(url)
        with engine.connect() as conn:
            stock_before = stock_levels(conn)
        recorder = Recorder()
        with served(url, workers, tmp) as (base, log_path):
            callbacks, sync, last_day, revenue_before = discover(base, accounts[0])
            load_before = os.getloadavg()[0]
            print(f"Server up at {base}; {users} users for {duration:.0f} s...", flush=True)
            plan = Plan(
                base_url=base,
                run_id=run_id,
                catalog=catalog,
                callbacks=callbacks,
                sync_view=sync,
                last_day=last_day,
                deadline=time.monotonic() + duration,
                think_s=think,
            )
            threads = [
                threading.Thread(
                    target=SimulatedUser(i, account, plan, recorder).run, name=account.username
                )
                for i, account in enumerate(accounts, start=1)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
                time.sleep(min(0.1, duration / 100))  # a short ramp, not a thundering herd
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            load_after = os.getloadavg()[0]
            revenue_after = revenue(all_time_kpis(base, accounts[0]))
        with engine.connect() as conn:
            checks = check_database(conn, run_id, recorder.orders, stock_before)
        engine.dispose()
        added = sum((o.total for o in recorder.orders if o.created and o.total), Decimal(0))
        checks.append(
            Check(
                "the API's all-time revenue grew by exactly the created orders' totals",
                revenue_after - revenue_before == added,
                f"before {revenue_before:,.2f}, after {revenue_after:,.2f}, created {added:,.2f}",
            )
        )
        checks.append(server_log_check(log_path))
        server_log = log_path.read_text(errors="replace")

    rows = summarise(recorder.samples, elapsed)
    errors = [s for s in recorder.samples if not s.ok]
    page, api, entry = plan.weights
    where = "temp file" if kind == "sqlite" else "fresh database on the local server"
    setup = [
        f"{datetime.now():%Y-%m-%d %H:%M}, {kind} ({where}), {seeded:,} demo orders (seed 42)",
        f"`python -m dashapp serve --workers {workers}` (gunicorn, sync workers) on loopback",
        f"{users} simulated users for {elapsed:.1f} s; each pauses 0-{think:g} s between "
        f"actions; actions weighted {page} page filter changes (view sync + the 6 Overview "
        f"callbacks, one after another) : {api} API analytics calls : {entry} orders "
        f"(1-3 lines; 30 % also take the scarce product, {scarce} in stock)",
        f"{os.cpu_count()} CPUs, load average {load_before:.1f} before and {load_after:.1f} "
        f"after (load generator on the same machine); Python {platform.python_version()}",
    ]
    title = f"Load test: {kind}"
    report = markdown(title, setup, rows, recorder.orders, checks, errors)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"load-{kind}.md").write_text(report)
    print(report)
    failed = [c for c in checks if not c.ok]
    if errors or failed:
        print(f"--- end of the server log ---\n{server_log[-6000:]}", file=sys.stderr)
        print(f"FAILED: {len(errors)} request errors, {len(failed)} failed checks", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
