"""The pivot command: one measure by rows and columns, with totals (SPEC §4.8), the same
answer as /api/pivot and the Pivot section."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from dashapp.analytics.pivot import DIMENSIONS, MAX_COLUMNS, MAX_ROWS, MEASURES, as_table, pivot
from dashapp.cli import cli, engine_from, filter_options, filters_from_options
from dashapp.commands import reading_orders


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return "n/a" if kind == "percent" else "-"
    if kind == "percent":
        return f"{value:,.2f} %"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


@cli.command("pivot")
@filter_options
@click.option("--rows", "rows", type=click.Choice(list(DIMENSIONS)), default="category",
              show_default=True, help="row dimension")  # fmt: skip
@click.option("--columns", "columns", type=click.Choice(list(DIMENSIONS)),
              help="column dimension (none: one Total column)")  # fmt: skip
@click.option("--measure", type=click.Choice(list(MEASURES)), default="revenue",
              show_default=True)  # fmt: skip
@click.option("--max-rows", type=click.IntRange(1, MAX_ROWS), default=50, show_default=True)
@click.option("--max-columns", type=click.IntRange(1, MAX_COLUMNS), default=24, show_default=True)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="write the table as CSV ('-' for standard output)")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="print JSON (the API's answer)")
@click.pass_context
def pivot_command(ctx: click.Context, rows: str, columns: str | None, measure: str,
                  max_rows: int, max_columns: int, csv_path: str | None, as_json: bool,
                  **opts) -> None:  # fmt: skip
    """One measure by rows and columns, with row, column and grand totals."""
    from dashapp.csv_writer import csv_document

    if columns == rows:
        raise click.BadParameter("rows and columns are the same dimension", param_hint="--columns")
    f = filters_from_options(opts)
    with reading_orders(), engine_from(ctx).connect() as conn:
        p = pivot(conn, f, rows, columns, measure, max_rows=max_rows, max_columns=max_columns)
    header, body = as_table(p)
    hidden = []
    if p.rows_found > len(p.row_labels):
        hidden.append(f"{len(p.row_labels)} of {p.rows_found:,} rows")
    if p.columns_found > len(p.column_labels):
        hidden.append(f"{len(p.column_labels)} of {p.columns_found:,} columns")
    capped = f"Showing {' and '.join(hidden)} (largest first); totals count them all."
    if csv_path:
        text = csv_document(header, body)
        if csv_path == "-":
            click.echo(text.encode(), nl=False)
            if hidden:
                click.echo(capped, err=True)
            return
        try:
            Path(csv_path).write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise click.ClickException(f"cannot write {csv_path}: {exc.strerror}") from None
        click.echo(f"Wrote {len(body) - 1} rows to {csv_path}", err=True)
        if hidden:
            click.echo(capped, err=True)
        return
    if as_json:
        click.echo(json.dumps({"header": header, "rows": [[_plain(v) for v in r] for r in body],
                               "kind": p.kind, "rows_found": p.rows_found,
                               "columns_found": p.columns_found}))  # fmt: skip
        return
    kind = p.kind
    cells = [header] + [[str(r[0])] + [_shown(v, kind) for v in r[1:]] for r in body]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    widths[0] = min(widths[0], 40)
    for n, row in enumerate(cells):
        first = row[0][:40].ljust(widths[0])
        click.echo(
            "  ".join([first, *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))])
        )
        if n == 0 or n == len(cells) - 2:
            click.echo("-" * (sum(widths) + 2 * (len(widths) - 1)))
    if hidden:
        click.echo(capped)
