"""Forecast command: the same forecast and backtest the Forecast section shows."""

from __future__ import annotations

import json
import sys

import click

from dashapp.cli import cli, engine_from, filter_options, filters_from_options


@cli.command("forecast")
@filter_options
@click.option("--horizon", default=30, show_default=True, help="days ahead, 7-365")
@click.option(
    "--model",
    type=click.Choice(["auto", "ets", "sarimax", "naive"]),
    default="auto",
    show_default=True,
    help="auto = the model with the best backtest",
)
@click.option(
    "--level",
    type=click.Choice(["80", "90", "95", "0.8", "0.9", "0.95"]),
    default="80",
    show_default=True,
    help="prediction interval, in %",
)
@click.option(
    "--measure", type=click.Choice(["revenue", "units"]), default="revenue", show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_context
def forecast_command(
    ctx: click.Context, horizon: int, model: str, level: str, measure: str, as_json: bool, **opts
) -> None:
    """Forecast daily revenue or units (whole business, or the filtered category/product)."""
    from dashapp.analytics.forecasting import InsufficientHistory, daily_series, forecast

    f = filters_from_options(opts)
    with engine_from(ctx).connect() as conn:
        series = daily_series(conn, f, measure)
    try:
        result = forecast(series, horizon, model, float(level))
    except InsufficientHistory as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    data = result.as_json()
    bt = data["backtest"]
    click.echo(f"{measure.capitalize()} forecast, {data['horizon']} days, model {result.model}")
    click.echo(f"History {data['history_start']} .. {data['history_end']}")
    if bt:
        verdict = {True: "beats", False: "does not beat", None: "cannot be compared with"}
        click.echo(
            f"Backtest on the last {bt['holdout_days']} days: MAPE {_pct(bt['mape'])}, "
            f"MASE {_num(bt['mase'])} (seasonal naive: MAPE {_pct(bt['naive_mape'])}, "
            f"MASE {_num(bt['naive_mase'])}); {verdict[bt['beats_naive']]} seasonal naive"
        )
    for note in data["notes"]:
        click.echo(f"Note: {note}")
    pct = round(result.level * 100)
    click.echo(f"{'date':<12}{'forecast':>14}{f'low {pct}%':>14}{f'high {pct}%':>14}")
    for p in data["forecast"]:
        click.echo(f"{p['date']:<12}{p['mean']:>14,.2f}{p['lower']:>14,.2f}{p['upper']:>14,.2f}")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
