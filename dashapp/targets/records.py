"""Stored targets: reading them as an account may see them, and setting or removing them.

Every write checks the role first (admins and managers set targets, SPEC §6), validates every
row before writing any (a refusal changes nothing), and records each change in the audit log
in its own transaction, as the catalog does. One target per (period, metric, scope): setting a
target that exists replaces its amount.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from dashapp.auth import Account
from dashapp.catalog.common import unique_race_as
from dashapp.store.audit import record_snapshots
from dashapp.store.db import write_transaction
from dashapp.store.models import (
    TARGET_METRICS,
    TARGET_SCOPES,
    Order,
    Product,
    Target,
    User,
)
from dashapp.targets.periods import parse_period, period_end, period_key, period_title
from dashapp.validation import (
    MAX_MONEY_CENTS,
    FieldError,
    InputError,
    ValidationError,
    clean_text,
    is_blank,
    parse_int,
    parse_money_cents,
)

targets = Target.__table__
# Two editors adding the same target at once: the loser gets the error the check would give.
RACE = ("period", "This target was just set by someone else: look again, then retry")
METRICS = TARGET_METRICS
SCOPES = TARGET_SCOPES
MONEY_METRICS = ("revenue", "profit")
METRIC_LABELS = {"revenue": "Revenue", "orders": "Orders", "profit": "Profit"}
SCOPE_LABELS = {"business": "Business", "category": "Category", "region": "Region", "user": "User"}
MAX_ORDERS = 100_000_000
MAX_ROWS = 5000  # one import or PUT; a year of monthly targets for 400 scopes and 3 metrics
WRITE = "targets:write"


class TargetAccessError(PermissionError):
    """The account may not change targets; nothing was changed."""


@dataclass(frozen=True)
class TargetDraft:
    """A target as typed in the grid, a CSV row, a JSON body or on the command line: the
    period ("2024-03", "2024-Q1"), the metric, the scope and its key (the category, region or
    username; none for the business), and the amount (currency units for revenue and profit,
    "10,000.00"; a whole number of orders)."""

    period: Any
    metric: Any
    amount: Any
    scope: Any = "business"
    key: Any = None


@dataclass(frozen=True)
class StoredTarget:
    """One target as stored; `amount` is cents for revenue and profit, a count for orders."""

    id: int
    period: str  # "month" or "quarter"
    start: date
    metric: str
    scope: str
    key: str  # "" for the business
    amount: int
    updated_by: str | None = None
    updated_at: datetime | None = None

    @property
    def end(self) -> date:
        return period_end(self.period, self.start)

    @property
    def period_key(self) -> str:
        return period_key(self.period, self.start)

    @property
    def period_title(self) -> str:
        return period_title(self.period, self.start)

    @property
    def is_money(self) -> bool:
        return self.metric in MONEY_METRICS

    @property
    def scope_text(self) -> str:
        """ "the business", or "category Classic Cars", "region EMEA", "user sam"."""
        return "the business" if self.scope == "business" else f"{self.scope} {self.key}"

    def amount_text(self) -> str:
        return amount_text(self.metric, self.amount)

    def describe(self) -> str:
        """ "Revenue target for category Planes in March 2024"."""
        return f"{METRIC_LABELS[self.metric]} target for {self.scope_text} in {self.period_title}"

    def snapshot(self) -> dict:
        """What the audit log keeps: the target as the grid and the API write it."""
        return {
            "period": self.period_key,
            "metric": self.metric,
            "scope": self.scope,
            "key": self.key or None,
            "amount": amount_value(self.metric, self.amount),
        }

    def as_json(self) -> dict:
        """The target as the API answers it: money as a number of currency units."""
        return {
            "id": self.id,
            **self.snapshot(),
            "amount": json_amount(self.metric, self.amount),
            "period_start": self.start.isoformat(),
            "period_end": self.end.isoformat(),
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat(timespec="seconds")
            if self.updated_at
            else None,
        }


def amount_value(metric: str, amount: int) -> str | int:
    """Money as an exact "10000.00" string (JSON numbers go through floats), orders as is."""
    if metric in MONEY_METRICS:
        return str((Decimal(amount) / 100).quantize(Decimal("0.01")))
    return amount


def json_amount(metric: str, amount: int | None) -> float | int | None:
    """Money as a number of currency units (2 decimals, as the other API answers), orders as
    a count."""
    if amount is None:
        return None
    return float(amount_value(metric, amount)) if metric in MONEY_METRICS else amount


def amount_text(metric: str, amount: int) -> str:
    """$10,000.00 or 1,200 orders."""
    if metric in MONEY_METRICS:
        return f"${Decimal(amount) / 100:,.2f}"
    return f"{amount:,} order" + ("" if amount == 1 else "s")


def _stored(row) -> StoredTarget:
    m = row._mapping
    start = m["period_start"]
    if isinstance(start, str):  # SQLite through a raw select hands dates back as text
        start = date.fromisoformat(start)
    return StoredTarget(
        id=m["id"],
        period=m["period"],
        start=start,
        metric=m["metric"],
        scope=m["scope"],
        key=m["scope_key"],
        amount=int(m["amount"]),
        updated_by=m["updated_by"],
        updated_at=m["updated_at"],
    )


# --- Who may see and change what ----------------------------------------------------------------


def can_edit(account: Account | None) -> bool:
    """Whether the account may set and remove targets (admins and managers)."""
    return account is not None and account.can(WRITE)


def check_editor(account: Account | None) -> None:
    """Refuse any target write to an account that may not make one (role first, so a refusal
    never depends on what was sent)."""
    if account is None:
        raise TargetAccessError("Sign in to set targets. Nothing was changed.")
    if not can_edit(account):
        raise TargetAccessError(
            f"Your role ({account.role}) cannot set targets: admins and managers set them. "
            "Nothing was changed."
        )


def _visible(account: Account | None):
    """The condition on targets for what the account may see: a sales user only their own
    user targets (the others hold whole-business figures, SPEC §6)."""
    if account is not None and account.can("view:all"):
        return None
    username = account.username if account is not None else None
    return (targets.c.scope == "user") & (targets.c.scope_key == (username or ""))


def list_targets(
    conn: Connection,
    account: Account | None,
    *,
    start: date | None = None,
    end: date | None = None,
    metric: str | None = None,
    scope: str | None = None,
    key: str | None = None,
) -> list[StoredTarget]:
    """The targets the account may see, newest period first: those of periods overlapping
    [start, end] (a quarter starting before `start` counts when it reaches it)."""
    stmt = select(targets)
    visible = _visible(account)
    if visible is not None:
        stmt = stmt.where(visible)
    if end is not None:
        stmt = stmt.where(targets.c.period_start <= end)
    if start is not None:
        # A quarter starts at most two months before a day it holds.
        stmt = stmt.where(targets.c.period_start >= _months_before(start, 2))
    if metric is not None:
        stmt = stmt.where(targets.c.metric == metric)
    if scope is not None:
        stmt = stmt.where(targets.c.scope == scope)
    if key is not None:
        stmt = stmt.where(targets.c.scope_key == key)
    stmt = stmt.order_by(
        targets.c.period_start.desc(),
        targets.c.period,
        targets.c.scope,
        targets.c.scope_key,
        targets.c.metric,
    )
    found = [_stored(r) for r in conn.execute(stmt)]
    if start is not None:
        found = [t for t in found if t.end >= start]
    return found


def _months_before(day: date, months: int) -> date:
    month = day.month - 1 - months
    return date(day.year + month // 12, month % 12 + 1, 1)


def get_target(conn: Connection, target_id: int) -> StoredTarget:
    row = conn.execute(select(targets).where(targets.c.id == target_id)).first()
    if row is None:
        raise LookupError(f"No target with id {target_id}")
    return _stored(row)


# --- Validation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownScopes:
    """The categories, regions and users a target can be for, as stored."""

    categories: tuple[str, ...]
    regions: tuple[str, ...]
    users: tuple[str, ...]

    def of(self, scope: str) -> tuple[str, ...]:
        return {"category": self.categories, "region": self.regions, "user": self.users}[scope]


def known_scopes(conn: Connection) -> KnownScopes:
    """Categories of the catalog, regions the orders were shipped to, and the users who enter
    orders (admins, managers and sales: a viewer never has orders of their own)."""
    products, orders, users = Product.__table__, Order.__table__, User.__table__
    categories = conn.scalars(
        select(products.c.category).distinct().order_by(products.c.category)
    ).all()
    regions = conn.scalars(
        select(orders.c.ship_region)
        .where(orders.c.ship_region.is_not(None), orders.c.ship_region != "")
        .distinct()
        .order_by(orders.c.ship_region)
    ).all()
    people = conn.scalars(
        select(users.c.username)
        .where(users.c.role.in_(("admin", "manager", "sales")))
        .order_by(users.c.username)
    ).all()
    return KnownScopes(tuple(categories), tuple(regions), tuple(people))


def _choice(raw: Any, choices: Sequence[str], label: str) -> str:
    text = raw.strip().lower() if isinstance(raw, str) else ""
    if not text:
        raise InputError(f"{label} is required: {', '.join(choices)}")
    if text not in choices:
        raise InputError(f"{label} must be one of {', '.join(choices)}, got {raw.strip()!r}")
    return text


def _amount(raw: Any, metric: str | None) -> int:
    if metric in MONEY_METRICS:
        cents = parse_money_cents(raw, "Amount")
        if cents == 0:
            raise InputError("Amount must be more than 0")
        if cents > MAX_MONEY_CENTS:
            raise InputError(f"Amount must be at most {MAX_MONEY_CENTS // 100:,}")
        return cents
    return parse_int(raw, "Amount", minimum=1, maximum=MAX_ORDERS)


def _key(raw: Any, scope: str | None, known: KnownScopes) -> str:
    if scope is None:
        return ""
    if scope == "business":
        if not is_blank(raw):
            raise InputError(
                "A business target is for all the orders: leave the category, region or user empty"
            )
        return ""
    text = clean_text(raw, SCOPE_LABELS[scope], 200, required=True)
    choices = known.of(scope)
    if text in choices:
        return text
    same = [c for c in choices if c.lower() == text.lower()]
    if len(same) == 1:
        return same[0]  # "classic cars" is Classic Cars
    if scope == "user":
        raise InputError(f"No user named {text!r} enters orders (admins, managers, sales)")
    if not choices:
        none = (
            "the catalog has no categories"
            if scope == "category"
            else "no order has a ship-to region (import orders with a territory or region column)"
        )
        raise InputError(f"Unknown {scope} {text!r}: {none} yet")
    close = difflib.get_close_matches(text, choices, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise InputError(f"Unknown {scope} {text!r}{hint}")


def validate(draft: TargetDraft, known: KnownScopes, line: int | None = None) -> dict:
    """The column values of a draft, or ValidationError naming every bad field (on `line`,
    0-based, for a batch)."""
    errors: list[FieldError] = []

    def parse(field: str, parser, *args):
        try:
            return parser(*args)
        except InputError as exc:
            errors.append(FieldError(field, str(exc), line))
            return None

    period = parse("period", parse_period, draft.period)
    metric = parse("metric", _choice, draft.metric, METRICS, "Metric")
    scope = parse("scope", _choice, draft.scope or "business", SCOPES, "Scope")
    key = parse("key", _key, draft.key, scope, known)
    amount = parse("amount", _amount, draft.amount, metric) if metric else None
    if errors:
        raise ValidationError(errors)
    kind, start = period
    return {
        "period": kind,
        "period_start": start,
        "metric": metric,
        "scope": scope,
        "scope_key": key,
        "amount": amount,
    }


def _natural_key(values: dict) -> tuple:
    return tuple(values[k] for k in ("period", "period_start", "metric", "scope", "scope_key"))


# --- Writes -------------------------------------------------------------------------------------


def set_targets(
    engine: Engine,
    drafts: Iterable[TargetDraft],
    account: Account | None,
    row_names: Sequence[str] | None = None,
) -> list[StoredTarget]:
    """Set every target in one transaction (a new one is added, an existing one for the same
    period, metric and scope gets the new amount), or none: ValidationError lists every bad
    row by its 0-based line, TargetAccessError a role that may not. `row_names` say how to
    name a row in a message ("line 3" of a file; default "row 1")."""
    check_editor(account)
    drafts = list(drafts)
    if not drafts:
        raise ValidationError([FieldError("targets", "No targets to set")])
    if len(drafts) > MAX_ROWS:
        raise ValidationError(
            [FieldError("targets", f"At most {MAX_ROWS:,} targets at once, got {len(drafts):,}")]
        )
    with unique_race_as(*RACE), write_transaction(engine) as conn:
        known = known_scopes(conn)
        rows, errors, seen = [], [], {}
        for i, draft in enumerate(drafts):
            try:
                values = validate(draft, known, i)
            except ValidationError as exc:
                errors += exc.errors
                continue
            first = seen.setdefault(_natural_key(values), i)
            if first != i:
                name = row_names[first] if row_names else f"row {first + 1}"
                errors.append(
                    FieldError(
                        "period", f"Same period, metric and scope as {name}: one of them", line=i
                    )
                )
            rows.append(values)
        if errors:
            raise ValidationError(errors)
        return [_upsert(conn, values, account.username) for values in rows]


def set_target(engine: Engine, draft: TargetDraft, account: Account | None) -> StoredTarget:
    """Set one target (see set_targets); its field errors carry no line."""
    try:
        return set_targets(engine, [draft], account)[0]
    except ValidationError as exc:
        raise ValidationError([FieldError(e.field, e.message) for e in exc.errors]) from None


def update_target(
    engine: Engine, target_id: int, draft: TargetDraft, account: Account | None
) -> StoredTarget:
    """Replace one stored target by id (a grid row edited); refused when its new period, metric
    and scope are another target's."""
    check_editor(account)
    with unique_race_as(*RACE), write_transaction(engine) as conn:
        before = get_target(conn, target_id)
        values = validate(draft, known_scopes(conn))
        other = _find(conn, values)
        if other is not None and other.id != target_id:
            raise ValidationError(
                [FieldError("period", f"{other.describe()} is already set ({other.amount_text()})")]
            )
        conn.execute(
            update(targets)
            .where(targets.c.id == target_id)
            .values(**values, updated_by=account.username, updated_at=datetime.now())
        )
        after = get_target(conn, target_id)
        record_snapshots(
            conn,
            user=account.username,
            entity="target",
            entity_id=target_id,
            before=before,
            after=after,
        )
        return after


def delete_target(engine: Engine, target_id: int, account: Account | None) -> StoredTarget:
    """Remove one target; LookupError when there is none."""
    check_editor(account)
    with write_transaction(engine) as conn:
        before = get_target(conn, target_id)
        conn.execute(delete(targets).where(targets.c.id == target_id))
        record_snapshots(
            conn, user=account.username, entity="target", entity_id=target_id, before=before
        )
        return before


def _find(conn: Connection, values: dict) -> StoredTarget | None:
    row = conn.execute(
        select(targets).where(
            *(
                targets.c[k] == values[k]
                for k in ("period", "period_start", "metric", "scope", "scope_key")
            )
        )
    ).first()
    return None if row is None else _stored(row)


def _upsert(conn: Connection, values: dict, user: str) -> StoredTarget:
    existing = _find(conn, values)
    stamp = {"updated_by": user, "updated_at": datetime.now()}
    if existing is None:
        new_id = conn.execute(
            insert(targets).values(**values, **stamp).returning(targets.c.id)
        ).scalar_one()
        after = get_target(conn, new_id)
        record_snapshots(conn, user=user, entity="target", entity_id=new_id, after=after)
        return after
    if existing.amount == values["amount"]:
        return existing  # the same target again: nothing to change or audit
    conn.execute(
        update(targets).where(targets.c.id == existing.id).values(amount=values["amount"], **stamp)
    )
    after = get_target(conn, existing.id)
    record_snapshots(
        conn, user=user, entity="target", entity_id=existing.id, before=existing, after=after
    )
    return after
