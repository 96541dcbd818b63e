"""The command line: `python -m dashapp COMMAND`. Each command calls the same domain
functions as the page and the API."""

from __future__ import annotations

import importlib
import pkgutil

import click
from sqlalchemy import exc as sa_exc

from dashapp.filters import DIMENSIONS, FilterError, Filters
from dashapp.store.db import get_engine
from dashapp.store.errors import database_unavailable

# SQLite says "no such table", PostgreSQL raises SQLSTATE 42P01 (undefined_table).
_NO_SCHEMA = ("no such table", "undefinedtable", "42p01")


def engine_from(ctx: click.Context):
    """The engine for the --database-url given to the group (or DATABASE_URL)."""
    return get_engine(ctx.obj.get("database_url") if ctx.obj else None)


class CommandGroup(click.Group):
    """The group of commands; an unreachable database, a bad --database-url or a file that
    cannot be written ends in one line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            unavailable = database_unavailable(exc)
            if unavailable:
                # Busy or unreachable: worth retrying, and said the way the page and the API say
                # it; exit 75 (EX_TEMPFAIL) so a script can tell it from a mistake.
                raise TemporaryFailure(unavailable_message(exc, unavailable)) from None
            message = failure_message(exc)
            if message is None:
                raise
            raise click.ClickException(message) from None


class TemporaryFailure(click.ClickException):
    """The database is busy or cannot be reached right now: try again later."""

    exit_code = 75  # sysexits.h EX_TEMPFAIL


def unavailable_message(exc: Exception, unavailable) -> str:
    """The page's words for a busy or unreachable database; an unreachable one also says the
    driver's reason (a refused connection, an unknown host), which tells what to fix."""
    if unavailable.kind == "busy":
        return unavailable.message
    reason = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0]
    return f"{unavailable.message} ({reason})"


def failure_message(exc: Exception) -> str | None:
    """The one-line message for an error the user can fix, or None for a bug."""
    if isinstance(exc, sa_exc.ArgumentError):  # also NoSuchModuleError: unknown dialect
        return f"--database-url is not a database URL Sales Pulse can use: {exc}"
    unavailable = database_unavailable(exc)
    if unavailable:
        return unavailable_message(exc, unavailable)
    if isinstance(exc, sa_exc.DBAPIError):
        text = f"{type(exc.orig).__name__} {exc.orig}".lower()
        if any(words in text for words in _NO_SCHEMA):
            return (
                "This database has no Sales Pulse tables yet: run `python -m dashapp init-db` "
                "first, or check --database-url."
            )
    if isinstance(exc, OSError) and exc.filename:
        return f"Cannot use {exc.filename}: {exc.strerror}."
    return None


@click.group(cls=CommandGroup)
@click.option(
    "--database-url", envvar="DATABASE_URL", help="SQLAlchemy URL (default data/sales.db)"
)
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """Sales Pulse: sales analytics on the command line."""
    ctx.ensure_object(dict)
    ctx.obj["database_url"] = database_url


def filter_options(func=None, *, segment_flag: str = "--segment"):
    """The filter options every reporting command takes. `segment_flag` names the customer
    segment's option where a command already has a --segment of its own (rfm's RFM segment)."""
    options = [
        click.option("--start", help="first day, YYYY-MM-DD"),
        click.option("--end", help="last day, YYYY-MM-DD"),
        click.option("--category", multiple=True, help="product line (repeatable)"),
        click.option("--product", multiple=True, help="product SKU (repeatable)"),
        click.option("--country", multiple=True, help="country (repeatable)"),
        click.option("--customer", multiple=True, help="customer id (repeatable)"),
        click.option("--status", multiple=True, help="order status (repeatable)"),
        click.option("--channel", multiple=True, help="sales channel (repeatable)"),
        click.option("--region", multiple=True, help="ship-to region (repeatable)"),
        click.option("--state", multiple=True, help="ship-to state or province (repeatable)"),
        click.option("--city", multiple=True, help="ship-to city (repeatable)"),
        click.option(
            segment_flag,
            "segment_filter",
            multiple=True,
            help="customer segment as on the order (repeatable)",
        ),
        click.option("--subcategory", multiple=True, help="product sub-category (repeatable)"),
        click.option(
            "--ship-mode",
            "ship_mode",
            multiple=True,
            help="ship mode: figures from the lines shipped so (repeatable)",
        ),
    ]

    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command

    return decorate(func) if func is not None else decorate


# The keyword each filter dimension arrives under (the rest: its own name).
_OPTION_DEST = {"segment": "segment_filter"}


def filters_from_options(opts: dict) -> Filters:
    """Build the filter object from the CLI options, or exit with the reason."""
    params: dict = {k: opts.get(k) for k in ("start", "end")}
    params.update({k: list(opts.get(_OPTION_DEST.get(k, k)) or ()) for k in DIMENSIONS})
    try:
        return Filters.from_params(params)
    except FilterError as exc:
        raise click.BadParameter(exc.reason, param_hint=_flag(exc.field)) from None


def _flag(field: str) -> str:
    """The command-line option of a filter field, as this command spells it."""
    dest = _OPTION_DEST.get(field, field)
    ctx = click.get_current_context(silent=True)
    for param in ctx.command.params if ctx is not None else ():
        if param.name == dest and param.opts:
            return param.opts[0]
    return "--" + field.replace("_", "-")


def _register_commands() -> None:
    # Each module in dashapp/commands adds its commands to `cli` when imported.
    import dashapp.commands

    for info in pkgutil.iter_modules(dashapp.commands.__path__):
        importlib.import_module(f"dashapp.commands.{info.name}")


_register_commands()
