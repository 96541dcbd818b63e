"""`python -m dashapp targets list|set|import`: the targets the Overview measures progress
against, through the same domain functions as the Targets page and /api/targets."""

from __future__ import annotations

from datetime import date

import click

from dashapp.cli import cli
from dashapp.commands import admin_account, initialised_engine, refuse, refusing


@cli.group("targets")
def targets_group() -> None:
    """Monthly or quarterly targets for revenue, orders or profit: list, set and import them."""


@targets_group.command("list")
@click.option(
    "--as-of", "as_of", help="progress on this day, YYYY-MM-DD (default: the last order day)"
)
@click.pass_context
def list_command(ctx: click.Context, as_of: str | None) -> None:
    """Every target with its progress and projection."""
    from dashapp.analytics.kpis import resolve_range
    from dashapp.filters import Filters
    from dashapp.targets import list_targets, progress
    from dashapp.targets.records import amount_text

    engine = initialised_engine(ctx)
    with engine.connect() as conn:
        found = list_targets(conn, admin_account("cli"))
        if as_of:
            try:
                day = date.fromisoformat(as_of)
            except ValueError:
                raise click.BadParameter(f"expected YYYY-MM-DD, got {as_of!r}") from None
        else:
            day = resolve_range(conn, Filters()).end
        if not found:
            click.echo("No targets.")
            return
        if day is not None:
            click.echo(f"Progress to {day:%d %b %Y}")
        for t in found:
            line = (
                f"{t.id:>5}  {t.period_key:<8} {t.metric:<8} {t.scope_text:<30} "
                f"{amount_text(t.metric, t.amount):>16}"
            )
            if day is not None:
                p = progress(conn, t, day)
                actual = "n/a" if p.actual is None else amount_text(t.metric, p.actual)
                line += f"  actual {actual:>14}  {p.status}"
                if p.projection is not None:
                    proj = p.projection
                    line += f"  projected {amount_text(t.metric, proj.value)}"
                    if proj.low is not None and proj.high is not None:
                        line += (
                            f" ({amount_text(t.metric, proj.low)} - "
                            f"{amount_text(t.metric, proj.high)})"
                        )
                    line += f" [{proj.method}]"
            click.echo(line)


@targets_group.command("set")
@click.argument("period")
@click.argument("metric")
@click.argument("amount")
@click.option(
    "--scope",
    default="business",
    show_default=True,
    help="business, category, region or user",
)
@click.option("--key", help="the category, region or username the target is for")
@click.option("--user", default="cli", show_default=True, help="recorded in the audit log")
@click.pass_context
def set_command(
    ctx: click.Context,
    period: str,
    metric: str,
    amount: str,
    scope: str,
    key: str | None,
    user: str,
) -> None:
    """Set one target, e.g. `targets set 2024-03 revenue 10000.00` or
    `targets set 2024-Q2 orders 120 --scope category --key "Classic Cars"`."""
    from dashapp.targets import TargetDraft, set_target

    draft = TargetDraft(period=period, metric=metric, amount=amount, scope=scope, key=key)
    with refusing():
        saved = set_target(initialised_engine(ctx), draft, admin_account(user))
    click.echo(f"Set {saved.describe()}: {saved.amount_text()} (id {saved.id})")


@targets_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--user", default="cli", show_default=True, help="recorded in the audit log")
@click.pass_context
def import_command(ctx: click.Context, path: str, user: str) -> None:
    """Set every target of a CSV file (period,metric,scope,key,amount), all or none."""
    from dashapp.targets import decode, on_file_lines, read_targets_csv, set_targets
    from dashapp.validation import ValidationError

    with click.open_file(path, "rb") as fh:
        raw = fh.read()
    lines: list[int] = []
    try:
        drafts, lines = read_targets_csv(decode(raw))
        labels = [f"line {n}" for n in lines]
        saved = set_targets(initialised_engine(ctx), drafts, admin_account(user), labels)
    except ValidationError as exc:
        problems = on_file_lines(exc, lines) if lines else [e.message for e in exc.errors]
        refuse(problems, "Nothing was imported:")
    click.echo(f"Set {len(saved):,} target(s) from {path}")
