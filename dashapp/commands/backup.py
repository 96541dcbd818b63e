"""Backup commands: `backup --out F` and `restore F` (the same checks as the admin page)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dashapp.backup import BackupError, backup, backup_dir, backup_name, restore, verify_backup
from dashapp.cli import cli, engine_from


@cli.command("backup")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    help="file to write (default: data/backups/backup-<time>.sqlite or .jsonl.gz)",
)
@click.pass_context
def backup_command(ctx, out: str | None) -> None:
    """Write a consistent copy of the database and check it."""
    engine = engine_from(ctx)
    path = Path(out) if out else backup_dir() / backup_name(engine)
    try:
        info = backup(engine, path)
    except BackupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    click.echo(
        f"Backup written: {info.path} ({info.size:,} bytes, schema {info.revision}, "
        f"{info.orders:,} orders)"
    )


@cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@click.pass_context
def restore_command(ctx, path: str, yes: bool) -> None:
    """Replace all data with a backup, after backing up the current state."""
    engine = engine_from(ctx)
    try:
        info = verify_backup(path)
    except BackupError as exc:
        click.echo(f"Refused: {exc} Nothing was changed.", err=True)
        sys.exit(2)
    if not yes:
        click.confirm(
            f"Replace ALL data with {info.path.name} ({info.orders:,} orders, schema "
            f"{info.revision})? The current data is backed up first.",
            abort=True,
        )
    try:
        report = restore(engine, path, user="cli")
    except BackupError as exc:
        click.echo(f"Refused: {exc} Nothing was changed.", err=True)
        sys.exit(2)
    click.echo(f"Current data backed up to {report.safety_backup.path}")
    click.echo(
        f"Restored {info.path.name}: "
        + ", ".join(f"{name} {n:,}" for name, n in sorted(report.counts.items()))
    )
