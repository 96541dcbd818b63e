"""`python -m dashapp serve --workers 2`: a session signed in on one gunicorn worker holds on
every worker, and after a write no worker answers from the data before it.

The shop of tests/shop.py with ada's order CAR x2 = 200.00 on 1 March 2024; a second
order CAR x1 = 100.00 on 2 March makes March 2 orders and 300.00.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import requests

from dashapp.auth import create_user
from dashapp.orders import LineDraft, OrderDraft, create_order
from tests.accounts import staff
from tests.databases import migrate
from tests.faults.processes import free_port, wait_until_answering
from tests.shop import seed_shop
from tests.web.test_jobs import stop

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 90  # bound on gunicorn's start on a loaded machine
REQUESTS = 8  # per check, spread over the workers by the kernel
MARCH = "start=2024-03-01&end=2024-03-31"


def test_two_workers_share_sign_in_and_never_serve_stale_answers(new_engine, tmp_path):
    engine = new_engine("serve")
    migrate(engine)
    seed_shop(engine)
    create_user(engine, "ada", "admin", "mild tangerine")
    create_order(
        engine, OrderDraft(1, [LineDraft("CAR", 2)], ordered_at=date(2024, 3, 1)), staff("ada")
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SALES_PULSE_SECRET_KEY", "REDIS_URL", "CELERY_BROKER_URL")
    }
    env.update(
        SALES_PULSE_SECRET_FILE=str(tmp_path / "secret_key"),
        SALES_PULSE_CACHE_DIR=str(tmp_path / "cache"),
    )
    url = engine.url.render_as_string(hide_password=False)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "dashapp", "--database-url", url, "serve"]
            + ["--workers", "2", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answering(f"{base}/login", server, log, START_SECONDS)
        session = requests.Session()
        signed_in = session.post(
            f"{base}/login",
            data={"username": "ada", "password": "mild tangerine"},
            allow_redirects=False,
            timeout=30,
        )
        assert signed_in.status_code == 302

        def march() -> list[tuple[int, float]]:
            answers = []
            for _ in range(REQUESTS):
                response = session.get(f"{base}/api/kpis?{MARCH}", timeout=30)
                assert response.status_code == 200, response.text
                current = response.json()["current"]
                answers.append((current["orders"], current["revenue"]))
            return answers

        assert march() == [(1, 200.0)] * REQUESTS
        saved = session.post(
            f"{base}/api/orders",
            json={
                "customer_id": 1,
                "ordered_at": "2024-03-02",
                "lines": [{"product": "CAR", "quantity": 1}],
            },
            timeout=30,
        )
        assert saved.status_code == 201, saved.text
        assert march() == [(2, 300.0)] * REQUESTS
    finally:
        stop(server)
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
