"""The two runners of scheduled digests: the in-process thread and the Celery beat task."""

import time
from datetime import datetime

from celery import Celery

from dashapp.auth import create_user
from dashapp.digests.schedule import add_schedule
from dashapp.digests.scheduler import (
    BEAT_ENTRY,
    TASK_NAME,
    DigestScheduler,
    beat_task,
    start_scheduler,
)
from dashapp.settings import Settings
from tests.digests.shop import seed_digest_shop


def _schedule(engine, hour: int) -> None:
    seed_digest_shop(engine)
    account, _ = create_user(engine, "boss", "manager", "a long enough passphrase 1")
    add_schedule(engine, account.id, "daily", "boss@shop.test", hour)


def _wait_for(condition, timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_in_process_scheduler_sends_the_due_slot_once(one_engine, smtp_server):
    engine = one_engine
    _schedule(engine, 7)
    scheduler = DigestScheduler(
        engine, Settings.from_env(), interval=0.1, clock=lambda: datetime(2024, 3, 6, 7, 1)
    ).start()
    try:
        assert _wait_for(lambda: smtp_server.received)
        time.sleep(0.5)  # several more rounds: the slot is taken, nothing more is sent
    finally:
        scheduler.stop()
    ((_, rcpts, message),) = smtp_server.received
    assert rcpts == ["boss@shop.test"]
    assert message["Subject"] == "Sales Pulse: Daily digest for Tue 5 Mar 2024"


def test_a_broker_means_celery_beat_runs_them():
    assert start_scheduler(None, Settings(celery_broker_url="redis://127.0.0.1:6379/0")) is None


def test_beat_runs_the_digest_task_every_minute(one_engine, smtp_server):
    engine = one_engine
    _schedule(engine, 0)  # due from midnight: whenever this runs, today's slot is due
    app = Celery("digests-test")
    beat_task(app, lambda: engine)
    assert app.conf.beat_schedule[BEAT_ENTRY] == {"task": TASK_NAME, "schedule": 60.0}
    task = app.tasks[TASK_NAME]  # what a worker looks up when beat sends the task's name
    assert task.run() == 1
    assert task.run() == 0
    assert len(smtp_server.received) == 1
