"""Users, roles and API tokens."""

import pytest
from sqlalchemy import select

from dashapp.auth import (
    AuthError,
    account_for_session,
    account_for_token,
    authenticate,
    can,
    create_token,
    create_user,
    end_sessions,
    revoke_token,
    session_version,
    set_password,
    set_role,
)
from dashapp.store.models import ApiToken, AuditLog, User


def test_passwords_are_stored_hashed_and_checked(engine):
    account, password = create_user(engine, "ann", "manager", "correct horse")
    assert password == "correct horse"
    with engine.connect() as conn:
        stored = conn.execute(select(User.password_hash)).scalar_one()
        assert "correct horse" not in stored and stored.startswith("scrypt:")
        assert authenticate(conn, "ann", "correct horse") == account
        assert authenticate(conn, "ann", "wrong password") is None
        assert authenticate(conn, "nobody", "correct horse") is None


def test_generated_password_is_returned_once(engine):
    _, password = create_user(engine, "bob", "viewer")
    assert len(password) >= 16
    with engine.connect() as conn:
        assert authenticate(conn, "bob", password) is not None


@pytest.mark.parametrize(
    "username, role, password, message",
    [
        ("", "admin", "long enough", "username is required"),
        ("x" * 81, "admin", "long enough", "longer than 80"),
        ("carl", "owner", "long enough", "role must be one of"),
        ("carl", "sales", "short", "at least 8"),
    ],
)
def test_bad_new_users_are_refused(engine, username, role, password, message):
    with pytest.raises(AuthError, match=message):
        create_user(engine, username, role, password)
    with engine.connect() as conn:
        assert conn.execute(select(User.id)).all() == []


def test_duplicate_username_is_refused_and_nothing_changes(engine):
    create_user(engine, "ann", "admin", "first password")
    with pytest.raises(AuthError, match="already exists"):
        create_user(engine, "ann", "viewer", "second password")
    with engine.connect() as conn:
        assert conn.execute(select(User.role)).scalars().all() == ["admin"]
        assert authenticate(conn, "ann", "first password") is not None


def test_password_change_needs_the_old_one(engine):
    account, _ = create_user(engine, "ann", "sales", "old password")
    with pytest.raises(AuthError, match="not correct"):
        set_password(engine, account.id, "guess", "new password", actor="ann")
    set_password(engine, account.id, "old password", "new password", actor="ann")
    with engine.connect() as conn:
        assert authenticate(conn, "ann", "new password") is not None


def test_deactivated_user_cannot_sign_in(engine):
    account, _ = create_user(engine, "ann", "sales", "a password")
    set_role(engine, account.id, "sales", active=False, actor="admin")
    with engine.connect() as conn:
        assert authenticate(conn, "ann", "a password") is None


def test_api_tokens_are_hashed_and_revocable(engine):
    account, _ = create_user(engine, "ann", "viewer", "a password")
    token = create_token(engine, account.id, "reporting", actor="admin")
    with engine.connect() as conn:
        assert conn.execute(select(ApiToken.token_hash)).scalar_one() != token
        assert account_for_token(conn, token) == account
        assert account_for_token(conn, token + "x") is None
        token_id = conn.execute(select(ApiToken.id)).scalar_one()
    revoke_token(engine, token_id, actor="admin")
    with engine.connect() as conn:
        assert account_for_token(conn, token) is None
        actions = conn.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    assert actions == ["create", "create", "revoke"]


def test_role_matrix_follows_the_spec():
    assert can("admin", "users:manage")
    assert not can("manager", "users:manage") and can("manager", "data:import")
    assert can("sales", "orders:write") and not can("sales", "catalog:write")
    assert can("viewer", "view") and not can("viewer", "orders:write")
    assert not can(None, "view")


WEAK_PASSWORDS = [
    ("password", "too common"),
    (" " * 8, "only spaces"),
    ("12345678", "too common"),
    ("sam-password", "must not contain the username"),
    ("my SAM secret", "must not contain the username"),
    ("Sunshine2024!", "too common"),
    ("abababab", "at least 5 different characters"),
    ("short", "at least 8 characters"),
]


@pytest.mark.parametrize("password, reason", WEAK_PASSWORDS)
def test_weak_passwords_are_refused_with_the_reason(engine, password, reason):
    with pytest.raises(AuthError, match=reason):
        create_user(engine, "sam", "sales", password)
    with engine.connect() as conn:
        assert conn.execute(select(User.id)).all() == []


@pytest.mark.parametrize("password, reason", WEAK_PASSWORDS)
def test_a_weak_new_password_is_refused_and_the_old_one_still_works(engine, password, reason):
    account, _ = create_user(engine, "sam", "sales", "mild tangerine")
    with pytest.raises(AuthError, match=reason):
        set_password(engine, account.id, "mild tangerine", password, actor="sam")
    with pytest.raises(AuthError, match=reason):
        set_password(engine, account.id, None, password, actor="admin")
    with engine.connect() as conn:
        assert authenticate(conn, "sam", "mild tangerine") == account
        assert authenticate(conn, "sam", password) is None


def test_a_passphrase_is_accepted(engine):
    account, _ = create_user(engine, "sam", "sales", "mild tangerine")
    set_password(engine, account.id, "mild tangerine", "seven quiet harbours", actor="sam")
    with engine.connect() as conn:
        assert authenticate(conn, "sam", "seven quiet harbours") == account


def test_a_password_change_role_change_or_sign_out_ends_the_sessions(engine):
    account, _ = create_user(engine, "sam", "sales", "mild tangerine")
    with engine.connect() as conn:
        signed_in_at = session_version(conn, account.id)
        assert account_for_session(conn, account.id, signed_in_at) == account
        assert account_for_session(conn, account.id, None) is None

    kept = set_password(engine, account.id, "mild tangerine", "seven quiet harbours", "sam")
    with engine.connect() as conn:
        assert account_for_session(conn, account.id, signed_in_at) is None
        assert account_for_session(conn, account.id, kept) == account

    set_role(engine, account.id, "sales", active=True, actor="admin")  # no change: kept
    with engine.connect() as conn:
        assert account_for_session(conn, account.id, kept) == account
    set_role(engine, account.id, "viewer", active=True, actor="admin")
    with engine.connect() as conn:
        assert account_for_session(conn, account.id, kept) is None
        kept = session_version(conn, account.id)

    assert end_sessions(engine, account.id) == kept + 1
    with engine.connect() as conn:
        assert account_for_session(conn, account.id, kept) is None
        assert account_for_session(conn, account.id, kept + 1).role == "viewer"

    set_role(engine, account.id, "viewer", active=False, actor="admin")
    with engine.connect() as conn:
        # A deactivated user has no session at any version.
        assert account_for_session(conn, account.id, session_version(conn, account.id)) is None
