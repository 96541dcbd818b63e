"""Users, roles and API tokens (SPEC §6). Passwords are hashed with werkzeug's scrypt;
API tokens are random and stored as SHA-256 hashes. No Flask or Dash here.

Each user has a session version: a sign-in remembers it, and a password change, a role
change, deactivation or a sign-out moves it on, which ends every session signed in before.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, Row, Select, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from dashapp.store.audit import record_change
from dashapp.store.db import write_transaction
from dashapp.store.models import ROLES, ApiToken, User

# What each role may do. Every signed-in user may "view" analytics; "view:all" is the whole
# business (every order, anomaly alerts, the reorder table), not only the orders one entered.
_MANAGER = frozenset(
    {
        "view",
        "view:all",
        "orders:write",
        "catalog:write",
        "alerts:write",
        "data:import",
        "targets:write",
    }
)
PERMISSIONS: dict[str, frozenset[str]] = {
    # An admin may do all a manager may, and also back up and restore, and manage users.
    "admin": _MANAGER | {"data:backup", "users:manage"},
    "manager": _MANAGER,
    # Sales sees only the orders it entered (no "view:all"): its analytics are scoped by
    # Filters.for_account and its order reads and writes by dashapp.orders.scope.
    "sales": frozenset({"view", "orders:write"}),
    "viewer": frozenset({"view", "view:all"}),
}
# NIST SP 800-63B: at least 8 characters, checked against a list of common passwords.
MIN_PASSWORD_LENGTH = 8
# "        ", "aaaaaaaa", "abababab", "12341234": long enough, yet guessed at once.
MIN_DISTINCT_CHARACTERS = 5
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
PASSWORD_RULES = (
    f"At least {MIN_PASSWORD_LENGTH} characters, {MIN_DISTINCT_CHARACTERS} of them different; "
    "not your username, nor a common password."
)
USERNAME_MAX = 80


class AuthError(ValueError):
    """A user or token request that cannot be done; the message says why."""


@dataclass(frozen=True)
class Account:
    """The signed-in user as the surfaces see it."""

    id: int
    username: str
    role: str

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())


def can(role: str | None, permission: str) -> bool:
    """Whether a role holds a permission (unknown or no role: nothing)."""
    return permission in PERMISSIONS.get(role or "", frozenset())


def generate_password() -> str:
    """A random password to print once (about 100 bits)."""
    return secrets.token_urlsafe(16)


@functools.cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` is too weak for `username`, or None when it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must have at least {MIN_PASSWORD_LENGTH} characters"
    if not password.strip():
        return "password must not be only spaces"
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        return f"password must have at least {MIN_DISTINCT_CHARACTERS} different characters"
    lowered, name = password.lower(), username.strip().lower()
    # Below three letters a name is in too many good passwords to forbid it inside one.
    if name and (lowered == name or (len(name) >= 3 and name in lowered)):
        return "password must not contain the username"
    # Letters only, so "Password1!" and "sunshine 2024" count as the common words they are.
    letters = "".join(c for c in lowered if c.isalpha())
    if lowered in _common_passwords() or letters in _common_passwords():
        return "password is too common: it is on the list of the most used passwords"
    return None


def _check_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem:
        raise AuthError(problem)


def _check_new_user(username: str, role: str, password: str) -> None:
    if not username or not username.strip():
        raise AuthError("username is required")
    if len(username) > USERNAME_MAX:
        raise AuthError(f"username is longer than {USERNAME_MAX} characters")
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    _check_password(password, username)


def _audit(
    conn: Connection,
    actor: str | None,
    action: str,
    entity: str,
    entity_id,
    after: dict | None = None,
) -> None:
    record_change(conn, user=actor, action=action, entity=entity, entity_id=entity_id, after=after)


def create_user(
    engine: Engine, username: str, role: str, password: str | None = None, actor: str | None = None
) -> tuple[Account, str]:
    """Create a user; returns the account and the password (generated when not given)."""
    password = password or generate_password()
    username = (username or "").strip()
    _check_new_user(username, role, password)
    try:
        with write_transaction(engine) as conn:
            uid = conn.execute(
                insert(User)
                .values(
                    username=username, role=role, password_hash=generate_password_hash(password)
                )
                .returning(User.id)
            ).scalar_one()
            _audit(conn, actor, "create", "user", uid, {"username": username, "role": role})
    except IntegrityError:
        raise AuthError(f"a user named {username!r} already exists") from None
    return Account(uid, username, role), password


def authenticate(conn: Connection, username: str, password: str) -> Account | None:
    """The account for a correct username and password, else None (same answer either way)."""
    row = conn.execute(
        select(User.id, User.username, User.role, User.password_hash, User.active).where(
            User.username == (username or "").strip()
        )
    ).first()
    if row is None or not row.active:
        # Spend the same time as a real check so usernames cannot be probed by timing.
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(row.password_hash, password or ""):
        return None
    return Account(row.id, row.username, row.role)


_DUMMY_HASH = generate_password_hash("not-a-real-password")


def get_account(conn: Connection, user_id: int) -> Account | None:
    """The active account with this id."""
    row = conn.execute(
        select(User.id, User.username, User.role).where(User.id == user_id, User.active)
    ).first()
    return Account(*row) if row else None


def session_version(conn: Connection, user_id: int) -> int | None:
    """The user's session version, for a new session to remember (None: no such user)."""
    return conn.execute(select(User.session_version).where(User.id == user_id)).scalar()


def account_for_session(conn: Connection, user_id: int, version: int | None) -> Account | None:
    """The active account of a session signed in at `version`; None once that user's
    sessions have ended (password, role or active changed, or a sign-out) since."""
    row = session_row(conn, user_id, version)
    return Account(*row[:3]) if row else None


def session_row(conn: Connection, user_id: int, version: int | None, *also) -> Row | None:
    """`account_for_session`'s row (id, username, role), then the values of `also` (scalar
    subqueries of other tables) read in the same query; None once the session has ended."""
    return conn.execute(_session_query(also), {"user_id": user_id, "version": version}).first()


@functools.cache
def _session_query(also: tuple) -> Select:
    """session_row's statement, built once: built on every request (and keyed anew for
    SQLAlchemy's compiled cache) the query took 0.38 ms of CPU, 0.10 ms built once (issue 17).
    A version of None matches no row, as `== None` did (the column is NOT NULL)."""
    return select(User.id, User.username, User.role, *also).where(
        User.id == bindparam("user_id"), User.active, User.session_version == bindparam("version")
    )


def end_sessions(engine: Engine, user_id: int) -> int | None:
    """End every session of the user (at sign-out); returns the new session version."""
    with write_transaction(engine) as conn:
        return conn.execute(
            update(User)
            .where(User.id == user_id)
            .values(session_version=User.session_version + 1)
            .returning(User.session_version)
        ).scalar()


def list_users(conn: Connection) -> list[dict]:
    rows = conn.execute(
        select(User.id, User.username, User.role, User.active, User.created_at).order_by(
            User.username
        )
    )
    return [dict(r._mapping) for r in rows]


def count_users(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(User)).scalar_one()


def set_password(engine: Engine, user_id: int, old: str | None, new: str, actor: str) -> int:
    """Change a password; `old` must match unless an admin resets it (old=None). Ends the
    user's sessions; returns the new session version, for the session that made the change
    to keep."""
    with write_transaction(engine) as conn:
        current = conn.execute(
            select(User.username, User.password_hash).where(User.id == user_id)
        ).first()
        if current is None:
            raise AuthError("no such user")
        if old is not None and not check_password_hash(current.password_hash, old):
            raise AuthError("the current password is not correct")
        _check_password(new or "", current.username)
        version = conn.execute(
            update(User)
            .where(User.id == user_id)
            .values(
                password_hash=generate_password_hash(new),
                session_version=User.session_version + 1,
            )
            .returning(User.session_version)
        ).scalar_one()
        _audit(conn, actor, "password", "user", user_id)
    return version


def set_role(engine: Engine, user_id: int, role: str, active: bool, actor: str) -> None:
    """Change a user's role or active flag (admins only; enforced by the caller's surface)."""
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    with write_transaction(engine) as conn:
        current = conn.execute(select(User.role, User.active).where(User.id == user_id)).first()
        if current is None:
            raise AuthError("no such user")
        values: dict = {"role": role, "active": active}
        if (current.role, current.active) != (role, active):
            # The sessions signed in under the old role (or while active) end here.
            values["session_version"] = User.session_version + 1
        conn.execute(update(User).where(User.id == user_id).values(**values))
        _audit(conn, actor, "update", "user", user_id, {"role": role, "active": active})


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: Engine, user_id: int, name: str, actor: str) -> str:
    """A new API token for a user, shown once; only its hash is stored."""
    token = "sp_" + secrets.token_urlsafe(32)
    with write_transaction(engine) as conn:
        conn.execute(
            insert(ApiToken).values(user_id=user_id, name=name[:80], token_hash=_token_hash(token))
        )
        _audit(conn, actor, "create", "api_token", user_id)
    return token


def account_for_token(conn: Connection, token: str) -> Account | None:
    """The active account owning an API token, or None."""
    if not token:
        return None
    row = conn.execute(
        select(User.id, User.username, User.role)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == _token_hash(token), User.active, ApiToken.revoked_at.is_(None)
        )
    ).first()
    return Account(*row) if row else None


def revoke_token(engine: Engine, token_id: int, actor: str) -> None:
    with write_transaction(engine) as conn:
        conn.execute(
            update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=datetime.now())
        )
        _audit(conn, actor, "revoke", "api_token", token_id)


def list_tokens(conn: Connection, user_id: int) -> list[dict]:
    """A user's API tokens (never the secret itself), newest first."""
    rows = conn.execute(
        select(ApiToken.id, ApiToken.name, ApiToken.created_at, ApiToken.revoked_at)
        .where(ApiToken.user_id == user_id)
        .order_by(ApiToken.id.desc())
    )
    return [dict(r._mapping) for r in rows]
