"""`python -m dashapp views list|save|delete`: saved views on the command line, through the
same domain functions (and ownership rules) as the page's Views menu and /api/views. A view
belongs to a user, so `--user` says whose views are read or changed."""

from __future__ import annotations

from typing import NoReturn

import click

from dashapp.cli import cli, engine_from
from dashapp.commands import refuse, refusing, user_account


def _refused(exc: Exception) -> NoReturn:
    from dashapp.validation import ValidationError

    refuse(exc.errors if isinstance(exc, ValidationError) else [exc])


@cli.group("views")
def views_group() -> None:
    """Saved views (a section with its filters and settings): list, save and delete them."""


@views_group.command("list")
@click.option("--user", "username", help="whose views, besides the shared ones")
@click.pass_context
def list_command(ctx: click.Context, username: str | None) -> None:
    """The user's views and everyone's shared ones."""
    from dashapp.views import list_views

    with engine_from(ctx).connect() as conn:
        views = list_views(conn, user_account(conn, username))
    if not views:
        click.echo("No saved views.")
    for v in views:
        shared = "shared" if v.shared else "private"
        query = f"?{v.query}" if v.query else ""
        click.echo(f"{v.id:>4}  {v.name}  [{shared}, {v.owner}]  {v.section}{query}")


@views_group.command("save")
@click.argument("name")
@click.option("--user", "username", required=True, help="whose view it is")
@click.option("--section", default="overview", show_default=True, help="e.g. overview, pivot")
@click.option("--query", default="", help="filters and settings, e.g. 'country=France&range=ytd'")
@click.option("--shared", is_flag=True, help="share it with everyone")
@click.pass_context
def save_command(
    ctx: click.Context, name: str, username: str, section: str, query: str, shared: bool
) -> None:
    """Save a view under NAME."""
    from dashapp.views import save_view

    engine = engine_from(ctx)
    with engine.connect() as conn:
        account = user_account(conn, username)
    with refusing():
        view = save_view(engine, account, name, section, query, shared=shared)
    click.echo(f"Saved view {view.id}: {view.name} ({'shared' if view.shared else 'private'})")


@views_group.command("delete")
@click.argument("view_ref")
@click.option("--user", "username", required=True, help="whose view (or an admin)")
@click.pass_context
def delete_command(ctx: click.Context, view_ref: str, username: str) -> None:
    """Delete a view by name or id: one's own, or a shared one as an admin."""
    from dashapp.validation import ValidationError
    from dashapp.views import delete_view, find_view

    engine = engine_from(ctx)
    with engine.connect() as conn:
        account = user_account(conn, username)
        try:
            view_id = find_view(conn, account, view_ref).id
        except (LookupError, ValidationError) as exc:
            _refused(exc)
    try:
        view = delete_view(engine, account, view_id)
    except (LookupError, PermissionError, ValidationError) as exc:
        _refused(exc)
    click.echo(f"Deleted view {view.id}: {view.name}")
