"""The command line: `python -m dashapp COMMAND`. Each command calls the same domain
functions as the page and the API."""

from __future__ import annotations

import importlib
import pkgutil

import click

from dashapp.filters import FilterError, Filters
from dashapp.store.db import get_engine


def engine_from(ctx: click.Context):
    """The engine for the --database-url given to the group (or DATABASE_URL)."""
    return get_engine(ctx.obj.get("database_url") if ctx.obj else None)


@click.group()
@click.option(
    "--database-url", envvar="DATABASE_URL", help="SQLAlchemy URL (default data/sales.db)"
)
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """Sales Pulse: sales analytics on the command line."""
    ctx.ensure_object(dict)
    ctx.obj["database_url"] = database_url


def filter_options(func):
    """The filter options every reporting command takes."""
    options = [
        click.option("--start", help="first day, YYYY-MM-DD"),
        click.option("--end", help="last day, YYYY-MM-DD"),
        click.option("--category", multiple=True, help="product line (repeatable)"),
        click.option("--product", multiple=True, help="product SKU (repeatable)"),
        click.option("--country", multiple=True, help="country (repeatable)"),
        click.option("--customer", multiple=True, help="customer id (repeatable)"),
        click.option("--status", multiple=True, help="order status (repeatable)"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def filters_from_options(opts: dict) -> Filters:
    """Build the filter object from the CLI options, or exit with the reason."""
    params = {k: opts.get(k) for k in ("start", "end")}
    params.update({k: list(opts.get(k) or ()) for k in ("category", "product", "country")})
    params.update({k: list(opts.get(k) or ()) for k in ("customer", "status")})
    try:
        return Filters.from_params(params)
    except FilterError as exc:
        raise click.BadParameter(exc.reason, param_hint=f"--{exc.field}") from None


def _register_commands() -> None:
    # Each module in dashapp/commands adds its commands to `cli` when imported.
    import dashapp.commands

    for info in pkgutil.iter_modules(dashapp.commands.__path__):
        importlib.import_module(f"dashapp.commands.{info.name}")


_register_commands()
