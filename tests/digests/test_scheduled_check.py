"""The daily scheduled anomaly and KPI-alert check (issue 20 item 4): due from the settings'
hour, run once per day however many schedulers ask, and before the day's digests."""

import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

from dashapp.digests.checks import CHECK_JOB, check_slot, run_scheduled_check
from dashapp.digests.scheduler import DigestScheduler
from dashapp.settings import Settings, SettingsError
from dashapp.store.models import AnomalyCheck, JobRun
from tests.databases import migrate
from tests.digests.shop import seed_digest_shop


def test_the_slot_is_the_day_from_the_hour_on():
    assert check_slot(6, datetime(2024, 3, 6, 5, 59)) is None
    assert check_slot(6, datetime(2024, 3, 6, 6, 0)) == "2024-03-06"
    assert check_slot(0, datetime(2024, 3, 6, 0, 0)) == "2024-03-06"
    assert check_slot(None, datetime(2024, 3, 6, 23, 0)) is None  # turned off


def test_the_hour_comes_from_the_environment():
    assert Settings.from_env({}).check_hour == 6
    assert Settings.from_env({"SALES_PULSE_CHECK_HOUR": "22"}).check_hour == 22
    assert Settings.from_env({"SALES_PULSE_CHECK_HOUR": "off"}).check_hour is None
    for bad in ("24", "6am", "-1"):
        with pytest.raises(SettingsError, match="SALES_PULSE_CHECK_HOUR"):
            Settings.from_env({"SALES_PULSE_CHECK_HOUR": bad})


def _counts(engine):
    with engine.connect() as conn:
        checks = conn.execute(select(func.count()).select_from(AnomalyCheck)).scalar_one()
        runs = conn.execute(select(JobRun.job, JobRun.slot, JobRun.finished_at, JobRun.error)).all()
    return checks, runs


def test_two_workers_run_the_day_once(engine):
    """Two schedulers ticking in the same minute: one claims 6 March and checks, the other does
    nothing; a later tick the same day does nothing either; the next day checks again."""
    seed_digest_shop(engine)
    settings = Settings(check_hour=6)
    now = datetime(2024, 3, 6, 7, 1)
    results = []
    barrier = threading.Barrier(2)

    def tick():
        barrier.wait()
        results.append(run_scheduled_check(engine, now=now, settings=settings))

    workers = [threading.Thread(target=tick) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert sorted(r is None for r in results) == [False, True]  # one ran, one did nothing
    assert run_scheduled_check(engine, now=datetime(2024, 3, 6, 18, 0), settings=settings) is None
    checks, runs = _counts(engine)
    assert checks == 1
    ((job, slot, finished, error),) = runs
    assert (job, slot, error) == (CHECK_JOB, "2024-03-06", None) and finished is not None

    assert run_scheduled_check(engine, now=datetime(2024, 3, 7, 6, 0), settings=settings)
    assert _counts(engine)[0] == 2


def test_nothing_runs_before_the_hour_or_when_off(engine):
    seed_digest_shop(engine)
    assert run_scheduled_check(engine, datetime(2024, 3, 6, 5, 59), Settings(check_hour=6)) is None
    assert (
        run_scheduled_check(engine, datetime(2024, 3, 6, 23, 0), Settings(check_hour=None)) is None
    )
    assert _counts(engine) == (0, [])


def test_the_in_process_scheduler_checks_before_the_digests(new_engine):

    engine = new_engine("scheduled-check")
    migrate(engine)
    seed_digest_shop(engine)
    scheduler = DigestScheduler(
        engine, Settings(check_hour=6), interval=0.05, clock=lambda: datetime(2024, 3, 6, 6, 30)
    ).start()
    try:
        deadline = threading.Event()
        for _ in range(400):  # up to 20 s
            if _counts(engine)[0]:
                break
            deadline.wait(0.05)
        deadline.wait(0.3)  # several more ticks: the day's slot is taken
    finally:
        scheduler.stop()
    checks, runs = _counts(engine)
    assert checks == 1
    assert [(job, slot) for job, slot, _, _ in runs] == [(CHECK_JOB, "2024-03-06")]
