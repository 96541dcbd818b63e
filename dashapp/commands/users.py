"""User commands: create-user, and serve (the web server)."""

from __future__ import annotations

import sys

import click

from dashapp.auth import PASSWORD_RULES, AuthError, create_user
from dashapp.cli import cli, engine_from
from dashapp.store.migrate import upgrade
from dashapp.store.models import ROLES


@cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--generate", is_flag=True, help="generate a password and print it once")
@click.pass_context
def create_user_command(ctx, username: str, role: str, generate: bool) -> None:
    """Create a user; the password is prompted for, or generated and printed once."""
    engine = engine_from(ctx)
    upgrade(engine)
    password = None
    if not generate and sys.stdin.isatty():
        click.echo(PASSWORD_RULES)
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        account, password = create_user(engine, username, role, password, actor="cli")
    except AuthError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"Created {account.username} ({account.role}).")
    if generate or not sys.stdin.isatty():
        click.echo(f"Password (shown once): {password}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="per worker"
)
@click.option("--demo", is_flag=True, help="sign everyone in as the demo admin")
@click.pass_context
def serve_command(ctx, host: str, port: int, workers: int, threads: int, demo: bool) -> None:
    """Serve the dashboard with gunicorn. With several workers, set REDIS_URL (shared answer
    cache) and CELERY_BROKER_URL (background jobs); see README, "Serving several users"."""
    from dashapp.factory import create_app
    from dashapp.server import prepare_database, serve

    engine = engine_from(ctx)
    prepare_database(engine, demo_orders=0, demo=demo)
    app = create_app(engine, demo=demo)
    from dashapp.digests.scheduler import start_scheduler

    start_scheduler(engine)  # scheduled digests, unless Celery beat sends them
    serve(app.server, host, port, workers=workers, threads=threads)
