"""`python -m dashapp ...`: the command line."""

from dashapp.cli import cli

cli()
