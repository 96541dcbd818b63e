"""Stored KPI alert rules: reading them, and adding, enabling and removing them.

Every write checks the role first (admins and managers hold "alerts:write", SPEC §6: the
rules watch whole-business figures), validates the whole rule before writing (a refusal
changes nothing, and says what is wrong with each field), and records the change in the audit
log in the same transaction.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from dashapp.alerts.metrics import COUNT, METRICS, MONEY, PERCENT, TARGET_METRICS, amount_text
from dashapp.alerts.periods import MONTH, MONTH_TO_DATE, PERIODS
from dashapp.auth import Account
from dashapp.filters import DIMENSIONS, FilterError, Filters
from dashapp.store.audit import record_snapshots
from dashapp.store.db import write_transaction
from dashapp.store.models import AlertRule, KpiAlert
from dashapp.targets.view import scope_of_view
from dashapp.validation import (
    MAX_MONEY_CENTS,
    FieldError,
    InputError,
    ValidationError,
    clean_text,
    parse_bool,
    parse_int,
    parse_money_cents,
)

rules = AlertRule.__table__
fired = KpiAlert.__table__
WRITE = "alerts:write"
READ = "view:all"
BELOW, ABOVE, BEHIND_TARGET = "below", "above", "behind_target"
COMPARISONS = (BELOW, ABOVE, BEHIND_TARGET)
COMPARISON_LABELS = {BELOW: "below", ABOVE: "above", BEHIND_TARGET: "behind target by more than"}
MAX_RULES = 200
MAX_COUNT = 10**12


class RuleAccessError(PermissionError):
    """The account may not read or change alert rules; nothing was changed."""


@dataclass(frozen=True)
class RuleDraft:
    """A rule as typed in the form, a JSON body or on the command line: the threshold in the
    metric's unit as a person writes it ("1,000.00", "12", "5 %")."""

    name: Any
    metric: Any
    threshold: Any
    comparison: Any = BELOW
    period: Any = "week"
    filter: Any = ""
    enabled: Any = True


@dataclass(frozen=True)
class StoredRule:
    id: int
    name: str
    metric: str
    filter_query: str
    period: str
    comparison: str
    threshold: int  # in the metric's unit; basis points for behind_target
    enabled: bool
    created_by: str | None = None
    checked_through: date | None = None

    @property
    def filters(self) -> Filters:
        return Filters.from_query(self.filter_query)

    @property
    def unit(self) -> str:
        return PERCENT if self.comparison == BEHIND_TARGET else METRICS[self.metric].unit

    @property
    def value_unit(self) -> str:
        """The unit of the value an alert shows: the metric's (a run-rate for a target)."""
        return METRICS[self.metric].unit

    def condition_text(self) -> str:
        """ "below $1,000.00", "above 5.00 %", "behind target by more than 10.00 %"."""
        return f"{COMPARISON_LABELS[self.comparison]} {amount_text(self.unit, self.threshold)}"

    def describe(self) -> str:
        """ "Revenue of category Planes and country France, per week, below $1,000.00"."""
        what = METRICS[self.metric].label
        return (
            f"{what} of {filter_text(self.filter_query)}, {PER_PERIOD[self.period]}, "
            f"{self.condition_text()}"
        )

    def snapshot(self) -> dict:
        return {
            "name": self.name,
            "metric": self.metric,
            "filter": self.filter_query,
            "period": self.period,
            "comparison": self.comparison,
            "threshold": self.threshold,
            "enabled": self.enabled,
        }

    def as_json(self) -> dict:
        from dashapp.alerts.metrics import json_amount

        return {
            "id": self.id,
            "name": self.name,
            "metric": self.metric,
            "filter": self.filter_query,
            "period": self.period,
            "comparison": self.comparison,
            "threshold": json_amount(self.unit, self.threshold),
            "unit": self.unit,
            "enabled": self.enabled,
            "created_by": self.created_by,
            "checked_through": self.checked_through.isoformat() if self.checked_through else None,
            "description": self.describe(),
        }


PER_PERIOD = {
    "day": "per day",
    "week": "per week",
    "month": "per month",
    "week_to_date": "over the week to date",
    "month_to_date": "over the month to date",
}


def filter_text(query: str) -> str:
    """ "category Planes and country France or Spain" from a canonical query string ("the
    whole business" for none): what a person reads, where the query has "+" and "%26"."""
    params = Filters.from_query(query).to_params()
    if not params:
        return "the whole business"
    return " and ".join(f"{name} {' or '.join(values)}" for name, values in params.items())


def _as_date(value) -> date | None:
    if isinstance(value, str):  # SQLite through a raw select hands dates back as text
        return date.fromisoformat(value[:10])
    return value


def stored_rule(row) -> StoredRule:
    """A rule from a result row of kpi_alert_rules (or a mapping of its columns)."""
    m = getattr(row, "_mapping", row)
    return StoredRule(
        id=m["id"],
        name=m["name"],
        metric=m["metric"],
        filter_query=m["filter_query"],
        period=m["period"],
        comparison=m["comparison"],
        threshold=int(m["threshold"]),
        enabled=bool(m["enabled"]),
        created_by=m["created_by"],
        checked_through=_as_date(m["checked_through"]),
    )


# --- Who may see and change what ----------------------------------------------------------------


def can_edit(account: Account | None) -> bool:
    """Whether the account may add, switch and remove rules (admins and managers)."""
    return account is not None and account.can(WRITE)


def check_editor(account: Account | None) -> None:
    """Refuse a write to an account that may not make one, before looking at what was sent."""
    if account is None:
        raise RuleAccessError("Sign in to change alert rules. Nothing was changed.")
    if not can_edit(account):
        raise RuleAccessError(
            f"Your role ({account.role}) cannot change alert rules: admins and managers do. "
            "Nothing was changed."
        )


def check_reader(account: Account | None) -> None:
    """Rules and their alerts are whole-business figures: not for a sales user's own view."""
    if account is None or not account.can(READ):
        role = account.role if account is not None else "signed out"
        raise RuleAccessError(
            f"Your role ({role}) sees only its own orders; alert rules watch the whole business."
        )


def list_rules(conn: Connection, account: Account | None) -> list[StoredRule]:
    """Every rule, oldest first."""
    check_reader(account)
    return [stored_rule(r) for r in conn.execute(select(rules).order_by(rules.c.id))]


def get_rule(conn: Connection, rule_id: int) -> StoredRule:
    row = conn.execute(select(rules).where(rules.c.id == rule_id)).first()
    if row is None:
        raise LookupError(f"No alert rule with id {rule_id}")
    return stored_rule(row)


# --- Validation ---------------------------------------------------------------------------------


def _choice(raw: Any, choices, label: str) -> str:
    text = raw.strip().lower().replace(" ", "_") if isinstance(raw, str) else ""
    if not text:
        raise InputError(f"{label} is required: one of {', '.join(choices)}")
    if text not in choices:
        close = difflib.get_close_matches(text, choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(
            f"Unknown {label.lower()} {raw.strip()!r}{hint}: one of {', '.join(choices)}"
        )
    return text


def parse_filter(raw: Any) -> str:
    """The canonical query string of a filter ("category=Planes&country=France"); the rule's
    period sets the dates, so start and end are refused, as is any name Filters does not
    know (parse_qs would drop it silently and the rule would watch everything)."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise InputError("Filter must be a query string such as category=Planes&country=France")
    text = raw.strip().lstrip("?")
    if not text:
        return ""
    try:
        params = parse_qs(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InputError(
            f"Filter {text!r} is not a query string: write name=value pairs joined by &, "
            "e.g. category=Planes&country=France"
        ) from None
    dated = [name for name in params if name in ("start", "end")]
    if dated:
        raise InputError(
            f"Filter: leave {' and '.join(dated)} out, the rule's period sets the dates"
        )
    unknown = [name for name in params if name not in DIMENSIONS]
    if unknown:
        raise InputError(f"Filter: unknown name {unknown[0]!r}; use {', '.join(DIMENSIONS)}")
    empty = [name for name, values in params.items() if not any(v.strip() for v in values)]
    if empty:
        raise InputError(f"Filter: {empty[0]} has no value")
    try:
        return Filters.from_params(params).to_query()
    except FilterError as exc:
        raise InputError(f"Filter: {exc}") from None


def _percent_bp(raw: Any, label: str, low: int, high: int) -> int:
    """A percentage ("5", "5.25 %") as basis points within [low, high] bp."""
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("%").strip()
    if raw is None or raw == "":
        raise InputError(f"{label} is required, e.g. 5 for 5 %")
    if isinstance(raw, bool):
        raise InputError(f"{label} must be a number, e.g. 5 for 5 %")
    try:
        value = Decimal(str(raw).replace(",", ""))
    except ArithmeticError:
        raise InputError(f"{label} must be a number, e.g. 5 for 5 %") from None
    if not value.is_finite():
        raise InputError(f"{label} must be a number, e.g. 5 for 5 %")
    bp = value * 100
    if bp != bp.to_integral_value():
        raise InputError(f"{label} can have at most 2 decimal places")
    if not low <= bp <= high:
        raise InputError(f"{label} must be between {low // 100} and {high // 100} %")
    return int(bp)


def parse_threshold(raw: Any, metric: str, comparison: str) -> int:
    """The threshold in the rule's unit, with a message naming what is expected."""
    if comparison == BEHIND_TARGET:
        bp = _percent_bp(raw, "Threshold", 1, 9_999)
        return bp
    unit = METRICS[metric].unit
    if unit == MONEY:
        cents = parse_money_cents(raw, "Threshold")
        if cents > MAX_MONEY_CENTS:
            raise InputError(f"Threshold must be at most {MAX_MONEY_CENTS // 100:,}")
        return cents
    if unit == COUNT:
        return parse_int(raw, "Threshold", minimum=0, maximum=MAX_COUNT)
    low = -10_000 if metric == "margin" else 0
    return _percent_bp(raw, "Threshold", low, 10_000)


def _name(raw: Any) -> str:
    # Kept verbatim, markup included: every surface shows it as text.
    return clean_text(raw, "Name", 80, required=True)


def validate(draft: RuleDraft) -> dict:
    """The column values of a draft, or ValidationError naming every bad field."""
    errors: list[FieldError] = []

    def parse(field: str, parser, *args):
        try:
            return parser(*args)
        except InputError as exc:
            errors.append(FieldError(field, str(exc)))
            return None

    name = parse("name", _name, draft.name)
    metric = parse("metric", _choice, draft.metric, tuple(METRICS), "Metric")
    comparison = parse("comparison", _choice, draft.comparison, COMPARISONS, "Comparison")
    period = parse("period", _choice, draft.period, PERIODS, "Period")
    query = parse("filter", parse_filter, draft.filter)
    enabled = parse("enabled", parse_bool, draft.enabled, "Enabled")
    threshold = None
    if metric and comparison:
        threshold = parse("threshold", parse_threshold, draft.threshold, metric, comparison)
    if comparison == BEHIND_TARGET and not errors:
        _check_target_rule(metric, period, query, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "metric": metric,
        "filter_query": query,
        "period": period,
        "comparison": comparison,
        "threshold": threshold,
        "enabled": enabled,
    }


def _check_target_rule(metric: str, period: str, query: str, errors: list[FieldError]) -> None:
    if metric not in TARGET_METRICS:
        errors.append(
            FieldError(
                "metric",
                f"Targets are set for {', '.join(TARGET_METRICS)}: "
                f"{METRICS[metric].label.lower()} has none to be behind",
            )
        )
    if period not in (MONTH, MONTH_TO_DATE):
        errors.append(
            FieldError(
                "period",
                "Targets are monthly: compare with a target over a month or the month to date",
            )
        )
    if scope_of_view(Filters.from_query(query)) is None:
        errors.append(
            FieldError(
                "filter",
                f"A target is for the business or one category: the filter {query!r} "
                "matches no target's orders",
            )
        )


# --- Writes -------------------------------------------------------------------------------------


def add_rule(engine: Engine, draft: RuleDraft, account: Account | None) -> StoredRule:
    """Add a rule; ValidationError names every bad field, RuleAccessError a role that may not."""
    check_editor(account)
    values = validate(draft)
    with write_transaction(engine) as conn:
        if conn.execute(select(func.count()).select_from(rules)).scalar_one() >= MAX_RULES:
            raise ValidationError(
                [FieldError("name", f"At most {MAX_RULES} rules: remove one first")]
            )
        new_id = conn.execute(
            insert(rules)
            .values(**values, created_by=account.username, created_at=datetime.now())
            .returning(rules.c.id)
        ).scalar_one()
        rule = get_rule(conn, new_id)
        record_snapshots(
            conn, user=account.username, entity="alert_rule", entity_id=new_id, after=rule
        )
        return rule


def set_rule_enabled(
    engine: Engine, rule_id: int, enabled: Any, account: Account | None
) -> StoredRule:
    """Switch a rule on or off (its alerts stay); LookupError when there is none."""
    check_editor(account)
    try:
        on = parse_bool(enabled, "Enabled")
    except InputError as exc:
        raise ValidationError([FieldError("enabled", str(exc))]) from None
    with write_transaction(engine) as conn:
        before = get_rule(conn, rule_id)
        if before.enabled == on:
            return before
        conn.execute(update(rules).where(rules.c.id == rule_id).values(enabled=on))
        after = get_rule(conn, rule_id)
        record_snapshots(
            conn,
            user=account.username,
            entity="alert_rule",
            entity_id=rule_id,
            before=before,
            after=after,
        )
        return after


def remove_rule(engine: Engine, rule_id: int, account: Account | None) -> StoredRule:
    """Remove a rule and its alerts; LookupError when there is none."""
    check_editor(account)
    with write_transaction(engine) as conn:
        before = get_rule(conn, rule_id)
        conn.execute(delete(fired).where(fired.c.rule_id == rule_id))
        conn.execute(delete(rules).where(rules.c.id == rule_id))
        record_snapshots(
            conn, user=account.username, entity="alert_rule", entity_id=rule_id, before=before
        )
        return before
