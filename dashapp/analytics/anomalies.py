"""Revenue drop detection with robust statistics, stored as alerts.

A day is flagged for a key (the business, a category, a product or a country) when both hold:
- its revenue fell by at least `min_drop` against the median of the 7 days before it, and
- its robust z-score against the `window` days before it, 0.6745 x (x - median) / MAD, is at
  most -`min_score`.
Both compare weekday-adjusted revenue (see `weekday_factors`), so a normal weekend is not a
drop. The day itself is never part of its own baseline. Keys whose 7-day baseline is under a
floor are skipped: a product selling twice a week would otherwise alert every quiet day.

Incomplete days are not scored (`INCOMPLETE_RULE`): a day counts as complete once orders dated on
a later day exist and it is before today. So the data's last day and today, whose orders may
still be arriving (a monthly export spills a few orders onto the next month's first day), never
raise an alert; the next check, once later orders are in, judges them.

The first check covers all the data; a later one the days whose revenue or order count changed
since the last check (`anomaly_check_days` keeps what the last one saw) and the `RESCAN_DAYS`
before them, or all the data again when its thresholds differ. Every open or acknowledged alert
whose day now totals something else is judged again: still a drop, its figures are updated;
no longer one, it is resolved with a note saying what the day now totals.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from dashapp.analytics.query import (
    NOT_CANCELLED,
    as_date,
    data_bounds,
    day_category_country,
    day_country,
    day_product,
    lines,
    products,
)
from dashapp.filters import Filters
from dashapp.settings import Settings
from dashapp.store.db import write_transaction
from dashapp.store.models import ALERT_STATUSES, Alert, AnomalyCheck, AnomalyCheckDay, AuditLog
from dashapp.store.version import bump_data_version

if TYPE_CHECKING:
    from dashapp.alerts.evaluate import RulesCheck

log = logging.getLogger(__name__)

SCOPES = ("total", "category", "product", "country")
BASELINE_DAYS = 7
# A later check also re-judges the 14 days before the first changed day: late orders move the
# baseline of the days after them.
RESCAN_DAYS = 14
SCAN_MODES = ("new", "all")  # or a whole number of days: the last N complete days
INCOMPLETE_RULE = (
    "A day is scored once orders dated on a later day exist and it is before today; "
    "the data's last day and today are not, as their orders may still be arriving."
)
MIN_BASELINE_CENTS = 5_000  # 50.00 a day
MAX_DRIVERS = 5
WEBHOOK_TIMEOUT_S = 5.0
# 0.6745 makes the MAD consistent with a normal standard deviation; when the MAD is 0 the
# mean absolute deviation stands in with its own constant (1.2533 = sqrt(pi / 2)).
MAD_K, MEANAD_K = 0.6745, 1.253314
TOTAL_KEY = "All"
WEBHOOK_ENV = "SALES_PULSE_WEBHOOK_URL"

alerts = Alert.__table__
audit_log = AuditLog.__table__
checks = AnomalyCheck.__table__
check_days = AnomalyCheckDay.__table__


@dataclass(frozen=True)
class Anomaly:
    """A flagged day. Money in cents; drop_pct in percent (75.0 = three quarters lost)."""

    scope: str
    key: str
    day: date
    baseline_cents: int
    actual_cents: int
    drop_pct: float
    score: float
    drivers: tuple[dict, ...] = field(default=())

    def as_json(self) -> dict:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["baseline"] = round(self.baseline_cents / 100, 2)
        data["actual"] = round(self.actual_cents / 100, 2)
        data["drivers"] = list(self.drivers)
        return data


# Robust z-score threshold. 3.5 (Iglewicz and Hoaglin) missed two of the three drops planted in
# 1M demo orders (a best-seller and a large country falling to ~0 scored -2.9 to -3.4 against
# their weekday-adjusted MAD); 3.0 finds all three with about one other alert a month over
# ~10k products, 20 countries and 7 categories, all with a drop of at least min_drop as well.
DEFAULT_MIN_SCORE = 3.0


def last_complete_day(end: date, today: date) -> date:
    """The last day that can be scored: before the data's last day and before today."""
    return min(end, today) - timedelta(days=1)


def scan(
    conn: Connection,
    scopes: Sequence[str] = SCOPES,
    window: int = 28,
    min_drop: float = 0.5,
    min_score: float = DEFAULT_MIN_SCORE,
    since: date | None = None,
    *,
    min_baseline_cents: int = MIN_BASELINE_CENTS,
    until: date | None = None,
    today: date | None = None,
) -> list[Anomaly]:
    """Flag revenue drops on the complete days from `since` (default: the first day of data)
    to `until` (default and at most: the last complete day, see INCOMPLETE_RULE)."""
    _check_thresholds(scopes, window, min_drop, min_score)
    found, _ = _scan(
        conn, scopes, window, min_drop, min_score, since, min_baseline_cents, until, today, ()
    )
    return found


def _scan(
    conn: Connection,
    scopes: Sequence[str],
    window: int,
    min_drop: float,
    min_score: float,
    since: date | None,
    min_baseline_cents: int,
    until: date | None,
    today: date | None,
    wanted: Iterable[tuple[str, str, date]],
) -> tuple[list[Anomaly], dict[tuple[str, str, date], Anomaly]]:
    """scan(), plus the `wanted` (scope, key, day) cells judged whatever their figures."""
    first, end = data_bounds(conn)
    if end is None:
        return [], {}
    last = last_complete_day(end, today or date.today())
    until = min(until, last) if until else last
    since = max(since or first, first)
    if since > until:
        return [], {}
    # Days before the first order are not zero sales: the matrix starts at the first order.
    # It ends on the last complete day, so a partial day weighs on no weekday factor either.
    start = max(since - timedelta(days=window), first)
    found: list[Anomaly] = []
    assessed: dict[tuple[str, str, date], Anomaly] = {}
    for scope in scopes:
        matrix = _daily_matrix(conn, scope, start, until)
        cells = [(k, d) for sc, k, d in wanted if sc == scope]
        flagged, judged = _flag(
            scope, matrix, since, window, min_drop, min_score, min_baseline_cents, cells
        )
        found.extend(flagged)
        assessed.update({(scope, k, d): a for (k, d), a in judged.items()})
    return sorted(found, key=lambda a: (a.day, SCOPES.index(a.scope), a.key)), assessed


def _check_thresholds(scopes: Sequence[str], window: int, min_drop: float, min_score: float):
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"scopes must be among {', '.join(SCOPES)}, got {list(scopes)!r}")
    if not BASELINE_DAYS <= window <= 365:
        raise ValueError(f"window must be between {BASELINE_DAYS} and 365 days")
    if not 0 < min_drop <= 1:
        raise ValueError("min_drop must be a fraction above 0 and at most 1 (0.5 = 50 %)")
    if not min_score > 0:
        raise ValueError("min_score must be positive")


# The daily rollup and its key column per scope: revenue of the non-cancelled lines, kept
# exact with every write (reading the order lines took 9 s for 118 days at 10M orders).
_DAILY = {
    "total": (day_country, None),
    "category": (day_category_country, "category"),
    "product": (day_product, "product_id"),
    "country": (day_country, "country"),
}


def _daily_matrix(conn: Connection, scope: str, start: date, end: date) -> pd.DataFrame:
    """Revenue cents per day (rows, every day) and key (columns), summed from a daily rollup.

    Only rows with a non-cancelled order count, as only non-cancelled lines would; a rollup
    keeps no country as '', which is no country (None) again here.
    """
    table, key_name = _DAILY[scope]
    cols = [table.c.order_date] + ([table.c[key_name]] if key_name else [])
    stmt = (
        select(*cols, func.sum(table.c.revenue_cents))
        .where(table.c.order_date >= start, table.c.order_date <= end, table.c.orders > 0)
        .group_by(*cols)
    )
    rows = conn.execute(stmt).all()
    days = pd.date_range(start, end, freq="D")
    if scope == "total":
        values = {pd.Timestamp(as_date(r[0])): int(r[1]) for r in rows}
        series = pd.Series(values, dtype="float64").reindex(days, fill_value=0.0)
        return series.to_frame(TOTAL_KEY)
    dates, keys, cents = zip(*rows, strict=True) if rows else ((), (), ())
    if scope == "country":
        keys = [k or None for k in keys]
    labels = _labels(conn, scope, set(keys))
    # Column by column: a frame of 600k result rows (every product's day at 10M orders) took
    # 3 s built row by row.
    frame = pd.DataFrame(
        {
            "day": pd.to_datetime([as_date(d) for d in dates]),
            "key": [labels[k] for k in keys],
            "cents": np.array(cents, dtype="int64"),
        }
    )
    matrix = frame.pivot_table(index="day", columns="key", values="cents", aggfunc="sum")
    return matrix.reindex(days).fillna(0.0).astype("float64")


def _labels(conn: Connection, scope: str, keys: set) -> dict:
    """Alert keys: SKUs for products (stable and readable), the value itself otherwise."""
    if scope != "product":
        return {k: k if k is not None else "Unknown" for k in keys}
    ids = sorted(keys)
    out: dict = {}
    for i in range(0, len(ids), 1000):
        chunk = ids[i : i + 1000]
        out.update(
            conn.execute(
                select(products.c.id, products.c.sku).where(products.c.id.in_(chunk))
            ).all()
        )
    return out


def _flag(
    scope: str,
    matrix: pd.DataFrame,
    since: date,
    window: int,
    min_drop: float,
    min_score: float,
    min_baseline: int,
    wanted: Iterable[tuple[str, date]] = (),
) -> tuple[list[Anomaly], dict[tuple[str, date], Anomaly]]:
    """The flagged days, and the `wanted` (key, day) cells judged whatever their figures
    (an alert being re-evaluated), where the day has a baseline to judge it by."""
    if matrix.empty:
        return [], {}
    values = matrix.to_numpy()
    factors = weekday_factors(matrix)
    with np.errstate(divide="ignore", invalid="ignore"):
        adjusted = values / factors
    # The 7-day median before each day (shift: the day is not in its own baseline), on the
    # weekday-adjusted series, turned back into what this weekday normally brings.
    base7 = pd.DataFrame(adjusted).shift(1).rolling(BASELINE_DAYS, min_periods=4).median()
    expected = base7.to_numpy() * factors
    with np.errstate(divide="ignore", invalid="ignore"):
        drop = np.where(expected > 0, (expected - values) / expected, np.nan)

    def judge(r: int, c: int) -> tuple[float, Anomaly] | None:
        if r < window or not (np.isfinite(expected[r, c]) and np.isfinite(adjusted[r, c])):
            return None
        history = adjusted[r - window : r, c]
        history = history[np.isfinite(history)]
        if len(history) < window // 2 or expected[r, c] <= 0:
            return None
        score = robust_score(adjusted[r, c], history)
        return score, Anomaly(
            scope=scope,
            key=str(matrix.columns[c]),
            day=matrix.index[r].date(),
            baseline_cents=int(round(expected[r, c])),
            actual_cents=int(values[r, c]),
            drop_pct=round(float(drop[r, c]) * 100, 1),
            score=round(score, 2),
        )

    row_ok = (matrix.index >= pd.Timestamp(since)) & (np.arange(len(matrix)) >= window)
    candidates = np.argwhere(
        row_ok[:, None] & (expected >= min_baseline) & (drop >= min_drop - 1e-12)
    )
    found = []
    for r, c in candidates:
        judged = judge(r, c)
        if judged is not None and judged[0] <= -min_score:
            found.append(judged[1])
    assessed = {}
    columns = {str(k): i for i, k in enumerate(matrix.columns)}
    for key, day in wanted:
        row = matrix.index.get_indexer([pd.Timestamp(day)])[0]
        if key in columns and row >= 0:
            judged = judge(int(row), columns[key])
            if judged is not None:
                assessed[(key, day)] = judged[1]
    return found, assessed


def weekday_factors(matrix: pd.DataFrame) -> np.ndarray:
    """Per day and key: that weekday's median over the scanned range / the key's median day.

    Without it a quiet Sunday reads as a drop against the week before. A weekday selling under
    a fifth of a normal day (a shop closed on Sundays) gets NaN: it is neither judged nor part
    of any baseline. Keys without a typical day (median 0) are left unadjusted.
    """
    values = matrix.to_numpy()
    weekdays = np.asarray(matrix.index.day_of_week)
    overall = np.median(values, axis=0)
    by_weekday = np.ones((7, values.shape[1]))
    for w in range(7):
        rows = values[weekdays == w]
        if len(rows):
            with np.errstate(divide="ignore", invalid="ignore"):
                by_weekday[w] = np.where(overall > 0, np.median(rows, axis=0) / overall, 1.0)
    by_weekday[by_weekday < 0.2] = np.nan
    return by_weekday[weekdays]


def robust_score(x: float, history: np.ndarray) -> float:
    """0.6745 x (x - median) / MAD of the history, with guards for a MAD of 0.

    MAD 0 (more than half the days identical): the mean absolute deviation stands in; both 0
    (a perfectly steady series): 1 % of the median (at least 1 cent), so a real drop from a
    steady baseline scores very low instead of dividing by zero.
    """
    median = float(np.median(history))
    mad = float(np.median(np.abs(history - median)))
    if mad > 0:
        return MAD_K * (x - median) / mad
    mean_ad = float(np.mean(np.abs(history - median)))
    if mean_ad > 0:
        return (x - median) / (MEANAD_K * mean_ad)
    return (x - median) / max(abs(median) * 0.01, 1.0)


def drivers(
    conn: Connection, scope: str, key: str, day: date, limit: int = MAX_DRIVERS
) -> list[dict]:
    """The segments that lost most revenue on `day` against their 7-day median before it.

    product -> countries; country -> products; category and total -> products and countries.
    """
    where = _scope_condition(scope, key)
    by = {"product": ("country",), "country": ("product",)}.get(scope, ("product", "country"))
    start = day - timedelta(days=BASELINE_DAYS)
    out: list[dict] = []
    for dimension in by:
        column = lines.c.product_id if dimension == "product" else lines.c.country
        stmt = (
            select(lines.c.order_date, column, func.sum(lines.c.amount_cents))
            .where(NOT_CANCELLED, where, lines.c.order_date >= start, lines.c.order_date <= day)
            .group_by(lines.c.order_date, column)
        )
        rows = conn.execute(stmt).all()
        labels = _labels(conn, dimension, {r[1] for r in rows})
        cents: dict[str, list[int]] = {}
        for d, k, v in rows:
            offset = (as_date(d) - start).days  # 0..6 baseline days, 7 = the day itself
            cents.setdefault(labels[k], [0] * (BASELINE_DAYS + 1))[offset] += int(v)
        for label, series in cents.items():
            baseline = int(round(float(np.median(series[:BASELINE_DAYS]))))
            lost = baseline - series[BASELINE_DAYS]
            if lost > 0:
                out.append(
                    {
                        "dimension": dimension,
                        "key": label,
                        "baseline_cents": baseline,
                        "actual_cents": series[BASELINE_DAYS],
                        "lost_cents": lost,
                    }
                )
    out.sort(key=lambda d: (-d["lost_cents"], d["dimension"], d["key"]))
    return out[:limit]


def _scope_condition(scope: str, key: str):
    if scope == "total":
        return lines.c.order_date.is_not(None)
    if scope == "product":
        return lines.c.product_id.in_(select(products.c.id).where(products.c.sku == key))
    if scope == "country" and key == "Unknown":
        return lines.c.country.is_(None)
    if scope in ("category", "country"):
        return lines.c[scope] == key
    raise ValueError(f"unknown scope {scope!r}")


def scope_filters(scope: str, key: str) -> Filters:
    """The filter object showing an alert's series (for the chart it is marked on)."""
    return {
        "total": Filters(),
        "category": Filters(categories=(key,)),
        "product": Filters(products=(key,)),
        "country": Filters(countries=(key,)),
    }[scope]


def store_alerts(engine: Engine, anomalies: Iterable[Anomaly]) -> int:
    """Store the anomalies not stored yet (one per scope, key and day); the number added."""
    anomalies = list(anomalies)
    if not anomalies:
        return 0
    with write_transaction(engine) as conn:
        added = _insert_new(conn, anomalies)
        if added:  # open pages refresh their alert lists and badges
            bump_data_version(conn)
    return len(added)


def _insert_new(conn: Connection, anomalies: list[Anomaly]) -> list[tuple[int, Anomaly]]:
    if not anomalies:
        return []
    existing = _existing_keys(conn, anomalies)
    added: list[tuple[int, Anomaly]] = []
    for a in anomalies:
        if (a.scope, a.key, a.day) in existing:
            continue
        existing.add((a.scope, a.key, a.day))
        alert_id = conn.execute(
            insert(alerts).returning(alerts.c.id),
            {**_figures(a), "scope": a.scope, "key": a.key, "day": a.day, "status": "open"},
        ).scalar_one()
        added.append((alert_id, a))
    return added


def _figures(a: Anomaly) -> dict:
    return {
        "baseline_cents": a.baseline_cents,
        "actual_cents": a.actual_cents,
        "drop_pct": a.drop_pct,
        "score": a.score,
        "drivers": json.dumps(list(a.drivers)),
    }


def _existing_keys(conn: Connection, anomalies: list[Anomaly]) -> set[tuple[str, str, date]]:
    """(scope, key, day) already stored, for the days the anomalies fall on."""
    days = sorted({a.day for a in anomalies})
    found: set[tuple[str, str, date]] = set()
    for i in range(0, len(days), 500):
        stmt = select(alerts.c.scope, alerts.c.key, alerts.c.day).where(
            alerts.c.day.in_(days[i : i + 500])
        )
        found.update((s, k, as_date(d)) for s, k, d in conn.execute(stmt))
    return found


@dataclass(frozen=True)
class ScanPlan:
    """The days one check scores (none when `since` is None), and why those."""

    since: date | None
    until: date | None
    data_end: date | None
    why: str

    @property
    def unscored(self) -> tuple[date, date] | None:
        """The data's days left unscored as incomplete (first, last), if any."""
        if self.data_end is None:
            return None
        first = self.until + timedelta(days=1) if self.until else self.data_end
        return (first, self.data_end) if first <= self.data_end else None


def scan_range(value: str | int) -> str | int:
    """'new', 'all' or a whole number of days (1-36500) from a control or an option."""
    if isinstance(value, str) and value.strip().lower() in SCAN_MODES:
        return value.strip().lower()
    try:
        days = int(str(value).strip())
    except ValueError:
        days = 0
    if not 1 <= days <= 36_500 or str(days) != str(value).strip():
        raise ValueError(
            f"scan must be 'new', 'all' or a number of days from 1 to 36500, got {value!r}"
        )
    return days


def plan_scan(
    conn: Connection,
    scan: str | int = "new",
    *,
    settings: str = "",
    since: date | None = None,
    today: date | None = None,
) -> tuple[ScanPlan, dict[date, tuple[int, int]]]:
    """Which days a check scores, and each day's (revenue, orders) now.

    'new': the first check, or one with other thresholds than the last (`settings`), covers
    all the data; a later one the days changed since the last check and RESCAN_DAYS before
    them (and the days the last one could not score yet). 'all': every day. N: the last N
    complete days. An explicit `since` wins over all of these.
    """
    scan = scan_range(scan)
    first, end = data_bounds(conn)
    now = _day_totals(conn)
    if end is None:
        return ScanPlan(None, None, None, "no orders yet"), now
    until = last_complete_day(end, today or date.today())
    if since is not None:
        start, why = since, f"from {since.isoformat()} as asked"
    elif scan == "all":
        start, why = first, "all the data"
    elif isinstance(scan, int):
        start = until - timedelta(days=scan - 1)
        why = f"the last {scan} complete day{'' if scan == 1 else 's'}"
    else:
        start, why = _new_since(conn, settings, first, now)
    start = max(start, first)
    if start > until:
        return ScanPlan(None, None, end, why), now
    return ScanPlan(start, until, end, why), now


def _new_since(
    conn: Connection, settings: str, first: date, now: dict[date, tuple[int, int]]
) -> tuple[date, str]:
    last = conn.execute(select(checks).order_by(checks.c.id.desc()).limit(1)).mappings().first()
    if last is None:
        return first, "all the data: the first check"
    if last["settings"] != settings:
        return first, "all the data: the thresholds differ from the last check's"
    seen = {
        as_date(d): (int(r), int(o))
        for d, r, o in conn.execute(
            select(check_days.c.day, check_days.c.revenue_cents, check_days.c.orders)
        )
    }
    changed = [d for d in now.keys() | seen.keys() if now.get(d) != seen.get(d)]
    # Days after the last one scored were incomplete then: they are judged now.
    unscored = as_date(last["scan_to"]) + timedelta(days=1) if last["scan_to"] else first
    start = min([*changed, unscored]) - timedelta(days=RESCAN_DAYS)
    return start, f"what changed since the last check and the {RESCAN_DAYS} days before it"


def _day_totals(conn: Connection) -> dict[date, tuple[int, int]]:
    """Revenue cents and orders (cancelled ones too) per day, from the daily rollup."""
    table = day_country
    stmt = select(
        table.c.order_date, func.sum(table.c.revenue_cents), func.sum(table.c.all_orders)
    ).group_by(table.c.order_date)
    return {as_date(d): (int(r or 0), int(o or 0)) for d, r, o in conn.execute(stmt)}


@dataclass(frozen=True)
class CheckResult:
    """What one check scanned, found, stored, re-evaluated and delivered."""

    found: int
    new: tuple[Anomaly, ...]
    new_ids: tuple[int, ...] = ()
    webhook_url: str | None = None
    webhook_status: int | None = None
    webhook_error: str | None = None
    plan: ScanPlan | None = None
    resolved: tuple[tuple[int, str], ...] = ()  # (alert id, note)
    updated: tuple[tuple[int, str], ...] = ()
    rules: RulesCheck | None = None  # the KPI alert rules judged with it (dashapp.alerts)

    def as_json(self) -> dict:
        plan = self.plan
        unscored = plan.unscored if plan else None
        return {
            "found": self.found,
            "new": len(self.new),
            "alerts": [
                {"id": i, **a.as_json()} for i, a in zip(self.new_ids, self.new, strict=True)
            ],
            "scanned": None
            if plan is None
            else {
                "from": plan.since.isoformat() if plan.since else None,
                "to": plan.until.isoformat() if plan.until else None,
                "why": plan.why,
            },
            "not_scored": None
            if unscored is None
            else {"from": unscored[0].isoformat(), "to": unscored[1].isoformat()},
            "rule": INCOMPLETE_RULE,
            "resolved": [{"id": i, "note": n} for i, n in self.resolved],
            "updated": [{"id": i, "note": n} for i, n in self.updated],
            "webhook": None
            if not self.webhook_url
            else {"status": self.webhook_status, "error": self.webhook_error},
            "kpi_alerts": None if self.rules is None else self.rules.as_json(),
        }


def run_check(
    engine: Engine,
    *,
    scopes: Sequence[str] = SCOPES,
    window: int = 28,
    min_drop: float = 0.5,
    min_score: float = DEFAULT_MIN_SCORE,
    since: date | None = None,
    min_baseline_cents: int = MIN_BASELINE_CENTS,
    webhook_url: str | None = None,
    scan: str | int = "new",
    today: date | None = None,
) -> CheckResult:
    """Scan the planned days (see plan_scan), store the new alerts with their drivers,
    re-evaluate the open alerts whose day changed, record the check, and POST the new alerts
    to the webhook if any.

    A webhook that cannot be reached is logged and reported, never raised: the alerts are
    already stored.
    """
    # dashapp.alerts reads this module's rule for complete days: imported here, not above.
    from dashapp.alerts.evaluate import check_rules

    _check_thresholds(scopes, window, min_drop, min_score)
    today = today or date.today()
    settings = json.dumps(
        {
            "scopes": sorted(scopes),
            "window": window,
            "min_drop": min_drop,
            "min_score": min_score,
            "floor": min_baseline_cents,
        },
        sort_keys=True,
    )
    with engine.connect() as conn:
        plan, totals = plan_scan(conn, scan, settings=settings, since=since, today=today)
        changed = _changed_alerts(conn, scopes, plan.until) if plan.until else []
        start = min([d for d in (plan.since,) if d] + [a["day"] for a in changed], default=None)
        found, assessed = (
            _scan(
                conn,
                scopes,
                window,
                min_drop,
                min_score,
                start,
                min_baseline_cents,
                plan.until,
                today,
                [(a["scope"], a["key"], a["day"]) for a in changed],
            )
            if start
            else ([], {})
        )
        flagged = {(a.scope, a.key, a.day) for a in found}
        known = _existing_keys(conn, found) if found else set()
        fresh = [_with_drivers(conn, a) for a in found if (a.scope, a.key, a.day) not in known]
        verdicts = []
        for alert in changed:
            cell = (alert["scope"], alert["key"], alert["day"])
            judged = assessed.get(cell)
            if cell in flagged and judged is not None:
                judged = _with_drivers(conn, judged)
            verdicts.append((alert, judged, cell in flagged))
    with write_transaction(engine) as conn:
        added = _insert_new(conn, fresh)
        resolved, updated = _apply_verdicts(conn, verdicts, today)
        conn.execute(
            insert(checks).values(
                ran_at=datetime.now(),
                scan_from=plan.since if start is None else start,
                scan_to=plan.until,
                data_end=plan.data_end,
                found=len(found),
                added=len(added),
                resolved=len(resolved),
                settings=settings,
            )
        )
        conn.execute(delete(check_days))
        if totals:
            conn.execute(
                insert(check_days),
                [{"day": d, "revenue_cents": r, "orders": o} for d, (r, o) in totals.items()],
            )
        if added or resolved or updated:  # open pages refresh their alert lists and badges
            bump_data_version(conn)
    result = CheckResult(
        found=len(found),
        new=tuple(a for _, a in added),
        new_ids=tuple(i for i, _ in added),
        webhook_url=webhook_url or None,
        plan=ScanPlan(start, plan.until, plan.data_end, plan.why) if start else plan,
        resolved=tuple(resolved),
        updated=tuple(updated),
        # The KPI alert rules are judged whenever the anomaly check runs (the button, after an
        # import, the command line), over the same complete days.
        rules=check_rules(engine, today=today),
    )
    if webhook_url and (added or result.rules.fired):
        status, error = post_webhook(webhook_url, result.as_json())
        result = CheckResult(
            **{**result.__dict__, "webhook_status": status, "webhook_error": error}
        )
    return result


def _changed_alerts(conn: Connection, scopes: Sequence[str], until: date) -> list[dict]:
    """Open and acknowledged alerts of these scopes, up to `until`, whose day's revenue is no
    longer what they say; each with its `now_cents`."""
    stmt = select(alerts).where(
        alerts.c.status.in_(("open", "acknowledged")),
        alerts.c.scope.in_(list(scopes)),
        alerts.c.day <= until,
    )
    pending = [dict(r) for r in conn.execute(stmt).mappings()]
    changed = []
    by_cell: dict[tuple[str, date], list[dict]] = {}
    for a in pending:
        a["day"] = as_date(a["day"])
        by_cell.setdefault((a["scope"], a["day"]), []).append(a)
    for (scope, day), group in by_cell.items():
        matrix = _daily_matrix(conn, scope, day, day)
        for a in group:
            now = int(matrix[a["key"]].iloc[0]) if a["key"] in matrix.columns else 0
            if now != a["actual_cents"]:
                changed.append({**a, "now_cents": now})
    return changed


def _cents_text(cents: int) -> str:
    """71,757.33 from 7175733, exact."""
    return f"{Decimal(cents) / 100:,.2f}"


def _apply_verdicts(
    conn: Connection, verdicts: list[tuple[dict, Anomaly | None, bool]], today: date
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Update the alerts still flagged, resolve the others; each with a note and an audit row."""
    resolved, updated = [], []
    for alert, judged, still in verdicts:
        now, was = alert["now_cents"], alert["actual_cents"]
        totals = f"the day now totals {_cents_text(now)} (was {_cents_text(was)})"
        if still and judged is not None:
            note = (
                f"updated on {today.isoformat()}: {totals} against "
                f"{_cents_text(judged.baseline_cents)} expected, still a drop"
            )
            values = {**_figures(judged), "note": note}
            updated.append((alert["id"], note))
        else:
            expected = f" against {_cents_text(judged.baseline_cents)} expected" if judged else ""
            note = f"resolved on {today.isoformat()}: {totals}{expected}, within the expected range"
            # No drop left, so no segment drove one: the drivers go with it.
            values = {"status": "resolved", "actual_cents": now, "note": note, "drivers": "[]"}
            if judged is not None:
                values.update(
                    baseline_cents=judged.baseline_cents,
                    drop_pct=judged.drop_pct,
                    score=judged.score,
                )
            resolved.append((alert["id"], note))
        conn.execute(update(alerts).where(alerts.c.id == alert["id"]).values(**values))
        conn.execute(
            insert(audit_log).values(
                at=datetime.now(),
                username=None,  # the check itself, not a person
                action="update",
                entity="alert",
                entity_id=str(alert["id"]),
                before=json.dumps({"status": alert["status"], "actual_cents": was}),
                after=json.dumps(
                    {
                        "status": values.get("status", alert["status"]),
                        "actual_cents": now,
                        "note": note,
                    }
                ),
            )
        )
    return resolved, updated


def webhook_url_from_env() -> str | None:
    """The configured alert webhook (SALES_PULSE_WEBHOOK_URL), if any."""
    return Settings.from_env().webhook_url


def check_after_import(engine: Engine, report) -> CheckResult | None:
    """Run the default check after an import that committed new orders; None otherwise.

    `report` is an importer ImportReport (duck-typed: domain modules stay independent). A dry
    run, a strict-mode rollback or a re-import that added nothing has nothing new to judge.
    """
    if report.dry_run or not report.committed or report.orders_added <= 0:
        return None
    return run_check(engine, webhook_url=webhook_url_from_env())


def _with_drivers(conn: Connection, a: Anomaly) -> Anomaly:
    return Anomaly(**{**asdict(a), "drivers": tuple(drivers(conn, a.scope, a.key, a.day))})


def post_webhook(
    url: str, payload: dict, timeout: float = WEBHOOK_TIMEOUT_S
) -> tuple[int | None, str | None]:
    """POST the payload as JSON: (HTTP status, None) or (status or None, the error)."""
    if not url.lower().startswith(("http://", "https://")):
        error = f"webhook URL must start with http:// or https://, got {url!r}"
        log.warning("anomaly webhook not sent: %s", error)
        return None, error
    body = json.dumps({"source": "sales-pulse", **payload}).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, None
    except urllib.error.HTTPError as exc:
        log.warning("anomaly webhook %s answered HTTP %s", url, exc.code)
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, bad hosts
        log.warning("anomaly webhook %s failed: %s", url, exc)
        return None, str(getattr(exc, "reason", exc))


def list_alerts(
    conn: Connection,
    status: str | None = None,
    scope: str | None = None,
    key: str | None = None,
    limit: int = 200,
) -> list[dict]:
    """Stored alerts, newest day first; money in cents, drivers parsed."""
    if status is not None and status not in ALERT_STATUSES:
        raise ValueError(f"status must be one of {', '.join(ALERT_STATUSES)}")
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    if not 1 <= int(limit) <= 10_000:
        raise ValueError("limit must be between 1 and 10000")
    stmt = select(alerts).order_by(alerts.c.day.desc(), alerts.c.id.desc()).limit(int(limit))
    if status:
        stmt = stmt.where(alerts.c.status == status)
    if scope:
        stmt = stmt.where(alerts.c.scope == scope)
    if key:
        stmt = stmt.where(alerts.c.key == key)
    out = []
    for row in conn.execute(stmt).mappings():
        item = dict(row)
        item["day"] = as_date(item["day"])
        item["drivers"] = json.loads(item["drivers"]) if item["drivers"] else []
        out.append(item)
    return out


def set_alert_status(engine: Engine, alert_id: int, status: str, user: str | None) -> None:
    """Acknowledge, resolve or reopen an alert, with an audit log row."""
    if status not in ALERT_STATUSES:
        raise ValueError(f"status must be one of {', '.join(ALERT_STATUSES)}")
    with write_transaction(engine) as conn:
        before = conn.execute(select(alerts.c.status).where(alerts.c.id == alert_id)).scalar()
        if before is None:
            raise LookupError(f"no alert with id {alert_id}")
        if before == status:
            return
        conn.execute(update(alerts).where(alerts.c.id == alert_id).values(status=status))
        bump_data_version(conn)
        conn.execute(
            insert(audit_log).values(
                at=datetime.now(),
                username=user,
                action="update",
                entity="alert",
                entity_id=str(alert_id),
                before=json.dumps({"status": before}),
                after=json.dumps({"status": status}),
            )
        )
