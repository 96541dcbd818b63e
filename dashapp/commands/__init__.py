"""CLI commands, one module per concern; each registers itself on `dashapp.cli.cli`."""

from __future__ import annotations

from datetime import date

import click


def iso_day(_ctx, _param, value: str | None) -> date | None:
    """Option callback: a YYYY-MM-DD day (None when not given), or a usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


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
