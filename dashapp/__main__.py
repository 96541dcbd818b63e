"""`python -m dashapp ...` and the `sales-pulse` command: the command line."""

import sys

from dashapp.cli import cli
from dashapp.store.errors import database_unavailable

EX_TEMPFAIL = 75  # sysexits.h: a temporary failure, try again later


def main() -> None:
    """The `sales-pulse` command (the same as `python -m dashapp`)."""
    try:
        cli()
    except Exception as exc:
        unavailable = database_unavailable(exc)
        if unavailable is None:
            raise
        print(f"Error: {unavailable.message}", file=sys.stderr)
        sys.exit(EX_TEMPFAIL)


if __name__ == "__main__":
    main()
