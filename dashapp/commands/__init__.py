"""CLI commands, one module per concern; each registers itself on `dashapp.cli.cli`."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import NoReturn

import click


def iso_day(_ctx, _param, value: str | None) -> date | None:
    """Option callback: a YYYY-MM-DD day (None when not given), or a usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


def refuse(errors: Iterable[object], heading: str = "Nothing was changed:") -> NoReturn:
    """Say on stderr why a change was refused, one error a line under `heading`; exit 1."""
    click.echo(heading, err=True)
    for error in errors:
        click.echo(f"  {error}", err=True)
    sys.exit(1)


@contextmanager
def refusing(heading: str = "Nothing was changed:") -> Iterator[None]:
    """A ValidationError raised in the block is refused: every bad field said, exit 1."""
    from dashapp.validation import ValidationError

    try:
        yield
    except ValidationError as exc:
        refuse(exc.errors, heading)


@contextmanager
def reading_orders() -> Iterator[None]:
    """A database without the schema in the block: a usage error saying what to run first."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        yield
    except (OperationalError, ProgrammingError) as exc:
        raise click.ClickException(
            f"cannot read the orders ({exc.orig}); run `python -m dashapp init-db` "
            "and import or generate data first"
        ) from None


def user_account(conn, username: str | None):
    """The active user `--user` names; with no name, a viewer who sees the shared views and
    the whole business. A usage error for a name that is no active user."""
    from sqlalchemy import select

    from dashapp.auth import Account, get_account
    from dashapp.store.models import User

    if not username:
        return Account(0, "command line", "viewer")
    user_id = conn.execute(select(User.id).where(User.username == username)).scalar()
    account = get_account(conn, user_id) if user_id is not None else None
    if account is None:
        raise click.BadParameter(f"no active user named {username!r}", param_hint="--user")
    return account


def initialised_engine(ctx: click.Context):
    """The command's engine; a usage error when the database has no schema yet."""
    from dashapp.cli import engine_from
    from dashapp.store.migrate import is_initialised

    engine = engine_from(ctx)
    if not is_initialised(engine):
        raise click.ClickException("the database is empty: run `python -m dashapp init-db` first")
    return engine


def admin_account(user: str):
    """Whoever runs the CLI holds the database itself: they act with the admin role."""
    from dashapp.auth import Account

    return Account(0, user, "admin")
