"""Order entry and exports from the command line: create-order, export."""

from __future__ import annotations

import contextlib

import click

from dashapp.cli import cli, filter_options, filters_from_options
from dashapp.commands import admin_account, initialised_engine, refusing

EXPORTS = ("orders", "products", "customers")


@cli.command("export")
@click.option("--what", type=click.Choice(EXPORTS), default="orders", show_default=True)
@filter_options
@click.option(
    "--sort",
    "sorts",
    multiple=True,
    metavar="COLUMN[:desc]",
    help="order history sort, e.g. --sort total:desc (repeatable; default date:desc)",
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.pass_context
def export_command(ctx: click.Context, what: str, sorts: tuple[str, ...], out: str, **opts) -> None:
    """Export orders (under the filters), products or customers as CSV, streamed to --out."""
    from dashapp.catalog.export import export_customers_csv, export_products_csv
    from dashapp.orders.history import HistoryQueryError, export_history_csv

    f = filters_from_options(opts)
    sort = [_sort_term(s) for s in sorts] or None
    engine = initialised_engine(ctx)
    with engine.connect() as conn:
        if what == "products":
            chunks = export_products_csv(conn)
        elif what == "customers":
            chunks = export_customers_csv(conn)
        else:
            try:
                chunks = export_history_csv(conn, f, sort)
            except HistoryQueryError as exc:
                raise click.BadParameter(str(exc), param_hint="--sort") from None
        # Opened only now, so a refused export leaves no empty file behind.
        with _output(out) as fh:
            for chunk in chunks:
                fh.write(chunk)
    if out != "-":
        click.echo(f"Exported {what} to {out}", err=True)


def _output(out: str):
    # newline="" keeps the CSV's own CRLF line ends; "-" is standard output.
    if out == "-":
        return contextlib.nullcontext(click.get_text_stream("stdout"))
    return open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115 - returned to a with


def _sort_term(text: str) -> tuple[str, str]:
    column, _, direction = text.partition(":")
    return column.strip(), (direction.strip() or "asc")


@cli.command("create-order")
@click.option("--customer", required=True, help="customer id")
@click.option(
    "--line",
    "lines",
    multiple=True,
    required=True,
    metavar="SKU:QTY[:PRICE[:DISCOUNT%]]",
    help="an order line, e.g. --line S10_1678:3 or --line CAR:2:99.50:10 (repeatable)",
)
@click.option("--date", "ordered_at", help="order date/time, YYYY-MM-DD[ HH:MM] (default now)")
@click.option("--status", default="Pending", show_default=True)
@click.option("--channel")
@click.option("--payment-type")
@click.option("--promo", is_flag=True, help="the order used a promotion")
@click.option("--note")
@click.option("--user", default="cli", show_default=True, help="recorded in the audit log")
@click.pass_context
def create_order_command(
    ctx: click.Context,
    customer: str,
    lines: tuple[str, ...],
    ordered_at: str | None,
    status: str,
    channel: str | None,
    payment_type: str | None,
    promo: bool,
    note: str | None,
    user: str,
) -> None:
    """Enter an order: same validation, stock moves and audit entry as the order grid."""
    from dashapp.orders import LineDraft, OrderDraft, create_order

    drafts = []
    for text in lines:
        parts = text.split(":")
        if len(parts) < 2 or len(parts) > 4 or not parts[0].strip():
            raise click.BadParameter(
                f"expected SKU:QTY[:PRICE[:DISCOUNT%]], got {text!r}", param_hint="--line"
            )
        sku, qty, price, discount = (parts + [None, None])[:4]
        drafts.append(LineDraft(sku.strip(), qty, price or None, discount or 0))
    draft = OrderDraft(
        customer_id=customer,
        lines=drafts,
        ordered_at=ordered_at,
        status=status,
        channel=channel,
        payment_type=payment_type,
        promo=promo,
        note=note,
    )
    engine = initialised_engine(ctx)
    with refusing("Order not saved:"):
        saved = create_order(engine, draft, admin_account(user))
    click.echo(f"Created order {saved.number} (id {saved.id}), total {saved.total:,}")
