"""The Celery app the background-callback worker runs:

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 python -m dashapp worker
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 celery -A dashapp.celery_app worker

Importing this module builds the Dash app on the configured database (DATABASE_URL, as the web
servers read it), which registers every background callback as a task of `celery_app`.
"""

from __future__ import annotations

from dashapp.web.jobs import worker_celery

celery_app = worker_celery()
