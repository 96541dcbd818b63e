"""Where background callbacks (forecast, anomaly scan, import) run.

- CELERY_BROKER_URL set (a Redis URL): on Celery workers (`python -m dashapp worker`), with
  results in CELERY_RESULT_BACKEND (default: the broker). Any web worker can start a job and
  any web worker can collect it, so this is the setting for several gunicorn workers or servers.
- Otherwise: a process forked by the web server per job, with a diskcache job store in the
  local cache folder (one machine).

Queues and result keys carry SALES_PULSE_REDIS_PREFIX, so several installs (or test runs) can
share one Redis.
"""

from __future__ import annotations

import diskcache
from dash import CeleryManager, DiskcacheManager
from sqlalchemy import Engine

from dashapp.settings import Settings
from dashapp.web.answers import local_cache_dir, redis_prefix

# A job's result is collected within seconds; keep unclaimed ones an hour, not Celery's day.
RESULT_SECONDS = 3600


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


def background_manager(engine: Engine) -> CeleryManager | DiskcacheManager:
    """A CeleryManager when CELERY_BROKER_URL is set, else a DiskcacheManager whose job store is
    in the local cache folder (SALES_PULSE_CACHE_DIR, else beside the SQLite file)."""
    broker = celery_broker_url()
    if broker:
        return CeleryManager(make_celery(broker))
    return DiskcacheManager(diskcache.Cache(str(local_cache_dir(engine))))


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
