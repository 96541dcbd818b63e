"""`python -m dashapp ARGS` with a pause inside a write transaction, for the kill -9 tests.

    python -m tests.faults.paused --at dashapp.store.writes:record_change --marker PATH -- ARGS

Patches MODULE:FUNCTION so that, right after its Nth call returns, the first process to get
there writes its pid to PATH (created exclusively: one process in all ever pauses, so a retry
goes through) and sleeps until the test kills it. Nothing in the app knows about this hook.
"""

from __future__ import annotations

import argparse
import importlib
import os
import time

PAUSE_SECONDS = 300


def pause_after(target: str, nth: int, marker: str) -> None:
    """Patch `module:function` to pause after its `nth` call in this process."""
    module_name, name = target.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    calls = 0

    def paused(*args, **kwargs):
        nonlocal calls
        result = original(*args, **kwargs)
        calls += 1
        if calls == nth:
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return result
            os.write(fd, f"{os.getpid()}\n".encode())
            os.close(fd)
            time.sleep(PAUSE_SECONDS)
        return result

    setattr(module, name, paused)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", required=True, help="module:function to pause after")
    parser.add_argument("--nth", type=int, default=1, help="pause after this call (per process)")
    parser.add_argument("--marker", required=True, help="file that gets the paused pid")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    opts = parser.parse_args()
    pause_after(opts.at, opts.nth, opts.marker)
    from dashapp.cli import cli

    args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
    cli(args, prog_name="python -m dashapp")


if __name__ == "__main__":
    main()
