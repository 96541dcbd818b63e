"""What a digest says: the KPIs of the last complete day or week against the period before,
the business's targets of the month and quarter holding it (progress to its last day), the
alerts the anomaly check raised during it, and the products to reorder now."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, select

from dashapp.alerts.evaluate import list_kpi_alerts
from dashapp.analytics.kpis import Kpis, kpis
from dashapp.analytics.query import as_date
from dashapp.analytics.reorder import URGENT, WARNING, reorder_recommendations
from dashapp.filters import Filters, previous_period
from dashapp.store.models import Alert
from dashapp.targets.progress import Progress, progress
from dashapp.targets.records import list_targets

PERIODS = ("daily", "weekly")
REORDER_STATUSES = (URGENT, WARNING)
MAX_ALERTS = 20
MAX_REORDER = 20

alerts = Alert.__table__


@dataclass(frozen=True)
class Digest:
    """One digest. Money in the Kpis is integer cents; alerts and reorder rows are plain dicts
    (day and money already as text-ready values)."""

    period: str
    start: date
    end: date
    previous_start: date
    previous_end: date
    current: Kpis
    previous: Kpis
    alerts: tuple[dict, ...]
    reorder: tuple[dict, ...]
    targets: tuple[Progress, ...] = ()
    # What the KPI alert rules fired during the period, still open (dashapp.alerts: "text"
    # is the rule, the period and its figure).
    kpi_alerts: tuple[dict, ...] = ()
    view: str | None = None  # the saved view whose filters the KPIs are under (dashapp.views)


def period_range(period: str, today: date) -> tuple[date, date]:
    """The last complete period before `today`: yesterday, or the last Monday-Sunday week."""
    if period not in PERIODS:
        raise ValueError(f"period must be daily or weekly, got {period!r}")
    if period == "daily":
        day = today - timedelta(days=1)
        return day, day
    last_sunday = today - timedelta(days=today.weekday() + 1)
    return last_sunday - timedelta(days=6), last_sunday


def build_digest(
    conn: Connection,
    period: str = "daily",
    today: date | None = None,
    filters: Filters | None = None,
    view: str | None = None,
) -> Digest:
    """The digest of the last complete `period` before `today` (default: the real today); its
    KPIs under `filters` (a saved view's, named `view`, already scoped to the reader's role)."""
    start, end = period_range(period, today or date.today())
    prev_start, prev_end = previous_period(start, end)
    return Digest(
        period=period,
        start=start,
        end=end,
        previous_start=prev_start,
        previous_end=prev_end,
        current=kpis(conn, (filters or Filters()).with_range(start, end)),
        previous=kpis(conn, (filters or Filters()).with_range(prev_start, prev_end)),
        alerts=tuple(_raised_alerts(conn, start, end)),
        reorder=tuple(_reorder(conn, end)),
        targets=tuple(_targets(conn, end)),
        kpi_alerts=tuple(_fired_kpi_alerts(conn, start, end)),
        view=view,
    )


def _fired_kpi_alerts(conn: Connection, start: date, end: date) -> list[dict]:
    """KPI alerts the rules fired during the period (by when they fired), still open."""
    from dashapp.auth import Account  # the digest reads as the scheduler: every rule

    return list_kpi_alerts(
        conn,
        Account(0, "digest", "admin"),
        status="open",
        since=datetime.combine(start, time.min),
        until=datetime.combine(end + timedelta(days=1), time.min),
        limit=MAX_ALERTS,
    )


def _targets(conn: Connection, end: date) -> list[Progress]:
    """The business's targets whose month or quarter holds the period's last day, with their
    progress to that day (the Overview's card, same functions). A digest goes to whole-business
    readers, so only business-wide targets are in it."""
    from dashapp.auth import Account  # the digest reads as the scheduler: every target

    reader = Account(0, "digest", "admin")
    found = list_targets(conn, reader, start=end, end=end, scope="business")
    return [progress(conn, t, end) for t in found if t.start <= end <= t.end]


def _raised_alerts(conn: Connection, start: date, end: date) -> list[dict]:
    """Alerts the check raised during the period (by when they were stored), still open."""
    stmt = (
        select(alerts)
        .where(
            alerts.c.created_at >= datetime.combine(start, time.min),
            alerts.c.created_at < datetime.combine(end + timedelta(days=1), time.min),
            alerts.c.status == "open",
        )
        .order_by(alerts.c.drop_pct.desc(), alerts.c.id)
        .limit(MAX_ALERTS)
    )
    out = []
    for row in conn.execute(stmt).mappings():
        out.append(
            {
                "id": row["id"],
                "scope": row["scope"],
                "key": row["key"],
                "day": as_date(row["day"]),
                "baseline_cents": int(row["baseline_cents"]),
                "actual_cents": int(row["actual_cents"]),
                "drop_pct": float(row["drop_pct"]),
                "drivers": json.loads(row["drivers"]) if row["drivers"] else [],
            }
        )
    return out


def _reorder(conn: Connection, end: date) -> list[dict]:
    """URGENT and WARNING products as of the period's last day, most pressing first."""
    df = reorder_recommendations(conn, today=end)
    if df.empty:
        return []
    df = df[df["status"].isin(REORDER_STATUSES)].head(MAX_REORDER)
    return [
        {
            "sku": r.sku,
            "name": r.name,
            "status": r.status,
            "stock": int(r.stock),
            "days_of_cover": None if r.days_of_cover != r.days_of_cover else float(r.days_of_cover),
            "suggested_order_qty": int(r.suggested_order_qty),
        }
        for r in df.itertuples()
    ]
