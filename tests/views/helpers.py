"""Accounts for the saved-view tests, written straight into the users table."""

from __future__ import annotations

from sqlalchemy import insert

from dashapp.auth import Account
from dashapp.store.models import User


def add_accounts(engine, *pairs: tuple[str, str]) -> dict[str, Account]:
    """{username: Account} for each (username, role)."""
    out = {}
    with engine.begin() as conn:
        for username, role in pairs:
            uid = conn.execute(
                insert(User)
                .values(username=username, role=role, password_hash="x")
                .returning(User.id)
            ).scalar_one()
            out[username] = Account(uid, username, role)
    return out
