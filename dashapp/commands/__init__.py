"""CLI commands, one module per concern; each registers itself on `dashapp.cli.cli`."""
