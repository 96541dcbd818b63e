"""The periods a rule is judged over, and which of them are complete.

A period is judged only once it is complete, by the anomaly check's rule
(dashapp.analytics.anomalies.INCOMPLETE_RULE): a day is complete once orders dated on a later
day exist and it is before today, so the last complete day is the day before the earlier of
the data's last day and today. A day, week (Monday to Sunday) or month is complete when it
ends on or before that day and starts on or after the data's first day (the data's first
partial month is no month of sales). "Week to date" and "month to date" run from the start of
the week or month holding the last complete day to that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dashapp.analytics.anomalies import last_complete_day
from dashapp.store.periods import next_period_start

DAY, WEEK, MONTH, WEEK_TO_DATE, MONTH_TO_DATE = (
    "day",
    "week",
    "month",
    "week_to_date",
    "month_to_date",
)
PERIODS = (DAY, WEEK, MONTH, WEEK_TO_DATE, MONTH_TO_DATE)
PERIOD_LABELS = {
    DAY: "Day",
    WEEK: "Week",
    MONTH: "Month",
    WEEK_TO_DATE: "Week to date",
    MONTH_TO_DATE: "Month to date",
}
TO_DATE = (WEEK_TO_DATE, MONTH_TO_DATE)
COMPLETE_RULE = (
    "A rule judges complete periods only: a day, week or month that ends on or before the "
    "last complete day (the data's last day and today are not complete, their orders may "
    "still be arriving) and starts on or after the data's first day; 'to date' runs from the "
    "week's Monday or the month's 1st to the last complete day."
)
# A check judges at most this many periods a rule has not seen (a month of days after a
# monthly import); older ones are left unjudged.
MAX_CATCH_UP = 31


@dataclass(frozen=True)
class Window:
    """The days [start, end] a rule is judged over."""

    start: date
    end: date

    def text(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def window_of(period: str, start: date, last: date) -> Window:
    """The period starting on `start` (to date: up to `last`)."""
    if period == DAY:
        return Window(start, start)
    if period == WEEK:
        return Window(start, start + timedelta(days=6))
    if period == MONTH:
        return Window(start, next_period_start(start, "month") - timedelta(days=1))
    return Window(start, last)


def _previous_start(period: str, start: date) -> date:
    if period == DAY:
        return start - timedelta(days=1)
    if period == WEEK:
        return start - timedelta(days=7)
    return _month_start(start - timedelta(days=1))


def latest_window(period: str, last: date) -> Window:
    """The latest period ending on or before `last` (the last complete day)."""
    if period == DAY:
        return Window(last, last)
    if period in (WEEK, WEEK_TO_DATE):
        monday = last - timedelta(days=last.weekday())
        if period == WEEK_TO_DATE:
            return Window(monday, last)
        sunday = last if last.weekday() == 6 else monday - timedelta(days=1)
        return Window(sunday - timedelta(days=6), sunday)
    first = _month_start(last)
    if period == MONTH_TO_DATE:
        return Window(first, last)
    if last == next_period_start(last, "month") - timedelta(days=1):
        return Window(first, last)
    previous = _month_start(first - timedelta(days=1))
    return Window(previous, first - timedelta(days=1))


def due_windows(
    period: str,
    checked_through: date | None,
    data_first: date | None,
    data_last: date | None,
    today: date,
) -> list[Window]:
    """The complete periods a check judges, oldest first: the latest one, and for a rule
    checked before, the ones after the last it judged (at most MAX_CATCH_UP)."""
    if data_first is None or data_last is None:
        return []
    last = last_complete_day(data_last, today)
    latest = latest_window(period, last)
    found = [latest]
    if period not in TO_DATE and checked_through is not None:
        start = latest.start
        while len(found) < MAX_CATCH_UP:
            start = _previous_start(period, start)
            if start <= checked_through:
                break
            found.append(window_of(period, start, last))
    return [w for w in reversed(found) if w.start >= data_first and w.end <= last]
