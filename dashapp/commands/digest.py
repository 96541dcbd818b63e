"""`python -m dashapp digest --to ...`: build a digest and send it now."""

from __future__ import annotations

from datetime import date

import click

from dashapp.cli import cli, engine_from
from dashapp.digests.content import PERIODS


def _iso_day(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


@cli.command("digest")
@click.option(
    "--to",
    "recipients",
    multiple=True,
    required=True,
    help="an email address or an http(s):// Slack-compatible webhook URL (repeatable)",
)
@click.option("--period", type=click.Choice(PERIODS), default="daily", show_default=True)
@click.option(
    "--today",
    callback=_iso_day,
    help="the day it is sent (default: today); it covers the last complete day or week before",
)
@click.pass_context
def digest_command(
    ctx: click.Context, recipients: tuple[str, ...], period: str, today: date | None
) -> None:
    """Send a digest now: KPIs against the period before, new alerts, what to reorder."""
    from dashapp.digests.content import build_digest
    from dashapp.digests.delivery import DeliveryError, check_recipients, deliver
    from dashapp.digests.render import period_title
    from dashapp.settings import Settings

    settings = Settings.from_env()
    try:
        check_recipients(list(recipients), settings)
    except DeliveryError as exc:
        raise click.BadParameter(str(exc), param_hint="--to") from None
    with engine_from(ctx).connect() as conn:
        digest = build_digest(conn, period, today)
    results = deliver(digest, list(recipients), settings)
    click.echo(period_title(digest))
    for r in results:
        if r.error:
            click.echo(f"Not delivered to {r.recipient} ({r.channel}): {r.error}", err=True)
        else:
            click.echo(f"Sent to {r.recipient} ({r.channel})")
    if any(r.error for r in results):
        ctx.exit(1)
