"""Where background callbacks (forecast, anomaly scan, import) run.

- CELERY_BROKER_URL set (a Redis URL): on Celery workers (`python -m dashapp worker`), with
  results in CELERY_RESULT_BACKEND (default: the broker). Any web worker can start a job and
  any web worker can collect it, so this is the setting for several gunicorn workers or servers.
- Otherwise: a thread of the web process per job (`ThreadJobManager`), with the job store
  (results, progress, which jobs are running) in a diskcache in the local cache folder, which
  every web worker of one machine shares. Dash's own DiskcacheManager forks the web server for
  each job instead; a fork taken while another request thread is inside SQLite (or holds any
  other lock) leaves the child waiting for that lock for ever, so the page spun without end.

Queues and result keys carry SALES_PULSE_REDIS_PREFIX, so several installs (or test runs) can
share one Redis.
"""

from __future__ import annotations

import os
import secrets
import threading

import diskcache
import psutil
from dash import CeleryManager, DiskcacheManager
from dash.background_callback.managers.diskcache_manager import _make_job_fn
from sqlalchemy import Engine

from dashapp.settings import Settings
from dashapp.web.answers import local_cache_dir, redis_prefix

# A job's result is collected within seconds; keep unclaimed ones an hour, not Celery's day.
RESULT_SECONDS = 3600
# Jobs one web process runs at once; more wait their turn (and show as running meanwhile).
JOB_THREADS = 4


class JobCancelled(BaseException):
    """Raised inside a cancelled job at its next progress report or write of its result.

    A BaseException, like SystemExit, so that a callback's `except Exception` cannot swallow it
    and a transaction the job has open rolls back."""


class ThreadJobManager(DiskcacheManager):
    """Dash background callbacks run in a pool of threads of the web process.

    Results, progress and the record of running jobs live in the diskcache, so any web worker
    of the machine can collect a job another one started. A job cannot be killed the way a
    process can: cancelling it (the user changed the inputs, or left) marks it, its writes to
    the job store are dropped from then on, and it stops at its next progress report.
    """

    def __init__(self, cache: diskcache.Cache, threads: int = JOB_THREADS) -> None:
        super().__init__(cache)
        self._slots = threading.BoundedSemaphore(threads)
        self._local = threading.local()

    # What Dash calls -------------------------------------------------------------------------
    def make_job_fn(self, fn, progress, key=None):  # noqa: ANN001, ARG002
        return _make_job_fn(fn, _JobStore(self), progress)

    def call_job_fn(self, key, job_fn, args, context):  # noqa: ANN001
        job = secrets.randbits(52)
        self.handle.set(_running_key(job), os.getpid(), expire=RESULT_SECONDS * 24)
        worker = threading.Thread(
            target=self._run,
            args=(job, job_fn, key, args, context),
            name=f"sales-pulse-job-{job}",
            daemon=True,
        )
        worker.start()
        return job

    def job_running(self, job) -> bool:  # noqa: ANN001
        pid = self.handle.get(_running_key(job))
        return pid is not None and psutil.pid_exists(pid)

    def terminate_job(self, job) -> None:  # noqa: ANN001
        if job is None:
            return
        self.handle.set(_cancel_key(job), True, expire=RESULT_SECONDS)
        self.handle.delete(_running_key(job))

    def terminate_unhealthy_job(self, job) -> bool:  # noqa: ANN001
        if job is not None and not self.job_running(job):
            self.terminate_job(job)
            return True
        return False

    # The job's side ---------------------------------------------------------------------------
    def current_job_cancelled(self) -> bool:
        job = getattr(self._local, "job", None)
        return job is not None and self.handle.get(_cancel_key(job)) is not None

    def _run(self, job: int, job_fn, key, args, context) -> None:  # noqa: ANN001
        self._local.job = job
        try:
            with self._slots:  # waits while `threads` other jobs run
                if not self.current_job_cancelled():
                    job_fn(key, self._make_progress_key(key), args, context)
        except JobCancelled:
            pass
        finally:
            self.handle.delete(_running_key(job))


class _JobStore:
    """The diskcache as a job sees it: a cancelled job's writes raise JobCancelled instead."""

    def __init__(self, manager: ThreadJobManager) -> None:
        self._manager = manager

    def set(self, key, value, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if self._manager.current_job_cancelled():
            raise JobCancelled(key)
        return self._manager.handle.set(key, value, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._manager.handle, name)


def _running_key(job) -> str:  # noqa: ANN001
    return f"sales-pulse-job-running-{int(job)}"


def _cancel_key(job) -> str:  # noqa: ANN001
    return f"sales-pulse-job-cancelled-{int(job)}"


def celery_broker_url() -> str | None:
    """The Celery broker when background callbacks run on Celery workers, else None."""
    return Settings.from_env().celery_broker_url


def celery_queue() -> str:
    """The queue the web servers send jobs to and the workers consume."""
    return Settings.from_env().jobs_queue


def make_celery(broker_url: str):
    """The Celery app of the background callbacks (the Dash callbacks register as its tasks)."""
    from celery import Celery

    prefix = {"global_keyprefix": redis_prefix()}
    celery = Celery("sales_pulse", broker=broker_url)
    celery.conf.update(
        result_backend=Settings.from_env().celery_result_backend or broker_url,
        result_expires=RESULT_SECONDS,
        task_default_queue=celery_queue(),
        broker_transport_options=prefix,
        result_backend_transport_options=prefix,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return celery


def background_manager(engine: Engine) -> CeleryManager | ThreadJobManager:
    """A CeleryManager when CELERY_BROKER_URL is set, else a ThreadJobManager whose job store is
    in the local cache folder (SALES_PULSE_CACHE_DIR, else beside the SQLite file)."""
    broker = celery_broker_url()
    if broker:
        return CeleryManager(make_celery(broker))
    return ThreadJobManager(diskcache.Cache(str(local_cache_dir(engine))))


def worker_celery(engine: Engine | None = None):
    """The Celery app with every background callback registered, for a worker process.

    The worker builds the same Dash app as the web servers (so the tasks have the same names)
    and must share their database, secret key (SALES_PULSE_SECRET_KEY or the key file) and
    upload folder (SALES_PULSE_UPLOAD_DIR).
    """
    from dashapp.factory import create_app

    if not celery_broker_url():
        raise RuntimeError("set CELERY_BROKER_URL (a Redis URL) to run background jobs on Celery")
    app = create_app(engine)
    return app.background_manager.handle
