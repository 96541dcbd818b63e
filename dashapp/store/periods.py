"""Dates as each backend stores them: the first day of a period, and dates read back."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, Date, Integer, cast, func


def period_bucket(conn: Connection, column, granularity: str):
    """An expression giving the first day of the period (day/week/month/quarter/year).

    Weeks start on Monday. SQLite returns 'YYYY-MM-DD' text, PostgreSQL a date.
    """
    if granularity not in ("day", "week", "month", "quarter", "year"):
        raise ValueError(f"unknown granularity {granularity!r}")
    if conn.dialect.name == "postgresql":
        if granularity == "day":
            return column
        return cast(func.date_trunc(granularity, column), Date)
    # SQLite stores dates as ISO text.
    if granularity == "day":
        return column
    if granularity == "week":
        return func.date(column, "-6 days", "weekday 1")
    if granularity == "month":
        return func.strftime("%Y-%m-01", column)
    if granularity == "year":
        return func.strftime("%Y-01-01", column)
    month = cast(func.strftime("%m", column), Integer)
    quarter_month = ((month - 1) // 3) * 3 + 1
    return func.printf("%s-%02d-01", func.strftime("%Y", column), quarter_month)


MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}


def next_period_start(first: date, granularity: str) -> date:
    """The first day of the day, week, month, quarter or year after the one that starts on
    `first` (months are counted from `first`'s month, whatever its day)."""
    if granularity == "day":
        return first + timedelta(days=1)
    if granularity == "week":
        return first + timedelta(days=7)
    month = first.month - 1 + MONTHS_PER_PERIOD[granularity]
    return date(first.year + month // 12, month % 12 + 1, 1)


def period_last_day(first: date, granularity: str) -> date:
    """The last day of the day, week, month, quarter or year that starts on `first`."""
    return next_period_start(first, granularity) - timedelta(days=1)


def as_date(value) -> date | None:
    """Normalise a date coming back from either dialect."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
