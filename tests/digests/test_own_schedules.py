"""Scheduling digests from the Anomalies page (issue 20 item 4): an admin schedules one for any
user who may receive it (not a sales user: a digest shows the whole business), under a saved
view that user can see; other roles are refused in the domain functions and through forged
callbacks, and bad input is a message that changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashapp.auth import create_user
from dashapp.digests.schedule import list_schedules, remove_schedule_as, schedule_for
from dashapp.store.models import DigestSchedule
from dashapp.ui import ids
from dashapp.views import save_view
from tests.sites import signed_in_client
from tests.sites import site as app_site
from tests.web.forge import answer_text, forge

PASSWORD = "a long enough passphrase 1"


def _accounts(engine):
    made = {}
    for name, role in (("ada", "admin"), ("max", "manager"), ("vic", "viewer"), ("sal", "sales")):
        made[name], _ = create_user(engine, name, role, PASSWORD)
    return made


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(DigestSchedule))


def test_an_admin_schedules_for_users_who_may_receive(engine):
    a = _accounts(engine)
    for_max = schedule_for(engine, a["ada"], "max", "daily", 7, "max@shop.test")
    schedule_for(engine, a["ada"], "vic", "weekly", 8, "https://hooks.example.test/T1")
    with pytest.raises(PermissionError, match="sees only their own orders"):
        schedule_for(engine, a["ada"], "sal", "daily", 7, "sal@shop.test")
    with pytest.raises(LookupError, match="no active user 'nobody'"):
        schedule_for(engine, a["ada"], "nobody", "daily", 7, "x@shop.test")
    with pytest.raises(ValueError, match="Say where to send it"):
        schedule_for(engine, a["ada"], "max", "daily", 7, "  ")
    with pytest.raises(ValueError, match="hour must be"):
        schedule_for(engine, a["ada"], "max", "daily", 24, "max@shop.test")
    # Managers and viewers do not schedule (the CLI is an admin's tool too).
    for who in ("max", "vic", "sal"):
        with pytest.raises(PermissionError, match="cannot schedule digests"):
            schedule_for(engine, a[who], who, "daily", 7, "me@shop.test")
        with pytest.raises(PermissionError):
            remove_schedule_as(engine, a[who], for_max)
    assert _count(engine) == 2
    remove_schedule_as(engine, a["ada"], for_max)
    assert [r["username"] for r in list_schedules(engine)] == ["vic"]


def test_the_view_must_be_one_the_user_sees(engine):
    a = _accounts(engine)
    private = save_view(engine, a["ada"], "Ada's France", "overview", "country=France")
    shared = save_view(engine, a["ada"], "France for all", "overview", "country=France", True)
    with pytest.raises(LookupError):
        schedule_for(engine, a["ada"], "max", "daily", 7, "max@shop.test", private.id)
    assert _count(engine) == 0
    schedule_for(engine, a["ada"], "max", "daily", 7, "max@shop.test", shared.id)
    assert [r["view"] for r in list_schedules(engine)] == ["France for all"]


@pytest.fixture(scope="module")
def app_and_engine(tmp_path_factory):
    from tests.databases import fresh_engine

    with fresh_engine(tmp_path_factory.mktemp("page-digests"), "site") as engine:
        app = app_site(engine)
        _accounts(engine)
        yield app, engine


ADD = f"{ids.DS_ADD}.n_clicks"
FORM = {
    f"{ids.DS_USER}.value": "max",
    f"{ids.DS_TO}.value": "max@shop.test",
    f"{ids.DS_PERIOD}.value": "daily",
    f"{ids.DS_HOUR}.value": "7",
    f"{ids.DS_VIEW}.value": "all",
}


def test_forged_callbacks(app_and_engine):
    app, engine = app_and_engine
    for who in ("max", "vic", "sal"):
        refused = forge(signed_in_client(app, who, PASSWORD), ADD, FORM)
        assert refused.status_code == 403
    assert _count(engine) == 0
    admin = signed_in_client(app, "ada", PASSWORD)
    for field, value, said in (
        (ids.DS_HOUR, "25", "hour must be a whole number from 0 to 23"),
        (ids.DS_VIEW, "99999999999", "is not a saved view id"),
        (ids.DS_USER, "sal", "sees only their own orders"),
        (ids.DS_TO, "<b>x</b>", "Not scheduled"),
    ):
        answer = forge(admin, ADD, {**FORM, f"{field}.value": value})
        assert answer.status_code == 200
        assert said in answer_text(answer)
    assert _count(engine) == 0
    done = forge(admin, ADD, FORM)
    assert "Scheduled for max." in answer_text(done)
    assert _count(engine) == 1
    gone = forge(admin, f"{ids.DS_REMOVE}.n_clicks", {f"{ids.DS_PICK}.value": "12345"})
    assert "Nothing removed: no digest schedule with id 12345" in answer_text(gone)
    assert _count(engine) == 1
