"""`python -m dashapp alerts list|add|remove|check`: KPI alert rules and the alerts they fire,
through the same domain functions as the Anomalies page and /api/alert-rules."""

from __future__ import annotations

import json
from datetime import date

import click

from dashapp.cli import cli
from dashapp.commands import admin_account, initialised_engine, iso_day, refusing


@cli.group("alerts")
def alerts_group() -> None:
    """KPI alert rules ("revenue of Planes in France per week below 1000"): list, add, remove
    and check them."""


@alerts_group.command("list")
@click.option("--fired", is_flag=True, help="list the alerts the rules fired instead")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_context
def list_command(ctx: click.Context, fired: bool, as_json: bool) -> None:
    """Every rule (or, with --fired, every alert they fired, newest period first)."""
    from dashapp.alerts import list_kpi_alerts, list_rules

    with initialised_engine(ctx).connect() as conn:
        if fired:
            found = list_kpi_alerts(conn, admin_account("cli"))
            if as_json:
                click.echo(json.dumps(found, default=str))
                return
            if not found:
                click.echo("No alerts fired.")
            for a in found:
                click.echo(f"{a['id']:>5}  {a['status']:<12} {a['text']}")
            return
        rules = list_rules(conn, admin_account("cli"))
    if as_json:
        click.echo(json.dumps([r.as_json() for r in rules]))
        return
    if not rules:
        click.echo("No alert rules.")
    for r in rules:
        state = "on " if r.enabled else "off"
        click.echo(f"{r.id:>5}  {state} {r.name}: {r.describe()}")


@alerts_group.command("add")
@click.argument("name")
@click.argument("metric")
@click.argument("comparison")
@click.argument("threshold")
@click.option("--filter", "filter_query", default="", help="e.g. category=Planes&country=France")
@click.option(
    "--period",
    default="week",
    show_default=True,
    help="day, week, month, week_to_date or month_to_date",
)
@click.option("--disabled", is_flag=True, help="add it switched off")
@click.option("--user", default="cli", show_default=True, help="recorded in the audit log")
@click.pass_context
def add_command(
    ctx: click.Context,
    name: str,
    metric: str,
    comparison: str,
    threshold: str,
    filter_query: str,
    period: str,
    disabled: bool,
    user: str,
) -> None:
    """Add a rule, e.g. `alerts add "Planes in France" revenue below 1000.00 --filter
    "category=Planes&country=France"`, `alerts add Cancels cancellation_rate above 5`,
    `alerts add Behind revenue behind_target 10 --period month_to_date`."""
    from dashapp.alerts import RuleDraft, add_rule

    draft = RuleDraft(
        name=name,
        metric=metric,
        threshold=threshold,
        comparison=comparison,
        period=period,
        filter=filter_query,
        enabled=not disabled,
    )
    with refusing():
        rule = add_rule(initialised_engine(ctx), draft, admin_account(user))
    click.echo(f"Added rule {rule.id}, {rule.name}: {rule.describe()}")


@alerts_group.command("remove")
@click.argument("rule_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--user", default="cli", show_default=True, help="recorded in the audit log")
@click.pass_context
def remove_command(ctx: click.Context, rule_id: int, user: str) -> None:
    """Remove a rule and the alerts it fired."""
    from dashapp.alerts import remove_rule

    try:
        rule = remove_rule(initialised_engine(ctx), rule_id, admin_account(user))
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Removed rule {rule.id}, {rule.name}")


@alerts_group.command("check")
@click.option("--today", callback=iso_day, help="judge as on this day (default: today)")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_context
def check_command(ctx: click.Context, today: date | None, as_json: bool) -> None:
    """Judge every enabled rule over its complete periods: fire, update or resolve alerts."""
    from dashapp.alerts import COMPLETE_RULE, check_rules

    result = check_rules(initialised_engine(ctx), today=today)
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    click.echo(
        f"{len(result.rule_ids)} rule(s), {result.judged} period(s) judged, "
        f"{len(result.fired)} alert(s) fired, {len(result.resolved)} resolved"
    )
    for _, text in result.fired:
        click.echo(f"  fired: {text}")
    for alert_id, note in result.updated + result.resolved:
        click.echo(f"  alert {alert_id}: {note}")
    click.echo(COMPLETE_RULE)
