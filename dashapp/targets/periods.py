"""The periods a target covers: a calendar month ("2024-03") or quarter ("2024-Q1")."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from dashapp.store.periods import period_last_day
from dashapp.validation import InputError

MONTH, QUARTER = "month", "quarter"
PERIODS = (MONTH, QUARTER)
MIN_YEAR, MAX_YEAR = 1900, 2999
_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-01)?")
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])|Q([1-4])[ -]?(\d{4})", re.IGNORECASE)
EXAMPLE = "2024-03 for a month or 2024-Q1 for a quarter"


def parse_period(raw: Any) -> tuple[str, date]:
    """("month" or "quarter", its first day) from "2024-03", "2024-03-01", "2024-Q1", "Q1 2024"
    (a date object names its month); InputError saying what is expected otherwise."""
    if isinstance(raw, date):
        return MONTH, raw.replace(day=1)
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise InputError(f"Period is required: {EXAMPLE}")
    month = _MONTH.fullmatch(text)
    quarter = _QUARTER.fullmatch(text)
    if month:
        year, number = int(month[1]), int(month[2])
        if not 1 <= number <= 12:
            raise InputError(f"Period {text!r} has no month {number}: {EXAMPLE}")
        kind, start = MONTH, (year, number)
    elif quarter:
        year = int(quarter[1] or quarter[4])
        number = int(quarter[2] or quarter[3])
        kind, start = QUARTER, (year, 3 * (number - 1) + 1)
    else:
        raise InputError(f"Period {text!r} is not a month or a quarter: {EXAMPLE}")
    if not MIN_YEAR <= start[0] <= MAX_YEAR:
        raise InputError(f"Period {text!r} is out of range: years {MIN_YEAR}-{MAX_YEAR}")
    return kind, date(start[0], start[1], 1)


def period_end(kind: str, start: date) -> date:
    """The last day of the month or quarter starting on `start`."""
    return period_last_day(start, QUARTER if kind == QUARTER else MONTH)


def period_containing(kind: str, day: date) -> date:
    """The first day of the month or quarter holding `day`."""
    if kind == QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return day.replace(day=1)


def period_key(kind: str, start: date) -> str:
    """ "2024-03" or "2024-Q1": how the grid, the CSV, the API and the CLI write a period."""
    if kind == QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def period_title(kind: str, start: date) -> str:
    """ "March 2024" or "Q1 2024", for people."""
    if kind == QUARTER:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return start.strftime("%B %Y")
