"""Customer insight commands: RFM scores and segments."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dashapp.cli import cli, engine_from, filter_options, filters_from_options
from dashapp.commands import reading_orders
from dashapp.segments.grid import SEGMENTS


@cli.command("rfm")
# --segment is the RFM segment listed here; the customer segment on the orders is
# --order-segment.
@filter_options(segment_flag="--order-segment")
@click.option(
    "--segment",
    type=click.Choice(SEGMENTS, case_sensitive=False),
    help="list only this segment's customers",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="write the listed customers as CSV for a mailing ('-' for standard output)",
)
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--json", "as_json", is_flag=True, help="print JSON (customers, segments, R x F heatmap)"
)
@click.pass_context
def rfm_command(
    ctx: click.Context,
    segment: str | None,
    csv_path: str | None,
    top: int,
    as_json: bool,
    **opts,
) -> None:
    """RFM scores and named segments per customer, with a summary and action per segment."""
    from dashapp.segments import (
        customer_records,
        heatmap_records,
        members_csv,
        rf_heatmap,
        rfm_period_end,
        rfm_scores,
        segment_members,
        segment_summary,
        summary_records,
    )

    f = filters_from_options(opts)
    with reading_orders(), engine_from(ctx).connect() as conn:
        scores = rfm_scores(conn, f)
        end = rfm_period_end(conn, f)
    members = segment_members(scores, segment)
    if csv_path == "-":
        # Bytes, so the CSV's CRLF line ends reach the pipe unchanged.
        click.echo(members_csv(scores, segment).encode(), nl=False)
        return
    if csv_path:
        try:
            Path(csv_path).write_text(members_csv(scores, segment), encoding="utf-8", newline="")
        except OSError as exc:
            raise click.ClickException(f"cannot write {csv_path}: {exc.strerror}") from None
        click.echo(f"Wrote {len(members)} customers to {csv_path}", err=True)
    summary = segment_summary(scores)
    if as_json:
        payload = {
            "period_end": end.isoformat() if end else None,
            "segment": segment,
            "customers": customer_records(members),
            "segments": summary_records(summary),
            "heatmap": heatmap_records(rf_heatmap(scores)),
        }
        click.echo(json.dumps(payload))
        return
    _print_report(summary, members.head(top), end, scored=len(scores))


def _print_report(summary, members, end, scored: int) -> None:
    from dashapp.analytics.kpis import cents_to_decimal

    if not scored:
        click.echo("No customers with orders under these filters.")
        return
    click.echo(f"{scored:,} customers scored; recency counted to {end.isoformat()}.")
    click.echo("")
    click.echo(f"{'Priority':<8} {'Segment':<18} {'Customers':>9} {'Share':>6} {'Revenue':>15}")
    for row in summary.itertuples(index=False):
        revenue = cents_to_decimal(row.revenue_cents)
        click.echo(
            f"{row.priority:<8} {row.segment:<18} {row.customers:>9,} {row.share:>6.1%} "
            f"{revenue:>15,}  {row.action}"
        )
    click.echo("")
    click.echo(f"{'Customer':<32} {'R':>2} {'F':>2} {'M':>2} {'Monetary':>15}  Segment")
    for row in members.itertuples(index=False):
        monetary = cents_to_decimal(row.monetary_cents)
        click.echo(
            f"{row.name[:32]:<32} {row.r:>2} {row.f:>2} {row.m:>2} {monetary:>15,}  {row.segment}"
        )
