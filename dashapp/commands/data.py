"""Commands that create or fill the database: init-db, import, demo."""

from __future__ import annotations

import sys
from datetime import date

import click

from dashapp.cli import cli, engine_from
from dashapp.store.migrate import upgrade


@cli.command("init-db")
@click.pass_context
def init_db(ctx: click.Context) -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    engine = engine_from(ctx)
    upgrade(engine)
    click.echo(f"Database ready: {engine.url.render_as_string(hide_password=True)}")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="map a field to a CSV column, e.g. --map order_id=Invoice",
)
@click.option("--encoding", help="the files' encoding (e.g. cp1252, cp850, utf-8)")
@click.option("--decimal", type=click.Choice([",", "."]), help="decimal mark of numbers")
@click.option(
    "--thousands",
    type=click.Choice([",", ".", "space"]),
    help="thousands separator of numbers (space covers no-break spaces too)",
)
@click.option("--date-format", help="dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd (any separator)")
@click.option(
    "--duplicates",
    type=click.Choice(["keep", "drop"]),
    help="rows repeating an earlier row of the same order exactly: keep or drop them",
)
@click.option("--no-customers", is_flag=True, help="import a file without a customer column")
@click.option(
    "--on-existing",
    type=click.Choice(["update", "skip"]),
    default="update",
    show_default=True,
    help="an order already stored that the file changes: replace it, or leave it as stored",
)
@click.option(
    "--overwrite-app-orders",
    is_flag=True,
    help="let the file replace orders that were entered or edited in the app",
)
@click.option("--strict", is_flag=True, help="import nothing if any row is rejected")
@click.option("--dry-run", is_flag=True, help="show what would happen, change nothing")
@click.option("--quiet", is_flag=True, help="no progress bar")
@click.pass_context
def import_command(
    ctx,
    paths: tuple[str, ...],
    mapping: tuple[str, ...],
    encoding: str | None,
    decimal: str | None,
    thousands: str | None,
    date_format: str | None,
    duplicates: str | None,
    no_customers: bool,
    on_existing: str,
    overwrite_app_orders: bool,
    strict: bool,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Import orders from CSV files, or every *.csv of a folder (one transaction per file).

    Every file is read before any is written: a file that cannot be read, or that needs an
    answer (an ambiguous date or number format, duplicates, no customer column), stops the
    import with the question and the option that answers it.
    """
    from dashapp.importer import ImportFileError, NeedsAnswer, ReadOptions
    from dashapp.importer.pipeline import csv_files, import_files
    from dashapp.importer.report import combined_summary
    from dashapp.importer.span import new_gap_warnings, order_months

    fields: dict[str, str] = {}
    for item in mapping:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(f"expected FIELD=COLUMN, got {item!r}", param_hint="--map")
        fields[field.strip()] = column.strip()
    options = ReadOptions(
        encoding=encoding,
        decimal=decimal,
        thousands=" " if thousands == "space" else thousands,
        date_format=date_format,
        duplicates=duplicates,
        no_customers=no_customers,
    )
    engine = engine_from(ctx)
    upgrade(engine)
    months_before = order_months(engine)
    try:
        files = csv_files(paths)
        reports = import_files(
            engine,
            files,
            mapping=fields or None,
            strict=strict,
            dry_run=dry_run,
            progress=not quiet,
            options=options,
            on_existing=on_existing,
            overwrite_app_orders=overwrite_app_orders,
        )
    except NeedsAnswer as question:
        click.echo(f"Error: {question}", err=True)
        for other in question.also:
            click.echo(f"Error: {other}", err=True)
        sys.exit(2)
    except ImportFileError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    for line in combined_summary(reports):
        click.echo(line)
    for warning in new_gap_warnings(engine, months_before):  # issue 18: years between the data
        click.echo(f"Warning: {warning}")
    several = len(reports) > 1
    for report in reports:
        where = f"{report.file} " if several else ""
        for reject in report.rejects:
            click.echo(f"  {where}line {reject.line}: {reject.reason}", err=True)
    if strict and any(report.rejects for report in reports):
        sys.exit(1)
    added = [r for r in reports if r.committed and r.orders_added > 0]
    if added:
        _check_anomalies(engine, added[-1])


def _check_anomalies(engine, report) -> None:
    """The automatic anomaly check after an import that added orders (SPEC §4.6)."""
    from dashapp.analytics.anomalies import check_after_import

    result = check_after_import(engine, report)
    if result is None:
        return
    click.echo(f"Anomaly check: {len(result.new)} new alert{'' if len(result.new) == 1 else 's'}")
    if result.webhook_error:
        click.echo(f"Webhook not delivered: {result.webhook_error}", err=True)


@cli.command("demo")
@click.option("--orders", default=50_000, show_default=True, type=click.IntRange(1, 20_000_000))
@click.option("--seed", default=42, show_default=True, type=click.IntRange(0))
@click.option("--end", "end_day", default=None, help="last order day (default: today)")
@click.option("--quiet", is_flag=True, help="no progress bar")
@click.pass_context
def demo_command(ctx, orders: int, seed: int, end_day: str | None, quiet: bool) -> None:
    """Generate realistic demo orders (trend, seasonality, promotions, injected drops)."""
    from dashapp.demo import DemoError, generate_demo

    try:
        end = date.fromisoformat(end_day) if end_day else None
    except ValueError:
        raise click.BadParameter(
            f"expected YYYY-MM-DD, got {end_day!r}", param_hint="--end"
        ) from None
    engine = engine_from(ctx)
    upgrade(engine)
    try:
        report = generate_demo(engine, orders=orders, seed=seed, end=end, progress=not quiet)
    except DemoError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    click.echo(report.summary())


@cli.command("rebuild-rollups")
@click.option("--check", "check_only", is_flag=True, help="only compare, change nothing")
@click.pass_context
def rebuild_rollups(ctx: click.Context, check_only: bool) -> None:
    """Recompute the daily rollups from the orders (or, with --check, compare them).

    Every write keeps the rollups exact; this repairs them after changes made outside the app
    (hand-written SQL) and --check proves they match. Exits 1 when --check finds a difference.
    """
    from dashapp.store import rollups
    from dashapp.store.db import write_transaction
    from dashapp.store.writes import changing_orders

    engine = engine_from(ctx)
    upgrade(engine)
    if check_only:
        with engine.connect() as conn:
            problems = rollups.check(conn)
        for problem in problems:
            click.echo(f"Mismatch: {problem}", err=True)
        if problems:
            click.echo("Rollups differ from the orders: run `rebuild-rollups` to repair.", err=True)
            sys.exit(1)
        click.echo("Rollups match the orders.")
        return
    # The write path's bulk case: every rollup rebuilt, every first-order date recomputed, a
    # new data version; no audit entry (nothing the user entered changed).
    with write_transaction(engine) as conn, changing_orders(conn, user=None, action=None) as change:
        counts = change.all_changed()
    for name, rows in counts.items():
        click.echo(f"{name:<30} {rows:>12,} rows")
    click.echo("Rollups rebuilt from the orders.")
