"""Saved views as an account may see and change them.

Everyone signed in ("view") may save views: private ones only they see, or shared ones every
account sees. Only the owner renames a view; the owner deletes it, and so may an admin when it
is shared. Another account's private view does not exist for anyone else: every read and
write answers "no saved view" for it, whatever the surface or a forged request asks. Names are
trimmed, at most MAX_NAME characters, unique per owner whatever their case, and kept verbatim
(markup or a formula is text, shown as text). Writes are audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, update

from dashapp.auth import Account
from dashapp.catalog.common import unique_race_as
from dashapp.filters import Filters
from dashapp.store.audit import to_json
from dashapp.store.db import write_transaction
from dashapp.store.models import AuditLog, DigestSchedule, User
from dashapp.store.models import SavedView as SavedViewRow
from dashapp.validation import FieldError, InputError, ValidationError, clean_text
from dashapp.views.query import canonical_query

views = SavedViewRow.__table__
users = User.__table__
schedules = DigestSchedule.__table__
MAX_NAME = 80
MAX_VIEWS = 200  # per owner: a list anyone can still read
SECTION = re.compile(r"[a-z][a-z0-9_-]{0,39}")
DELETE_SHARED = "users:manage"  # admins tidy up shared views


class ViewNotFound(LookupError):
    """No such view, or another account's private one: the same answer either way."""

    def __init__(self, ref: object) -> None:
        super().__init__(f"no saved view {ref}")


class ViewAccessError(PermissionError):
    """The account sees the view but may not change it; nothing was changed."""


@dataclass(frozen=True)
class SavedView:
    id: int
    name: str
    section: str
    query: str
    shared: bool
    owner: str
    owner_id: int
    updated_at: datetime | None = None

    @property
    def filters(self) -> Filters:
        """The view's filters (its settings aside), as every surface parses them."""
        return Filters.from_query(self.query)

    def owned_by(self, account: Account) -> bool:
        return self.owner_id == account.id

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "section": self.section,
            "query": self.query,
            "shared": self.shared,
            "owner": self.owner,
        }


def _check_account(account: Account | None) -> Account:
    if account is None or not account.can("view"):
        raise ViewAccessError("sign in to use saved views")
    return account


def _field(field: str, message: str) -> ValidationError:
    return ValidationError([FieldError(field, message)])


def _name(raw: object) -> str:
    try:
        name = clean_text(raw, "name", MAX_NAME, required=True)
    except InputError as exc:
        raise _field("name", str(exc)) from None
    return " ".join(name.split())  # one space between words: "Q1  France" is "Q1 France"


def _section(raw: object) -> str:
    section = str(raw or "").strip()
    if not SECTION.fullmatch(section):
        raise _field("section", f"not a section of the page: {section[:40]!r}")
    return section


def _select():
    return select(
        views.c.id,
        views.c.name,
        views.c.section,
        views.c.query,
        views.c.shared,
        users.c.username,
        views.c.user_id,
        views.c.updated_at,
    ).join(users, users.c.id == views.c.user_id)


def _visible(account: Account):
    return or_(views.c.user_id == account.id, views.c.shared.is_(True))


def _row(row) -> SavedView:
    return SavedView(
        id=row.id,
        name=row.name,
        section=row.section,
        query=row.query or "",
        shared=bool(row.shared),
        owner=row.username,
        owner_id=row.user_id,
        updated_at=row.updated_at,
    )


def list_views(conn: Connection, account: Account) -> list[SavedView]:
    """The account's own views and everyone's shared ones, by name (own first on a tie)."""
    account = _check_account(account)
    rows = conn.execute(
        _select()
        .where(_visible(account))
        .order_by(func.lower(views.c.name), (views.c.user_id != account.id), views.c.id)
    ).all()
    return [_row(r) for r in rows]


def get_view(conn: Connection, account: Account, view_id: object) -> SavedView:
    """One view the account may see, by id; ViewNotFound otherwise."""
    account = _check_account(account)
    try:
        vid = int(str(view_id))
    except ValueError:
        raise ViewNotFound(repr(str(view_id)[:40])) from None
    if not 0 < vid < 2**31:
        raise ViewNotFound(vid)
    row = conn.execute(_select().where(views.c.id == vid, _visible(account))).first()
    if row is None:
        raise ViewNotFound(vid)
    return _row(row)


def find_view(conn: Connection, account: Account, ref: str) -> SavedView:
    """A view by id or by name (case-insensitive): the account's own first, then a shared one;
    two shared views of that name by other owners must be named by id."""
    account = _check_account(account)
    ref = " ".join(str(ref or "").split())
    if ref.isascii() and ref.isdigit():
        return get_view(conn, account, ref)
    rows = conn.execute(
        _select()
        .where(_visible(account), func.lower(views.c.name) == ref.lower())
        .order_by((views.c.user_id != account.id), views.c.id)
    ).all()
    if not rows:
        raise ViewNotFound(repr(ref[:MAX_NAME]))
    mine = [r for r in rows if r.user_id == account.id]
    if not mine and len(rows) > 1:
        ids = ", ".join(str(r.id) for r in rows)
        raise _field("view", f"several shared views are named {ref!r} (ids {ids}): use an id")
    return _row(rows[0])


def _audit(conn: Connection, account: Account, action: str, view_id: int, before, after) -> None:
    # Not record_change: a saved view is no data, so it must not move the data version (which
    # empties the answer cache and refreshes every open page).
    conn.execute(
        insert(AuditLog),
        dict(
            username=account.username,
            action=action,
            entity="saved_view",
            entity_id=str(view_id),
            before=to_json(before),
            after=to_json(after),
        ),
    )


def _check_name_free(conn: Connection, owner_id: int, name: str, except_id: int = 0) -> None:
    taken = conn.execute(
        select(views.c.id).where(
            views.c.user_id == owner_id,
            func.lower(views.c.name) == name.lower(),
            views.c.id != except_id,
        )
    ).first()
    if taken:
        raise _field("name", f"you already have a view named {name!r}")


RACE = ("name", "a view of that name was just saved: choose another name")


def save_view(
    engine: Engine,
    account: Account,
    name: object,
    section: object,
    query: str | None,
    shared: bool = False,
) -> SavedView:
    """Save the account's current view under a new name; a bad name, section or query is a
    ValidationError naming the field, and nothing is saved."""
    account = _check_account(account)
    errors = []
    values = {}
    for field, parse, raw in (
        ("name", _name, name),
        ("section", _section, section),
        ("query", canonical_query, query),
    ):
        try:
            values[field] = parse(raw)
        except ValidationError as exc:
            errors += exc.errors
    if not isinstance(shared, bool):
        errors.append(FieldError("shared", "must be yes or no"))
    if errors:
        raise ValidationError(errors)
    with unique_race_as(*RACE), write_transaction(engine) as conn:
        _check_name_free(conn, account.id, values["name"])
        count = conn.execute(
            select(func.count()).select_from(views).where(views.c.user_id == account.id)
        ).scalar_one()
        if count >= MAX_VIEWS:
            raise _field("name", f"you have {count} saved views, the most one may keep")
        now = datetime.now()
        view_id = conn.execute(
            insert(views)
            .values(user_id=account.id, shared=shared, created_at=now, updated_at=now, **values)
            .returning(views.c.id)
        ).scalar_one()
        _audit(conn, account, "create", view_id, None, {**values, "shared": shared})
    with engine.connect() as conn:
        return get_view(conn, account, view_id)


def rename_view(engine: Engine, account: Account, view_id: object, name: object) -> SavedView:
    """Rename one of the account's own views."""
    account = _check_account(account)
    new = _name(name)
    with unique_race_as(*RACE), write_transaction(engine) as conn:
        view = get_view(conn, account, view_id)
        if not view.owned_by(account):
            raise ViewAccessError(f"only {view.owner} may rename the view {view.name!r}")
        _check_name_free(conn, account.id, new, except_id=view.id)
        conn.execute(
            update(views).where(views.c.id == view.id).values(name=new, updated_at=datetime.now())
        )
        _audit(conn, account, "rename", view.id, {"name": view.name}, {"name": new})
    with engine.connect() as conn:
        return get_view(conn, account, view.id)


def delete_view(engine: Engine, account: Account, view_id: object) -> SavedView:
    """Delete a view: the owner's own, or a shared one by an admin. A view a digest schedule
    uses is kept, with a message naming the schedules (change them first)."""
    account = _check_account(account)
    with write_transaction(engine) as conn:
        view = get_view(conn, account, view_id)
        if not (view.owned_by(account) or (view.shared and account.can(DELETE_SHARED))):
            raise ViewAccessError(
                f"only {view.owner} or an admin may delete the view {view.name!r}"
            )
        used = (
            conn.execute(
                select(schedules.c.id)
                .where(schedules.c.view_id == view.id)
                .order_by(schedules.c.id)
            )
            .scalars()
            .all()
        )
        if used:
            ids = ", ".join(str(i) for i in used)
            raise _field(
                "view",
                f"the view {view.name!r} is used by digest schedule(s) {ids}: "
                "remove it from them first",
            )
        conn.execute(delete(views).where(views.c.id == view.id))
        _audit(conn, account, "delete", view.id, view.as_json(), None)
    return view
