"""Who calls `run_due` (and, before it, the daily check of dashapp.digests.checks) every
minute: Celery beat when CELERY_BROKER_URL is set (`beat_task`
registers the task and its beat entry on the worker's Celery app), otherwise a small
in-process scheduler: one daemon thread (Python's threading, no extra library) in the
serving process. Both only call run_due, whose claimed slots keep each digest to one send
however many of them run."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from dashapp.digests.checks import run_scheduled_check
from dashapp.digests.schedule import run_due
from dashapp.settings import Settings

log = logging.getLogger(__name__)

INTERVAL_S = 60.0
TASK_NAME = "sales_pulse.digests.run_due"
BEAT_ENTRY = "sales-pulse-digests"


class DigestScheduler:
    """A daemon thread calling run_due every `interval` seconds until stopped."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings | None = None,
        interval: float = INTERVAL_S,
        clock: Callable[[], datetime] = datetime.now,
    ):
        self.engine, self.settings, self.interval, self.clock = engine, settings, interval, clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="digest-scheduler", daemon=True)

    def start(self) -> DigestScheduler:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                result = run_scheduled_check(self.engine, now=self.clock(), settings=self.settings)
                if result is not None:
                    log.info("scheduled check: %s new alert(s)", len(result.new))
            except Exception:  # logged; the digests still go out
                log.exception("the scheduled anomaly check failed")
            try:
                for sent in run_due(self.engine, now=self.clock(), settings=self.settings):
                    log.info("digest %s sent for schedule %s", sent.slot, sent.schedule_id)
            except Exception:  # a bad minute (database down) must not end the schedule
                log.exception("scheduled digests failed; trying again in %.0f s", self.interval)
            self._stop.wait(self.interval)


def start_scheduler(engine: Engine, settings: Settings | None = None) -> DigestScheduler | None:
    """Start the in-process scheduler, unless Celery beat runs the digests (a broker is set)."""
    settings = settings or Settings.from_env()
    if settings.celery_broker_url:
        return None
    return DigestScheduler(engine, settings).start()


def beat_task(celery_app, engine_factory: Callable[[], Engine]):
    """Register the digest task on `celery_app` and run it every minute from Celery beat."""

    @celery_app.task(name=TASK_NAME, shared=False)  # this app only: it holds the engine
    def send_due_digests() -> int:
        """Today's check if due (never twice: its slot is claimed), then the due digests; the
        number of digests sent."""
        engine = engine_factory()
        try:
            run_scheduled_check(engine)
        except Exception:  # logged; the digests still go out
            log.exception("the scheduled anomaly check failed")
        return len(run_due(engine))

    celery_app.conf.beat_schedule = {
        **(celery_app.conf.beat_schedule or {}),
        BEAT_ENTRY: {"task": TASK_NAME, "schedule": INTERVAL_S},
    }
    return send_due_digests
