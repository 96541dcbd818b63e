"""The background-job worker: `python -m dashapp worker` (Celery, see dashapp.web.jobs)."""

from __future__ import annotations

import sys

import click

from dashapp.cli import cli, engine_from


@cli.command("worker")
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--pool",
    default="prefork",
    show_default=True,
    type=click.Choice(["prefork", "threads", "solo"]),
    help="prefork: one process per job slot",
)
@click.option("--loglevel", default="INFO", show_default=True)
@click.pass_context
def worker_command(ctx, concurrency: int, pool: str, loglevel: str) -> None:
    """Run background callbacks (forecast, anomaly scan, import) on Celery; needs
    CELERY_BROKER_URL, and the web servers' database and secret key."""
    from dashapp.web.jobs import celery_broker_url, worker_celery

    if not celery_broker_url():
        click.echo("Error: set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0", err=True)
        sys.exit(2)
    celery = worker_celery(engine_from(ctx))
    celery.worker_main(
        ["worker", f"--concurrency={concurrency}", f"--pool={pool}", f"--loglevel={loglevel}"]
    )
