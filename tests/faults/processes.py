"""The app's own processes for the kill tests: the CLI and `serve` (gunicorn), started from
this checkout on loopback, optionally through tests.faults.paused."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 60


def app_env(url: str, tmp: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
        "SALES_PULSE_SECRET_KEY": secrets.token_hex(16),
        "SALES_PULSE_CACHE_DIR": str(tmp / "cache"),
        **extra,
    }


def command(*args: str, pause_at: str | None = None, nth: int = 1, marker: Path | None = None):
    """The argv of `python -m dashapp ARGS`, paused after `pause_at`'s nth call if given."""
    if pause_at is None:
        return [sys.executable, "-m", "dashapp", *args]
    return [
        sys.executable, "-m", "tests.faults.paused",
        "--at", pause_at, "--nth", str(nth), "--marker", str(marker), "--", *args,
    ]  # fmt: skip


def run_cli(url: str, tmp: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    """Run the CLI to the end; its output is captured as text."""
    return subprocess.run(
        command(*args), cwd=ROOT, env=app_env(url, tmp, **extra), capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip


def paused_pid(marker: Path, process: subprocess.Popen) -> int:
    """Wait until a process of ours reached the pause; the pid it wrote."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        text = marker.read_text() if marker.exists() else ""
        if text.endswith("\n"):
            return int(text)
        if process.poll() is not None:
            raise AssertionError(f"the process ended ({process.returncode}) before the pause")
        time.sleep(0.05)
    raise AssertionError("the pause was never reached")


def kill_9(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    log: Path


@contextmanager
def serving(url: str, tmp: Path, *, workers: int = 2, **pause) -> Iterator[Server]:
    """`python -m dashapp serve` on a free loopback port until the block ends."""
    port = free_port()
    argv = command("serve", "--workers", str(workers), "--port", str(port), **pause)
    log = tmp / f"server-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=app_env(url, tmp), stdout=out, stderr=out)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until_answering(f"{server.base_url}/api/openapi.json", process, log)
        yield server
    finally:
        process.terminate()  # gunicorn's master stops its workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port() -> int:
    """A loopback port nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(
    url: str, process: subprocess.Popen, log: Path, seconds: float = WAIT_S
) -> None:
    """Poll `url` until it answers 200; fail with the server's log when the server exits
    first or does not answer within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"not serving after {seconds}s:\n{log.read_text()}")


def worker_pids(master: int) -> set[int]:
    """The gunicorn workers of a master process (its children)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return {int(p) for p in children.read_text().split()} if children.exists() else set()
