"""Judging the rules: each rule's metric over its complete periods, through the same KPI
function as the Overview (dashapp.analytics.kpis.kpis) and, for "behind target", the same
progress function as the Overview's target card (dashapp.targets.progress); then storing what
fired, and resolving what no longer holds.

One alert per (rule, period): a check that finds the condition again changes nothing (or
updates the figure when the data changed, with a note); a condition that no longer holds
resolves its alert with a note saying what the period now shows; one that holds again after
that reopens the same alert. Open alerts of earlier periods are judged again at every check,
so an alert whose period's data changed (late orders, an import) resolves itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import Connection, Engine, and_, insert, select, update

from dashapp.alerts.metrics import BP, METRICS, amount_text, json_amount, rounded, value_of
from dashapp.alerts.periods import TO_DATE, Window, due_windows
from dashapp.alerts.rules import (
    BEHIND_TARGET,
    BELOW,
    StoredRule,
    check_editor,
    check_reader,
    fired,
    rules,
    stored_rule,
)
from dashapp.analytics.kpis import kpis
from dashapp.analytics.query import as_date, data_bounds
from dashapp.auth import Account
from dashapp.store.audit import record_change
from dashapp.store.db import write_transaction
from dashapp.store.models import ALERT_STATUSES
from dashapp.targets.progress import progress
from dashapp.targets.records import list_targets
from dashapp.targets.view import scope_of_view

PENDING = ("open", "acknowledged")
# The check reads every target, as the digest does: the rules are whole-business figures.
_READER = Account(0, "alert-check", "admin")


@dataclass(frozen=True)
class Verdict:
    """A rule judged over one window: its value (the run-rate for a target) in the metric's
    unit, rounded to whole cents or basis points; the target's amount; whether it holds;
    why there is no value (n/a)."""

    rule: StoredRule
    window: Window
    value: int | None
    holds: bool
    target: int | None = None
    why_none: str = ""

    def figure(self) -> str:
        return figure_text(self.rule, self.value, self.target, self.why_none)


def figure_text(rule: StoredRule, value: int | None, target: int | None, why: str = "") -> str:
    """ "$800.00", or "run-rate $8,500.00 against the target $10,000.00 (15.00 % behind)"."""
    unit = rule.value_unit
    if value is None:
        return f"n/a ({why})" if why else "n/a"
    if rule.comparison != BEHIND_TARGET or not target:
        return amount_text(unit, value)
    behind = rounded(Fraction((target - value) * BP, target))
    state = "behind" if behind >= 0 else "ahead"
    return (
        f"run-rate {amount_text(unit, value)} against the target {amount_text(unit, target)} "
        f"({amount_text('percent', abs(behind))} {state})"
    )


def judge(conn: Connection, rule: StoredRule, window: Window) -> Verdict:
    """Whether the rule's condition holds over the window."""
    if rule.comparison == BEHIND_TARGET:
        return _judge_target(conn, rule, window)
    k = kpis(conn, rule.filters.with_range(window.start, window.end))
    exact = value_of(rule.metric, k)
    if exact is None:
        return Verdict(rule, window, None, False, why_none=METRICS[rule.metric].why_none)
    holds = exact < rule.threshold if rule.comparison == BELOW else exact > rule.threshold
    return Verdict(rule, window, rounded(exact), holds)


def _judge_target(conn: Connection, rule: StoredRule, window: Window) -> Verdict:
    scope, key = scope_of_view(rule.filters) or ("business", "")
    found = [
        t
        for t in list_targets(
            conn, _READER, start=window.start, end=window.start, metric=rule.metric, scope=scope
        )
        if t.key == key and t.period == "month" and t.start == window.start
    ]
    if not found:
        where = "the business" if scope == "business" else f"{scope} {key}"
        return Verdict(rule, window, None, False, why_none=f"no target for {where} that month")
    target = found[0]
    p = progress(conn, target, window.end)
    if p.run_rate is None:
        return Verdict(rule, window, None, False, target.amount, "no cost is known")
    behind = target.amount - p.run_rate
    holds = behind * BP > rule.threshold * target.amount
    return Verdict(rule, window, p.run_rate, holds, target.amount)


@dataclass(frozen=True)
class RulesCheck:
    """What one check of the rules judged and changed: (alert id, text) pairs."""

    judged: int = 0
    fired: tuple[tuple[int, str], ...] = ()
    resolved: tuple[tuple[int, str], ...] = ()
    updated: tuple[tuple[int, str], ...] = ()
    rule_ids: tuple[int, ...] = field(default=())

    def as_json(self) -> dict:
        return {
            "rules": len(self.rule_ids),
            "judged": self.judged,
            "fired": [{"id": i, "text": t} for i, t in self.fired],
            "resolved": [{"id": i, "note": n} for i, n in self.resolved],
            "updated": [{"id": i, "note": n} for i, n in self.updated],
        }


def _pending(conn: Connection, rule_ids: Iterable[int]) -> list[dict]:
    stmt = select(fired).where(fired.c.rule_id.in_(list(rule_ids)), fired.c.status.in_(PENDING))
    return [dict(r) for r in conn.execute(stmt).mappings()]


def check_rules(engine: Engine, today: date | None = None) -> RulesCheck:
    """Judge every enabled rule over its due periods and its open alerts' periods, then store
    the alerts that fired and resolve those that no longer hold."""
    today = today or date.today()
    with engine.connect() as conn:
        enabled = [
            stored_rule(r)
            for r in conn.execute(select(rules).where(rules.c.enabled).order_by(rules.c.id))
        ]
        if not enabled:
            return RulesCheck()
        first, last = data_bounds(conn)
        verdicts: list[Verdict] = []
        by_id = {r.id: r for r in enabled}
        for rule in enabled:
            for window in due_windows(rule.period, rule.checked_through, first, last, today):
                verdicts.append(judge(conn, rule, window))
        judged = {(v.rule.id, v.window.start) for v in verdicts}
        for row in _pending(conn, by_id):
            start = as_date(row["period_start"])
            if (row["rule_id"], start) not in judged:
                window = Window(start, as_date(row["period_end"]))
                verdicts.append(judge(conn, by_id[row["rule_id"]], window))
    with write_transaction(engine) as conn:
        result = _store(conn, verdicts, today)
        for rule in enabled:
            starts = [
                v.window.start
                for v in verdicts
                if v.rule.id == rule.id and rule.period not in TO_DATE
            ]
            newest = max(starts, default=None)
            if newest and (rule.checked_through is None or newest > rule.checked_through):
                conn.execute(
                    update(rules).where(rules.c.id == rule.id).values(checked_through=newest)
                )
    return RulesCheck(len(verdicts), *result, rule_ids=tuple(by_id))


def _store(conn: Connection, verdicts: list[Verdict], today: date):
    """Insert, update, reopen or resolve each verdict's alert; (fired, resolved, updated)."""
    new, resolved, updated = [], [], []
    stamp = datetime.now()
    on = today.isoformat()
    for v in verdicts:
        key = and_(fired.c.rule_id == v.rule.id, fired.c.period_start == v.window.start)
        row = conn.execute(select(fired).where(key)).mappings().first()
        if row is None and not v.holds:
            continue
        if row is None:
            note = f"fired on {on}: {v.figure()}, {v.rule.condition_text()}"
            alert_id = conn.execute(
                insert(fired)
                .values(
                    rule_id=v.rule.id,
                    period_start=v.window.start,
                    period_end=v.window.end,
                    value=v.value,
                    threshold=v.rule.threshold,
                    target=v.target,
                    status="open",
                    note=note,
                    created_at=stamp,
                    updated_at=stamp,
                )
                .returning(fired.c.id)
            ).scalar_one()
            new.append((alert_id, alert_text(v.rule, v.window, v.value, v.target)))
            _audit(conn, "create", alert_id, None, {"status": "open", "note": note})
            continue
        was = figure_text(v.rule, row["value"], row["target"])
        same = (row["value"], row["target"], as_date(row["period_end"])) == (
            v.value,
            v.target,
            v.window.end,
        )
        if v.holds and row["status"] in PENDING:
            if same:
                continue
            status = row["status"]
            note = f"updated on {on}: now {v.figure()} (was {was}), still {v.rule.condition_text()}"
            updated.append((row["id"], note))
        elif v.holds and not same:
            status = "open"
            note = f"fired again on {on}: {v.figure()}, {v.rule.condition_text()}"
            new.append((row["id"], alert_text(v.rule, v.window, v.value, v.target)))
        elif v.holds:
            continue  # resolved by hand, and its period's figures have not moved since
        elif row["status"] in PENDING:
            status = "resolved"
            note = (
                f"resolved on {on}: now {v.figure()} (was {was}), no longer "
                f"{v.rule.condition_text()}"
            )
            resolved.append((row["id"], note))
        else:
            continue  # resolved, and still not holding
        conn.execute(
            update(fired)
            .where(fired.c.id == row["id"])
            .values(
                status=status,
                value=v.value,
                target=v.target,
                threshold=v.rule.threshold,
                period_end=v.window.end,
                note=note[:500],
                updated_at=stamp,
            )
        )
        _audit(
            conn,
            "update",
            row["id"],
            {"status": row["status"], "value": row["value"]},
            {"status": status, "value": v.value, "note": note},
        )
    return tuple(new), tuple(resolved), tuple(updated)


STATUS_WORDS = {"acknowledged": "acknowledged", "resolved": "resolved", "open": "reopened"}


def set_kpi_alert_status(
    engine: Engine, alert_id: int, status: str, account: Account | None, today: date | None = None
) -> dict:
    """Acknowledge, resolve or reopen a fired alert by hand (admins and managers), with a note
    saying who did it and an audit row; LookupError when there is no such alert.

    The check respects the choice: an acknowledged alert stays acknowledged while it holds
    (its figure kept up to date) and resolves itself when it no longer does; one resolved by
    hand reopens only when its period's figures change and the condition holds again. Returns
    the alert's id, rule name, window (alerts.periods.Window), status, note and whether it
    changed."""
    check_editor(account)
    if status not in STATUS_WORDS:
        raise ValueError(f"status must be one of {', '.join(STATUS_WORDS)}")
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(
                fired.c.status, fired.c.note, fired.c.period_start, fired.c.period_end, rules.c.name
            )
            .join(rules, rules.c.id == fired.c.rule_id)
            .where(fired.c.id == alert_id)
        ).first()
        if row is None:
            raise LookupError(f"No KPI alert with id {alert_id}.")
        found = {
            "id": alert_id,
            "rule": row.name,
            "window": Window(as_date(row.period_start), as_date(row.period_end)),
        }
        if row.status == status:
            return {**found, "status": status, "note": row.note, "changed": False}
        day = (today or date.today()).isoformat()
        note = f"{STATUS_WORDS[status]} by {account.username} on {day}; {row.note or ''}"
        note = note.rstrip("; ")[:500]
        conn.execute(
            update(fired)
            .where(fired.c.id == alert_id)
            .values(status=status, note=note, updated_at=datetime.now())
        )
        record_change(
            conn,
            user=account.username,
            action="update",
            entity="kpi_alert",
            entity_id=alert_id,
            before={"status": row.status},
            after={"status": status, "note": note},
        )
    return {**found, "status": status, "note": note, "changed": True}


def _audit(conn: Connection, action: str, alert_id: int, before, after) -> None:
    record_change(
        conn,
        user=None,  # the check itself, not a person
        action=action,
        entity="kpi_alert",
        entity_id=alert_id,
        before=before,
        after=after,
    )


def alert_text(rule: StoredRule, window: Window, value: int | None, target: int | None) -> str:
    """ "Planes in France: Revenue, 2024-03-04 to 2024-03-10: $800.00, below $1,000.00"."""
    figure = figure_text(rule, value, target)
    return f"{rule.name}: {window.text()}: {figure}, {rule.condition_text()}"


def list_kpi_alerts(
    conn: Connection,
    account: Account | None,
    *,
    status: str | None = None,
    rule_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[dict]:
    """Fired alerts, newest period first, each with its rule and its figure as text; `since`
    and `until` bound when they first fired (a digest's period)."""
    check_reader(account)
    if status is not None and status not in ALERT_STATUSES:
        raise ValueError(f"status must be one of {', '.join(ALERT_STATUSES)}")
    if not 1 <= int(limit) <= 10_000:
        raise ValueError("limit must be between 1 and 10000")
    stmt = (
        select(fired, rules)
        .join(rules, rules.c.id == fired.c.rule_id)
        .order_by(fired.c.period_start.desc(), fired.c.id.desc())
        .limit(int(limit))
    )
    if status is not None:
        stmt = stmt.where(fired.c.status == status)
    if rule_id is not None:
        stmt = stmt.where(fired.c.rule_id == rule_id)
    if since is not None:
        stmt = stmt.where(fired.c.created_at >= since)
    if until is not None:
        stmt = stmt.where(fired.c.created_at < until)
    out = []
    for row in conn.execute(stmt):
        m = row._mapping
        rule = stored_rule({c.name: m[c] for c in rules.c})
        window = Window(as_date(m[fired.c.period_start]), as_date(m[fired.c.period_end]))
        value, target = m[fired.c.value], m[fired.c.target]
        out.append(
            {
                "id": m[fired.c.id],
                "rule_id": rule.id,
                "rule": rule.name,
                "metric": rule.metric,
                "filter": rule.filter_query,
                "period": rule.period,
                "period_start": window.start,
                "period_end": window.end,
                "value": json_amount(rule.value_unit, value),
                "target": json_amount(rule.value_unit, target),
                "threshold": json_amount(rule.unit, m[fired.c.threshold]),
                "unit": rule.value_unit,
                "figure": figure_text(rule, value, target),
                "condition": rule.condition_text(),
                "status": m[fired.c.status],
                "note": m[fired.c.note],
                "created_at": m[fired.c.created_at],
                "text": alert_text(rule, window, value, target),
            }
        )
    return out
