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
    """The KPIs (revenue net of returns, orders, AOV, customers, units, units per order,
    cancellation rate; gross sales, returns, discounts, cost, profit, margin, cost coverage)."""
    from dashapp.analytics.kpis import cents_to_decimal, kpis

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
    click.echo(f"Gross sales        {cents_to_decimal(result.gross_sales_cents):>16,}")
    click.echo(f"Returns            {cents_to_decimal(-result.returns_cents):>16,}")
    click.echo(f"Discounts          {cents_to_decimal(result.discounts_cents):>16,}")
    if result.profit_cents is None:
        click.echo(f"Profit, margin     {result.profit_note:>16}")
        return
    click.echo(f"Cost               {cents_to_decimal(result.cost_cents):>16,}")
    click.echo(f"Profit             {cents_to_decimal(result.profit_cents):>16,}")
    if result.margin is not None:
        click.echo(f"Margin             {result.margin:>16.2%}")
    click.echo(f"Cost known for     {result.cost_coverage:>16.0%} of sales")


@cli.command("report")
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "pdf", "png"]),
    default="xlsx",
    show_default=True,
    help="workbook (one sheet per figure), or the page printed by Chromium",
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="file to write")
@click.option(
    "--granularity",
    type=click.Choice(["day", "week", "month", "quarter", "year"]),
    default="month",
    show_default=True,
)
@click.option("--top", "top_n", type=click.IntRange(5, 20), default=10, show_default=True)
@click.option("--top-by", type=click.Choice(["revenue", "units"]), default="revenue")
@click.option("--prepared-for", default="", help="the name written as 'prepared for'")
@click.option(
    "--section",
    default="overview",
    show_default=True,
    help="whose sheets: overview, insight, losses, pivot, targets, anomalies or forecast",
)
@click.pass_context
def report_command(
    ctx: click.Context,
    fmt: str,
    out: str,
    granularity: str,
    top_n: int,
    top_by: str,
    prepared_for: str,
    section: str,
    **opts,
) -> None:
    """A section's report under the filters: the same file as the page's Download menu. The
    command runs as the operator, who reads the whole business (targets, alerts, stock)."""
    from pathlib import Path

    from dashapp.auth import Account
    from dashapp.reports import page
    from dashapp.reports.view import SECTION_LABELS, view_report
    from dashapp.reports.workbook import write_view_workbook

    if section not in SECTION_LABELS:
        raise click.BadParameter(
            f"choose one of {', '.join(SECTION_LABELS)}", param_hint="--section"
        )
    f = filters_from_options(opts)
    operator = Account(0, prepared_for or "operator", "admin")
    with engine_from(ctx).connect() as conn:
        report = view_report(
            conn,
            f,
            section=section,
            granularity=granularity,
            top_n=top_n,
            top_by=top_by,
            user=prepared_for,
            account=operator,
        )
    try:
        if fmt == "xlsx":
            with open(out, "wb") as file:
                write_view_workbook(report, file)
        elif fmt == "pdf":
            Path(out).write_bytes(page.render_pdf(report))
        else:
            Path(out).write_bytes(page.render_png(report).png)
    except (page.RendererMissing, page.RenderFailed) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {out}: {report.filters_text}")
