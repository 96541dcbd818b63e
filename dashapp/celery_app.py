"""The Celery app the background-callback worker runs:

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 python -m dashapp worker
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 celery -A dashapp.celery_app worker

Importing this module builds the Dash app on the configured database (DATABASE_URL, as the web
servers read it), which registers every background callback as a task of `celery_app`.

Scheduled digests run from Celery beat when a broker is set (the web process then starts no
scheduler of its own): `celery -A dashapp.celery_app beat` sends the digest task every minute.
"""

from __future__ import annotations

from dashapp.digests.scheduler import beat_task
from dashapp.store.db import get_engine
from dashapp.web.jobs import worker_celery

celery_app = worker_celery()
send_due_digests = beat_task(celery_app, get_engine)
