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
