"""Scheduled digests: which slot of a schedule is due, claiming it so one worker sends it, and
sending every due one (`run_due`, what Celery beat or the in-process scheduler call).

A daily schedule's slot is the day (2024-03-06), due from its hour; a weekly one's the ISO
week (2024-W10), due from its hour on Monday. Before sending, a worker inserts (schedule, slot)
into digest_runs; the unique key lets exactly one worker through, so however many web
processes, Celery workers or beat instances run, a slot goes out once. A failed send is
recorded with its reason, not retried: a digest twice is worse than a digest late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from dashapp.auth import Account, can
from dashapp.digests.content import PERIODS, build_digest
from dashapp.digests.delivery import Delivered, deliver, recipient_kind
from dashapp.filters import Filters
from dashapp.settings import Settings
from dashapp.store.db import write_transaction
from dashapp.store.models import DigestRun, DigestSchedule, SavedView, User
from dashapp.views import get_view

schedules = DigestSchedule.__table__
runs = DigestRun.__table__
users = User.__table__
saved_views = SavedView.__table__


def add_schedule(
    engine: Engine, user_id: int, period: str, recipient: str, hour: int, view_id=None
) -> int:
    """A new schedule for a user; a bad period, hour or recipient is a ValueError. `view_id`:
    a saved view the user sees (their own or a shared one) whose filters the KPIs are under."""
    if period not in PERIODS:
        raise ValueError(f"period must be daily or weekly, got {period!r}")
    if not (isinstance(hour, int) and 0 <= hour <= 23):
        raise ValueError(f"hour must be a whole number from 0 to 23, got {hour!r}")
    recipient_kind(recipient)  # raises DeliveryError (a ValueError) naming it
    with write_transaction(engine) as conn:
        user = conn.execute(
            select(users.c.username, users.c.role).where(users.c.id == user_id)
        ).first()
        if user is None:
            raise LookupError(f"no user with id {user_id}")
        _check_may_receive(user.username, user.role)
        if view_id is not None:  # ViewNotFound (a LookupError) for one the user cannot see
            view_id = get_view(conn, Account(user_id, user.username, user.role), view_id).id
        return conn.execute(
            insert(schedules).returning(schedules.c.id),
            {
                "user_id": user_id,
                "period": period,
                "recipient": recipient.strip(),
                "hour": hour,
                "view_id": view_id,
            },
        ).scalar_one()


def _check_may_receive(username: str, role: str) -> None:
    # A digest holds whole-business figures; a sales user sees only the orders it entered.
    if not can(role, "view:all"):
        raise PermissionError(
            f"{username} ({role}) sees only their own orders, and a digest shows the whole "
            "business: schedule digests for admins, managers or viewers"
        )


def list_schedules(engine: Engine) -> list[dict]:
    """Every schedule with its user's name, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(schedules, users.c.username, saved_views.c.name.label("view"))
            .join(users, users.c.id == schedules.c.user_id)
            .outerjoin(saved_views, saved_views.c.id == schedules.c.view_id)
            .order_by(schedules.c.id)
        ).mappings()
        return [dict(r) for r in rows]


def remove_schedule(engine: Engine, schedule_id: int) -> None:
    """Delete a schedule (and its sent slots); LookupError when there is none."""
    with write_transaction(engine) as conn:
        gone = conn.execute(schedules.delete().where(schedules.c.id == schedule_id)).rowcount
        conn.execute(runs.delete().where(runs.c.schedule_id == schedule_id))
    if not gone:
        raise LookupError(f"no digest schedule with id {schedule_id}")


# Who schedules digests from the page (for any user who may receive one, to any address or
# webhook): the same role that sends one now and manages the users.
SCHEDULE_DIGESTS = "users:manage"


def _check_scheduler(actor: Account | None) -> None:
    if actor is None or not actor.can(SCHEDULE_DIGESTS):
        role = actor.role if actor is not None else "signed out"
        raise PermissionError(f"Your role ({role}) cannot schedule digests: ask an admin")


def schedule_for(
    engine: Engine,
    actor: Account | None,
    username: str,
    period: str,
    hour: int,
    recipient: str,
    view_id=None,
) -> int:
    """A schedule an admin (`actor`) sets for `username`: whose figures (a sales user is refused:
    a digest shows the whole business) and which saved view (one that user can see)."""
    _check_scheduler(actor)
    if not (recipient or "").strip():
        raise ValueError("Say where to send it: an email address or a webhook URL")
    with engine.connect() as conn:
        user_id = conn.execute(
            select(users.c.id).where(users.c.username == (username or ""), users.c.active.is_(True))
        ).scalar()
    if user_id is None:
        raise LookupError(f"no active user {username!r}")
    return add_schedule(engine, user_id, period, recipient, hour, view_id=view_id)


def remove_schedule_as(engine: Engine, actor: Account | None, schedule_id: int) -> None:
    """Remove a schedule from the page (admins only)."""
    _check_scheduler(actor)
    remove_schedule(engine, schedule_id)


def due_slot(period: str, hour: int, now: datetime) -> str | None:
    """The slot due at `now`, or None before its first send time."""
    today = now.date()
    if period == "daily":
        return today.isoformat() if now >= datetime.combine(today, time(hour)) else None
    monday = today - timedelta(days=today.weekday())
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}" if now >= datetime.combine(monday, time(hour)) else None


def claim(engine: Engine, schedule_id: int, slot: str, now: datetime) -> bool:
    """Take the slot for this worker; False when another one already has it."""
    try:
        with write_transaction(engine) as conn:
            conn.execute(
                insert(runs), {"schedule_id": schedule_id, "slot": slot, "claimed_at": now}
            )
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class SentSlot:
    schedule_id: int
    slot: str
    delivered: tuple[Delivered, ...]


def run_due(
    engine: Engine, now: datetime | None = None, settings: Settings | None = None
) -> list[SentSlot]:
    """Send every active schedule's due slot that no worker has claimed yet."""
    now = now or datetime.now()
    settings = settings or Settings.from_env()
    with engine.connect() as conn:
        active = conn.execute(
            select(
                schedules.c.id,
                schedules.c.period,
                schedules.c.recipient,
                schedules.c.hour,
                users.c.role,
                schedules.c.view_id,
                users.c.id.label("user_id"),
                users.c.username,
            )
            .join(users, users.c.id == schedules.c.user_id)
            .where(schedules.c.active.is_(True), users.c.active.is_(True))
            .order_by(schedules.c.id)
        ).all()
    sent = []
    for schedule_id, period, recipient, hour, role, view_id, user_id, username in active:
        if not can(role, "view:all"):  # demoted to sales since: no whole-business figures
            continue
        slot = due_slot(period, hour, now)
        if slot is None or not claim(engine, schedule_id, slot, now):
            continue
        try:
            account = Account(user_id, username, role)
            with engine.connect() as conn:
                filters, view = Filters().for_account(account), None
                if view_id is not None:  # the view's filters, the recipient's role still applies
                    saved = get_view(conn, account, view_id)
                    filters, view = saved.filters.for_account(account), saved.name
                digest = build_digest(conn, period, now.date(), filters, view)
            delivered = tuple(deliver(digest, [recipient], settings))
            error = "; ".join(d.error for d in delivered if d.error) or None
        except (ValueError, LookupError) as exc:  # e.g. email without an SMTP server configured
            delivered, error = (), str(exc)
        with write_transaction(engine) as conn:
            conn.execute(
                update(runs)
                .where(runs.c.schedule_id == schedule_id, runs.c.slot == slot)
                .values(finished_at=datetime.now(), error=error)
            )
        sent.append(SentSlot(schedule_id, slot, delivered))
    return sent
