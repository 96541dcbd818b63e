"""Anomaly check and reorder table on the command line."""

from __future__ import annotations

import json
from datetime import date

import click

from dashapp.analytics.anomalies import DEFAULT_MIN_SCORE
from dashapp.cli import cli, engine_from
from dashapp.commands import iso_day


def _scan_window(_ctx, _param, value: str) -> str | int:
    from dashapp.analytics.anomalies import scan_range

    try:
        return scan_range(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command("detect-anomalies")
@click.option(
    "--min-drop",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True),
    help="fraction lost against the 7-day median",
)
@click.option(
    "--min-score",
    default=DEFAULT_MIN_SCORE,
    show_default=True,
    type=click.FloatRange(0, min_open=True),
    help="robust z-score below -this",
)
@click.option(
    "--window",
    default=28,
    show_default=True,
    type=click.IntRange(7, 365),
    help="days in the median/MAD baseline",
)
@click.option(
    "--scan",
    "scan_window",
    default="new",
    show_default=True,
    callback=_scan_window,
    help="what to scan: 'new' (the first check: all the data; later ones: what changed since "
    "the last check and the 14 days before it), 'all', or a number of days",
)
@click.option("--since", callback=iso_day, help="first day to check (overrides --scan)")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(["total", "category", "product", "country"]),
    help="repeatable; default all",
)
@click.option("--webhook", help="POST new alerts as JSON to this http(s) URL")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_context
def detect_anomalies_command(
    ctx: click.Context,
    min_drop: float,
    min_score: float,
    window: int,
    scan_window: str | int,
    since: date | None,
    scopes: tuple[str, ...],
    webhook: str | None,
    as_json: bool,
) -> None:
    """Check daily revenue for drops and store new alerts (re-runs add no duplicates); open
    alerts whose day changed are judged again, and resolved when the drop is gone."""
    from dashapp.analytics.anomalies import INCOMPLETE_RULE, SCOPES, run_check

    result = run_check(
        engine_from(ctx),
        scopes=scopes or SCOPES,
        window=window,
        min_drop=min_drop,
        min_score=min_score,
        since=since,
        scan=scan_window,
        webhook_url=webhook,
    )
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    click.echo(f"{result.found} anomalies found, {len(result.new)} new")
    plan = result.plan
    if plan is not None and plan.since:
        click.echo(f"Scanned {plan.since} to {plan.until} ({plan.why}).")
    if plan is not None and plan.unscored:
        first, last = plan.unscored
        days = str(first) if first == last else f"{first} to {last}"
        click.echo(f"Not scored: {days}. {INCOMPLETE_RULE}")
    for a in result.new:
        who = ", ".join(d["key"] for d in a.drivers) or "-"
        click.echo(
            f"  {a.day}  {a.scope:<8} {a.key:<24} {a.baseline_cents / 100:>12,.2f} -> "
            f"{a.actual_cents / 100:>12,.2f}  -{a.drop_pct:.1f}%  score {a.score:.1f}  "
            f"drivers: {who}"
        )
    for alert_id, note in result.updated + result.resolved:
        click.echo(f"  alert {alert_id}: {note}")
    if result.webhook_error:
        click.echo(f"Webhook not delivered: {result.webhook_error}", err=True)


@cli.command("reorder")
@click.option("--today", callback=iso_day, help="reference day (default: the last order day)")
@click.option(
    "--window",
    default=28,
    show_default=True,
    type=click.IntRange(1, 365),
    help="days of sales for the velocity",
)
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, writable=True),
    help="write the table as CSV to this file",
)
@click.pass_context
def reorder_command(
    ctx: click.Context, today: date | None, window: int, as_json: bool, csv_path: str | None
) -> None:
    """Reorder table: days of cover and status per product, most pressing first."""
    import pandas as pd

    from dashapp.analytics.reorder import reorder_csv, reorder_recommendations

    if as_json and csv_path:
        raise click.UsageError("give --json or --csv, not both")
    with engine_from(ctx).connect() as conn:
        df = reorder_recommendations(conn, today=today, window_days=window)
    if csv_path:
        with open(csv_path, "w", encoding="utf-8", newline="") as fh:
            fh.write(reorder_csv(df))
        click.echo(f"{len(df)} products written to {csv_path}")
        return
    if as_json:
        records = df.astype(object).where(df.notna(), None).to_dict(orient="records")
        click.echo(json.dumps(records))
        return
    if df.empty:
        click.echo("No active products.")
        return
    click.echo(f"{'status':<13}{'sku':<16}{'stock':>8}{'units/day':>11}{'cover':>9}{'order':>8}")
    for r in df.itertuples():
        cover = "-" if pd.isna(r.days_of_cover) else f"{r.days_of_cover:.1f}"
        click.echo(
            f"{r.status:<13}{r.sku:<16}{r.stock:>8}{r.avg_daily_units:>11.2f}{cover:>9}"
            f"{r.suggested_order_qty:>8}"
        )
