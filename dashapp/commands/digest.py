"""`python -m dashapp digest --to ...`: build a digest and send it now."""

from __future__ import annotations

from datetime import date

import click

from dashapp.cli import cli, engine_from
from dashapp.commands import iso_day, user_account
from dashapp.digests.content import PERIODS


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
    callback=iso_day,
    help="the day it is sent (default: today); it covers the last complete day or week before",
)
@click.option("--view", "view_ref", help="a saved view (name or id): the KPIs under its filters")
@click.option(
    "--user",
    "username",
    help="whose view and role (default: shared views only, the whole business)",
)
@click.pass_context
def digest_command(
    ctx: click.Context,
    recipients: tuple[str, ...],
    period: str,
    today: date | None,
    view_ref: str | None,
    username: str | None,
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
        filters, view = view_filters(conn, view_ref, username)
        digest = build_digest(conn, period, today, filters, view)
    results = deliver(digest, list(recipients), settings)
    click.echo(period_title(digest))
    for r in results:
        if r.error:
            click.echo(f"Not delivered to {r.recipient} ({r.channel}): {r.error}", err=True)
        else:
            click.echo(f"Sent to {r.recipient} ({r.channel})")
    if any(r.error for r in results):
        ctx.exit(1)


def view_filters(conn, view_ref: str | None, username: str | None):
    """(filters, view name) for `--view` and `--user`: the user's role applies to the view."""
    from dashapp.filters import Filters
    from dashapp.validation import ValidationError
    from dashapp.views import find_view

    account = user_account(conn, username)
    filters = Filters().for_account(account)
    if not view_ref:
        return filters, None
    try:
        view = find_view(conn, account, view_ref)
    except (LookupError, ValidationError) as exc:
        raise click.BadParameter(str(exc), param_hint="--view") from None
    return view.filters.for_account(account), view.name


@cli.group("digest-schedule")
def digest_schedule_group() -> None:
    """Scheduled digests: add, list and remove them. They are sent by Celery beat when
    CELERY_BROKER_URL is set, else by the web server's own scheduler thread."""


@digest_schedule_group.command("add")
@click.option(
    "--user", "username", required=True, help="whose digest (an admin, manager or viewer)"
)
@click.option("--period", type=click.Choice(PERIODS), default="daily", show_default=True)
@click.option("--to", "recipient", required=True, help="an email address or an http(s) webhook")
@click.option(
    "--hour",
    type=click.IntRange(0, 23),
    default=7,
    show_default=True,
    help="server local hour it goes out at (weekly: on Mondays)",
)
@click.option("--view", "view_ref", help="a saved view the user sees (name or id)")
@click.pass_context
def add_schedule_command(
    ctx: click.Context, username: str, period: str, recipient: str, hour: int, view_ref: str | None
) -> None:
    """Schedule a user's daily or weekly digest."""
    from sqlalchemy import select

    from dashapp.auth import get_account
    from dashapp.digests.schedule import add_schedule
    from dashapp.store.models import User
    from dashapp.views import find_view

    engine = engine_from(ctx)
    with engine.connect() as conn:
        user_id = conn.execute(select(User.id).where(User.username == username)).scalar()
    if user_id is None:
        raise click.BadParameter(f"no user named {username!r}", param_hint="--user")
    view_id = view_name = None
    if view_ref:
        with engine.connect() as conn:
            _, view_name = view_filters(conn, view_ref, username)
            view_id = find_view(conn, get_account(conn, user_id), view_ref).id
    try:
        schedule_id = add_schedule(engine, user_id, period, recipient, hour, view_id)
    except (ValueError, PermissionError, LookupError) as exc:
        raise click.UsageError(str(exc)) from None
    under = f", view {view_name!r}" if view_name else ""
    click.echo(
        f"Schedule {schedule_id}: {period} digest for {username} to {recipient} at {hour}:00"
        + under
    )


@digest_schedule_group.command("list")
@click.pass_context
def list_schedules_command(ctx: click.Context) -> None:
    """Every digest schedule."""
    from dashapp.digests.schedule import list_schedules

    rows = list_schedules(engine_from(ctx))
    if not rows:
        click.echo("No digest schedules.")
    for r in rows:
        state = "" if r["active"] else " (paused)"
        state += f" view {r['view']!r}" if r.get("view") else ""
        click.echo(
            f"{r['id']:>4}  {r['period']:<7} {r['hour']:>2}:00  {r['username']:<20} "
            f"{r['recipient']}{state}"
        )


@digest_schedule_group.command("remove")
@click.argument("schedule_id", type=int)
@click.pass_context
def remove_schedule_command(ctx: click.Context, schedule_id: int) -> None:
    """Delete a digest schedule."""
    from dashapp.digests.schedule import remove_schedule

    try:
        remove_schedule(engine_from(ctx), schedule_id)
    except LookupError as exc:
        raise click.BadParameter(str(exc), param_hint="SCHEDULE_ID") from None
    click.echo(f"Schedule {schedule_id} removed.")
