"""Scheduled digests: when a slot is due, and that a slot is sent once across two workers."""

import threading
from datetime import datetime

import pytest
from sqlalchemy import select

from dashapp.auth import create_user
from dashapp.digests.schedule import add_schedule, due_slot, run_due
from dashapp.settings import Settings
from dashapp.store.db import make_engine
from dashapp.store.models import DigestRun
from tests.cli_runner import run_cli
from tests.digests.shop import seed_digest_shop


def test_due_slots():
    # Daily at 7: the day's slot from 07:00. Weekly at 7: the ISO week's slot from Monday
    # 07:00 (Mon 4 March 2024 starts ISO week 10).
    assert due_slot("daily", 7, datetime(2024, 3, 6, 6, 59)) is None
    assert due_slot("daily", 7, datetime(2024, 3, 6, 7, 0)) == "2024-03-06"
    assert due_slot("weekly", 7, datetime(2024, 3, 4, 6, 0)) is None
    assert due_slot("weekly", 7, datetime(2024, 3, 4, 7, 0)) == "2024-W10"
    assert due_slot("weekly", 7, datetime(2024, 3, 10, 23, 0)) == "2024-W10"


def _scheduled(engine):
    seed_digest_shop(engine)
    account, _ = create_user(engine, "boss", "manager", "a long enough passphrase 1")
    schedule_id = add_schedule(engine, account.id, "daily", "boss@shop.test", 7)
    return engine, schedule_id


@pytest.fixture
def scheduled(engine):
    return _scheduled(engine)


@pytest.fixture
def one_scheduled(one_engine):
    return _scheduled(one_engine)


def test_one_slot_is_sent_once_by_two_workers(scheduled, smtp_server):
    engine, schedule_id = scheduled
    settings = Settings.from_env()
    # A second worker: its own engine (own connections) on the same database.
    other = make_engine(engine.url.render_as_string(hide_password=False))
    start = threading.Barrier(2)
    sent: list = []

    def worker(e):
        start.wait()
        sent.extend(run_due(e, now=datetime(2024, 3, 6, 7, 5), settings=settings))

    threads = [threading.Thread(target=worker, args=(e,)) for e in (engine, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    other.dispose()
    assert [(s.schedule_id, s.slot) for s in sent] == [(schedule_id, "2024-03-06")]
    ((_, rcpts, message),) = smtp_server.received
    assert rcpts == ["boss@shop.test"]
    assert message["Subject"] == "Sales Pulse: Daily digest for Tue 5 Mar 2024"
    assert "Revenue: $450.00 (was $200.00, +125.0 %)" in message.get_body(("plain",)).get_content()
    with engine.connect() as conn:
        run = conn.execute(select(DigestRun.slot, DigestRun.finished_at, DigestRun.error)).one()
    assert run.slot == "2024-03-06" and run.finished_at is not None and run.error is None

    # Later the same day nothing is due again; the next morning the next slot goes.
    assert run_due(engine, now=datetime(2024, 3, 6, 18, 0), settings=settings) == []
    (nxt,) = run_due(engine, now=datetime(2024, 3, 7, 7, 0), settings=settings)
    assert nxt.slot == "2024-03-07" and len(smtp_server.received) == 2


def test_a_failed_send_is_recorded_not_repeated(one_scheduled, monkeypatch):
    engine, _ = one_scheduled
    monkeypatch.delenv("SALES_PULSE_SMTP_HOST", raising=False)
    now = datetime(2024, 3, 6, 8, 0)
    (failed,) = run_due(engine, now=now, settings=Settings.from_env())
    assert failed.delivered == ()
    assert run_due(engine, now=now, settings=Settings.from_env()) == []
    with engine.connect() as conn:
        error = conn.execute(select(DigestRun.error)).scalar_one()
    assert "email needs an SMTP server" in error


@pytest.mark.parametrize(
    "period, recipient, hour",
    [("monthly", "a@b.test", 7), ("daily", "not an address", 7), ("daily", "a@b.test", 24)],
)
def test_bad_schedules_are_refused_before_the_database(period, recipient, hour):
    with pytest.raises(ValueError):
        add_schedule(None, 1, period, recipient, hour)  # no engine: refused before any write


def test_schedule_commands_and_who_may_receive_one(one_engine):
    engine = one_engine
    create_user(engine, "boss", "manager", "a long enough passphrase 1")
    create_user(engine, "rep", "sales", "a long enough passphrase 2")
    added = run_cli(
        engine,
        "digest-schedule",
        "add",
        "--user",
        "boss",
        "--to",
        "boss@shop.test",
        "--period",
        "weekly",
        "--hour",
        "8",
    )
    assert added.exit_code == 0, added.output
    assert "weekly digest for boss to boss@shop.test at 8:00" in added.stdout
    # A sales user sees only the orders it entered; a digest shows the whole business.
    refused = run_cli(engine, "digest-schedule", "add", "--user", "rep", "--to", "r@shop.test")
    assert refused.exit_code == 2 and "rep (sales) sees only their own orders" in refused.output
    unknown = run_cli(engine, "digest-schedule", "add", "--user", "nobody", "--to", "x@y.test")
    assert unknown.exit_code == 2 and "no user named 'nobody'" in unknown.output
    listed = run_cli(engine, "digest-schedule", "list")
    assert listed.stdout.split() == ["1", "weekly", "8:00", "boss", "boss@shop.test"]
    assert run_cli(engine, "digest-schedule", "remove", "1").exit_code == 0
    assert run_cli(engine, "digest-schedule", "remove", "1").exit_code == 2
    assert run_cli(engine, "digest-schedule", "list").stdout == "No digest schedules.\n"


def test_a_user_demoted_to_sales_gets_no_more_digests(one_scheduled, smtp_server):
    from sqlalchemy import update

    from dashapp.store.models import User

    engine, _ = one_scheduled
    with engine.begin() as conn:
        conn.execute(update(User).where(User.username == "boss").values(role="sales"))
    assert run_due(engine, now=datetime(2024, 3, 6, 8, 0), settings=Settings.from_env()) == []
    assert smtp_server.received == []
