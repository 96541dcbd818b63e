"""Reporting commands: the same numbers the page shows."""

from __future__ import annotations

import json

import click

from dashapp.cli import cli, engine_from, filter_options, filters_from_options


@cli.command("kpis")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_context
def kpis_command(ctx: click.Context, as_json: bool, **opts) -> None:
    """The KPIs (revenue, orders, AOV, customers, units, units per order, cancellation rate)."""
    from dashapp.analytics.kpis import kpis

    f = filters_from_options(opts)
    with engine_from(ctx).connect() as conn:
        result = kpis(conn, f)
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    data = result.as_json()
    click.echo(f"Revenue            {result.revenue:>16,}")
    click.echo(f"Orders             {data['orders']:>16,}")
    click.echo(f"AOV                {result.aov:>16,}")
    click.echo(f"Customers          {data['customers']:>16,}")
    click.echo(f"Units              {data['units']:>16,}")
    click.echo(f"Units per order    {result.units_per_order:>16,}")
    click.echo(f"Cancellation rate  {data['cancellation_rate']:>16.2%}")
