"""The command line: `python -m dashapp COMMAND`. Each command calls the same domain
functions as the page and the API."""

from __future__ import annotations

import json
import sys
from datetime import date

import click

from dashapp.filters import FilterError, Filters
from dashapp.store.db import get_engine
from dashapp.store.migrate import upgrade


def _engine(ctx: click.Context):
    return get_engine(ctx.obj.get("database_url") if ctx.obj else None)


@click.group()
@click.option(
    "--database-url", envvar="DATABASE_URL", help="SQLAlchemy URL (default data/sales.db)"
)
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """Sales Pulse: sales analytics on the command line."""
    ctx.ensure_object(dict)
    ctx.obj["database_url"] = database_url


@cli.command("init-db")
@click.pass_context
def init_db(ctx: click.Context) -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    engine = _engine(ctx)
    upgrade(engine)
    click.echo(f"Database ready: {engine.url.render_as_string(hide_password=True)}")


def filter_options(func):
    """The filter options every reporting command takes."""
    options = [
        click.option("--start", help="first day, YYYY-MM-DD"),
        click.option("--end", help="last day, YYYY-MM-DD"),
        click.option("--category", multiple=True, help="product line (repeatable)"),
        click.option("--product", multiple=True, help="product SKU (repeatable)"),
        click.option("--country", multiple=True, help="country (repeatable)"),
        click.option("--customer", multiple=True, help="customer id (repeatable)"),
        click.option("--status", multiple=True, help="order status (repeatable)"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def filters_from_options(opts: dict) -> Filters:
    """Build the filter object from the CLI options, or exit with the reason."""
    params = {k: opts.get(k) for k in ("start", "end")}
    params.update({k: list(opts.get(k) or ()) for k in ("category", "product", "country")})
    params.update({k: list(opts.get(k) or ()) for k in ("customer", "status")})
    try:
        return Filters.from_params(params)
    except FilterError as exc:
        raise click.BadParameter(exc.reason, param_hint=f"--{exc.field}") from None


@cli.command("kpis")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_context
def kpis_command(ctx: click.Context, as_json: bool, **opts) -> None:
    """The KPIs (revenue, orders, AOV, customers, units, cancellation rate)."""
    from dashapp.analytics.kpis import kpis

    f = filters_from_options(opts)
    with _engine(ctx).connect() as conn:
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
    click.echo(f"Cancellation rate  {data['cancellation_rate']:>16.2%}")


@cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="map a field to a CSV column, e.g. --map order_id=Invoice",
)
@click.option("--strict", is_flag=True, help="import nothing if any row is rejected")
@click.option("--dry-run", is_flag=True, help="show what would happen, change nothing")
@click.option("--quiet", is_flag=True, help="no progress bar")
@click.pass_context
def import_command(
    ctx, path: str, mapping: tuple[str, ...], strict: bool, dry_run: bool, quiet: bool
) -> None:
    """Import orders from a CSV file (idempotent, one transaction)."""
    from dashapp.importer import ImportFileError, import_csv

    fields: dict[str, str] = {}
    for item in mapping:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(f"expected FIELD=COLUMN, got {item!r}", param_hint="--map")
        fields[field.strip()] = column.strip()
    engine = _engine(ctx)
    upgrade(engine)
    try:
        report = import_csv(
            engine, path, mapping=fields or None, strict=strict, dry_run=dry_run, progress=not quiet
        )
    except ImportFileError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    for line in report.summary_lines():
        click.echo(line)
    for reject in report.rejects:
        click.echo(f"  line {reject.line}: {reject.reason}", err=True)
    if report.rejects and strict:
        sys.exit(1)


@cli.command("demo")
@click.option("--orders", default=50_000, show_default=True, type=click.IntRange(1, 20_000_000))
@click.option("--seed", default=42, show_default=True, type=int)
@click.option("--end", "end_day", default=None, help="last order day (default: today)")
@click.option("--quiet", is_flag=True, help="no progress bar")
@click.pass_context
def demo_command(ctx, orders: int, seed: int, end_day: str | None, quiet: bool) -> None:
    """Generate realistic demo orders (trend, seasonality, promotions, injected drops)."""
    from dashapp.demo import generate_demo

    engine = _engine(ctx)
    upgrade(engine)
    end = date.fromisoformat(end_day) if end_day else None
    report = generate_demo(engine, orders=orders, seed=seed, end=end, progress=not quiet)
    click.echo(report.summary())


if __name__ == "__main__":
    cli()
