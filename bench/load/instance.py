"""The instance under load: a fresh database seeded with demo orders, load-test accounts with
API tokens, and `python -m dashapp serve` (gunicorn) on a free loopback port."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, update
from sqlalchemy.engine import make_url

from dashapp.auth import create_token, create_user
from dashapp.store.db import make_engine
from dashapp.store.models import Customer, Product

ROOT = Path(__file__).resolve().parents[2]
# Stock given to the products the simulated users order, so only the scarce one runs out.
AMPLE_STOCK = 1_000_000


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    token: str


@dataclass(frozen=True)
class Catalog:
    """What the simulated users pick from: customers, products by SKU, and filter values."""

    customer_ids: tuple[int, ...]
    products: dict[str, int]  # SKU -> id, all with ample stock
    scarce_sku: str
    scarce_id: int
    scarce_stock: int


def run_cli(database_url: str, *args: str) -> None:
    """`python -m dashapp ARGS` on this checkout against `database_url`."""
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "dashapp", *args], cwd=ROOT, env=env, check=True)


@contextmanager
def fresh_database(server_url: str | None, tmp: Path) -> Iterator[tuple[str, str]]:
    """(url, kind): a SQLite file in `tmp`, or a uniquely named database on the PostgreSQL
    server of `server_url`, dropped afterwards."""
    if not server_url:
        yield f"sqlite:///{tmp}/load.db", "sqlite"
        return
    if not server_url.startswith("postgresql"):
        raise SystemExit("LOAD_DATABASE_URL must be a postgresql+psycopg:// URL (or unset)")
    name = f"sp_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(False), "postgresql"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def prepare_data(url: str, orders: int, seed: int, users: int, scarce_stock: int):
    """Seed demo orders, create one manager account (with a token) per simulated user, and
    set the stock the run relies on."""
    run_cli(url, "init-db")
    run_cli(url, "demo", "--orders", str(orders), "--seed", str(seed), "--quiet")
    engine = make_engine(url)
    accounts = []
    for i in range(1, users + 1):
        password = secrets.token_urlsafe(12)
        account, _ = create_user(engine, f"load{i:02d}", "manager", password, actor="load-test")
        token = create_token(engine, account.id, "load test", actor="load-test")
        accounts.append(Account(account.username, password, token))
    products, customers = Product.__table__, Customer.__table__
    with engine.begin() as conn:
        customer_ids = tuple(
            conn.execute(select(customers.c.id).where(customers.c.active)).scalars()
        )
        rows = conn.execute(
            select(products.c.id, products.c.sku).where(products.c.active).order_by(products.c.id)
        ).all()
        ample, scarce = rows[:40], rows[40]
        conn.execute(
            update(products)
            .where(products.c.id.in_([r.id for r in ample]))
            .values(stock_on_hand=AMPLE_STOCK)
        )
        conn.execute(
            update(products).where(products.c.id == scarce.id).values(stock_on_hand=scarce_stock)
        )
    engine.dispose()
    catalog = Catalog(
        customer_ids=customer_ids,
        products={r.sku: r.id for r in ample},
        scarce_sku=scarce.sku,
        scarce_id=scarce.id,
        scarce_stock=scarce_stock,
    )
    return accounts, catalog


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(url: str, workers: int, tmp: Path) -> Iterator[tuple[str, Path]]:
    """`python -m dashapp serve --workers N` on loopback; (base URL, server log path)."""
    port = free_port()
    log_path = tmp / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
        "SALES_PULSE_SECRET_KEY": secrets.token_hex(32),
        "SALES_PULSE_CACHE_DIR": str(tmp / "cache"),
    }
    cmd = [sys.executable, "-m", "dashapp", "serve", "--workers", str(workers), "--port", str(port)]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        yield base, log_path
    finally:
        server.send_signal(signal.SIGTERM)  # gunicorn stops its workers gracefully
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}; see its log")
        try:
            if httpx.get(f"{base}/api/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")
