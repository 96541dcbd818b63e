"""Start-up chores shared by `python app.py` and `python -m dashapp serve`, and the gunicorn
server both serve with."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from dashapp import auth
from dashapp.store.migrate import upgrade
from dashapp.store.models import Order


def prepare_database(
    engine: Engine, demo_orders: int = 0, seed: int = 42, demo: bool = False
) -> None:
    """Migrate the schema; seed demo orders into an empty database (demo_orders > 0); and on
    first start, outside demo mode, create an admin with a one-time password printed here."""
    upgrade(engine)
    with engine.connect() as conn:
        has_orders = conn.execute(select(func.count()).select_from(Order)).scalar_one() > 0
        has_users = auth.count_users(conn) > 0
    if not has_orders and demo_orders > 0:
        from dashapp.demo import generate_demo

        print(f"Empty database: seeding {demo_orders:,} demo orders (seed {seed})...", flush=True)
        print(
            generate_demo(engine, orders=demo_orders, seed=seed, end=None, progress=True).summary(),
            flush=True,
        )
    if not has_users and not demo:
        account, password = auth.create_user(engine, "admin", "admin", actor="first-start")
        print(
            f"\nFirst start: created user '{account.username}' (admin) with the one-time password"
            f"\n\n    {password}\n\nSign in and change it, or create users with"
            " `python -m dashapp create-user NAME --role ROLE`.\n",
            flush=True,
        )


# `make run` and `python app.py`: two worker processes with four threads each, so the page's
# parallel callbacks are answered in parallel (Flask's development server answered them one
# after another); `python -m dashapp serve --workers N` for more.
WORKERS = 2
THREADS = 4


def serve(server, host: str, port: int, workers: int = WORKERS, threads: int = THREADS) -> None:  # noqa: ANN001
    """Serve `server` (a Flask app) with gunicorn until stopped. The app is built before the
    fork; each worker opens its own database connections (dashapp.store.db checks the pid)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("timeout", 120)

        def load(self):
            return server

    Server().run()
