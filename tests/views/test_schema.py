"""Migration 0022 (issue 20, item 6): saved views are unique per owner, go with their owner's
account, and a digest schedule's view reference falls back to NULL rather than blocking that."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from dashapp.store.migrate import alembic_config, upgrade
from dashapp.store.models import DigestRun, DigestSchedule, SavedView, User


def _user(conn, name: str) -> int:
    return conn.execute(
        insert(User).values(username=name, role="manager", password_hash="x").returning(User.id)
    ).scalar_one()


def test_names_are_unique_per_owner_and_views_go_with_their_owner(engine):
    with engine.begin() as conn:
        ann, bob = _user(conn, "ann"), _user(conn, "bob")
        shared = conn.execute(
            insert(SavedView)
            .values(user_id=ann, name="France", section="overview", query="country=France")
            .values(shared=True)
            .returning(SavedView.id)
        ).scalar_one()
        # Another owner may use the same name.
        conn.execute(insert(SavedView).values(user_id=bob, name="France", section="overview"))
        schedule = conn.execute(
            insert(DigestSchedule)
            .values(user_id=bob, period="daily", recipient="b@example.com", hour=7)
            .values(view_id=shared)
            .returning(DigestSchedule.id)
        ).scalar_one()
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(SavedView).values(user_id=ann, name="France", section="orders"))
    with engine.begin() as conn:
        # Ann's account goes: her views with it, and Bob's schedule keeps running unfiltered.
        conn.execute(text("DELETE FROM users WHERE id = :id"), {"id": ann})
    with engine.connect() as conn:
        assert conn.execute(select(SavedView.user_id)).scalars().all() == [bob]
        assert (
            conn.execute(
                select(DigestSchedule.view_id).where(DigestSchedule.id == schedule)
            ).scalar_one()
            is None
        )


def test_the_upgrade_keeps_schedules_and_their_runs(engine):
    """On SQLite 0022 copies digest_schedules to add its foreign key: the schedules and their
    claimed runs (ON DELETE CASCADE from the schedule) must survive the copy."""
    command.downgrade(alembic_config(engine), "0021")
    with engine.begin() as conn:
        uid = _user(conn, "ann")
        conn.execute(
            text(
                "INSERT INTO digest_schedules (id, user_id, period, recipient, hour)"
                " VALUES (5, :u, 'weekly', 'a@example.com', 8)"
            ),
            {"u": uid},
        )
        conn.execute(
            text(
                "INSERT INTO digest_runs (schedule_id, slot, claimed_at)"
                " VALUES (5, '2024-W10', '2024-03-04 08:00:00')"
            )
        )
    upgrade(engine, "0022")
    with engine.connect() as conn:
        row = conn.execute(select(DigestSchedule)).one()
        assert (row.id, row.period, row.hour, row.view_id) == (5, "weekly", 8, None)
        assert conn.execute(select(DigestRun.slot)).scalars().all() == ["2024-W10"]
