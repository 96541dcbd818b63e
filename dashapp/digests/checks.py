"""The daily scheduled check: the anomaly scan and the KPI alert rules (`run_check`), once a
day at the settings' hour (SALES_PULSE_CHECK_HOUR, 6 by default; off to turn it off), before
the day's digests so they list what it found. Every scheduler (the in-process thread of each
serving process, Celery beat) asks for the day's slot; the first claim wins and the others do
nothing, so the check never runs twice for one day."""

from __future__ import annotations

import logging
from datetime import datetime, time

from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError

from dashapp.analytics.anomalies import CheckResult, run_check
from dashapp.settings import Settings
from dashapp.store.db import write_transaction
from dashapp.store.models import JobRun

log = logging.getLogger(__name__)

CHECK_JOB = "anomaly-check"
_runs = JobRun.__table__


def check_slot(hour: int | None, now: datetime) -> str | None:
    """The day whose check is due at `now` (2024-03-06), or None before the hour or when the
    scheduled check is off."""
    if hour is None or now < datetime.combine(now.date(), time(hour)):
        return None
    return now.date().isoformat()


def claim_job(engine: Engine, job: str, slot: str, now: datetime) -> bool:
    """Take the slot for this worker; False when another one already has it."""
    try:
        with write_transaction(engine) as conn:
            conn.execute(insert(_runs), {"job": job, "slot": slot, "claimed_at": now})
    except IntegrityError:
        return False
    return True


def run_scheduled_check(
    engine: Engine, now: datetime | None = None, settings: Settings | None = None
) -> CheckResult | None:
    """Run today's check if it is due and no worker has claimed it; None when nothing ran.

    The check scans what is new since the last one (all the data the first time) and posts new
    anomalies to the settings' webhook. A failure is written on the claimed slot and raised: the
    slot stays taken, so a broken check is not retried every minute of the day.
    """
    now = now or datetime.now()
    settings = settings or Settings.from_env()
    slot = check_slot(settings.check_hour, now)
    if slot is None or not claim_job(engine, CHECK_JOB, slot, now):
        return None
    error = None
    try:
        return run_check(engine, webhook_url=settings.webhook_url, scan="new", today=now.date())
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        with write_transaction(engine) as conn:
            conn.execute(
                update(_runs)
                .where(_runs.c.job == CHECK_JOB, _runs.c.slot == slot)
                .values(finished_at=datetime.now(), error=error)
            )
