"""`python -m dashapp ...`: the command line."""

import sys

from dashapp.cli import cli
from dashapp.store.errors import database_unavailable

EX_TEMPFAIL = 75  # sysexits.h: a temporary failure, try again later

try:
    cli()
except Exception as exc:
    unavailable = database_unavailable(exc)
    if unavailable is None:
        raise
    print(f"Error: {unavailable.message}", file=sys.stderr)
    sys.exit(EX_TEMPFAIL)
