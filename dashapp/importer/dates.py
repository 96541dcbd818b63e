"""Order dates: one format per file, decided from every value of the date columns.

A file is read with one format so that "3/4/2024" means the same day on every row: year-first
(ISO), month-first (US, M/D/YYYY) or day-first (D/M/YYYY, D.M.YYYY), each with an optional
time, or Unix seconds. A value with a first component over 12 proves day-first, one with a
second component over 12 month-first; dotted dates are day-first (no export writes M.D.Y).
When no value decides between day-first and month-first, `decide_date_format` does not guess:
it asks (NeedsAnswer, `--date-format`) unless the user already said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from dashapp.importer.errors import ImportFileError, NeedsAnswer

_TIME = (
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<F>\d{1,6})\d*)?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?"
)
_YEAR_FIRST = re.compile(r"(?P<a>\d{4})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,2})" + _TIME)
_YEAR_LAST = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{4}|\d{2})" + _TIME
)
_EPOCH = re.compile(r"\d{9,10}(?:\.\d+)?")
_SAMPLE = 20_000


@dataclass(frozen=True)
class DateFormat:
    """One way of reading dates: 'ymd', 'mdy', 'dmy' or 'epoch'; `name` is for people."""

    order: str
    name: str

    def parse(self, text: str) -> datetime | None:
        """The timestamp (naive, wall-clock) or None when `text` is not in this format."""
        text = text.strip()
        if self.order == "epoch":
            if not _EPOCH.fullmatch(text):
                return None
            return datetime.fromtimestamp(float(text), UTC).replace(tzinfo=None)
        m = (_YEAR_FIRST if self.order == "ymd" else _YEAR_LAST).fullmatch(text)
        if not m:
            return None
        a, b, c = int(m["a"]), int(m["b"]), int(m["c"])
        year, month, day = {"ymd": (a, b, c), "mdy": (c, a, b), "dmy": (c, b, a)}[self.order]
        if len(m["c"]) == 2 and self.order != "ymd":
            year += 2000 if year < 70 else 1900
        try:
            return datetime(year, month, day, *_clock(m))
        except ValueError:
            return None


FORMATS = {
    "ymd": DateFormat("ymd", "YYYY-MM-DD"),
    "mdy": DateFormat("mdy", "M/D/YYYY"),
    "dmy": DateFormat("dmy", "D/M/YYYY"),
    "epoch": DateFormat("epoch", "Unix time (seconds)"),
}


def infer_date_format(values: Iterable[str]) -> DateFormat | None:
    """The format that reads the most of the (distinct) values, or None if none reads any;
    month-first when day-first reads as many (`decide_date_format` asks instead)."""
    return _inferred(distinct_dates(values))[0]


def decide_date_format(values: Iterable[str], answer: str | None = None) -> DateFormat | None:
    """The one format of a file's dates; NeedsAnswer when only the user can tell dd/mm from
    mm/dd. `answer` ("dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd", any separator) settles only
    that question: dates that show their own format (a day over 12, ISO) are read as they
    show, so one answer can serve a folder of files in different formats."""
    distinct = distinct_dates(values)
    fmt, ambiguous = _inferred(distinct)
    if answer and (ambiguous or fmt is None):
        return _answered(answer, distinct)
    if answer:
        _answered(answer, distinct)  # an answer that names no format is still refused
    if ambiguous:
        sep = fmt.name[1] if fmt.name[1] in "/-." else "/"
        example = next(v for v in distinct if _YEAR_LAST.match(v))
        answers = (f"dd{sep}mm{sep}yyyy", f"mm{sep}dd{sep}yyyy")
        raise NeedsAnswer(
            f"The dates could be day-first or month-first: no day is over 12 in any of them "
            f"(e.g. {example!r}).",
            "--date-format",
            answers,
        )
    return fmt


def distinct_dates(values: Iterable[str]) -> list[str]:
    """The distinct stripped values (the first _SAMPLE), in order: what the format is decided
    from (a list of them decides as the values would)."""
    distinct: list[str] = []
    seen: set[str] = set()
    for v in values:
        v = v.strip()
        if v and v not in seen:
            seen.add(v)
            distinct.append(v)
            if len(distinct) >= _SAMPLE:
                break
    return distinct


def _inferred(distinct: list[str]) -> tuple[DateFormat | None, bool]:
    """(the best format, whether day-first and month-first read exactly the same values)."""
    if not distinct:
        return None, False
    dotted = any((m := _YEAR_LAST.fullmatch(v)) and m["sep"] == "." for v in distinct[:100])
    preference = ["ymd", "dmy", "mdy", "epoch"] if dotted else ["ymd", "mdy", "dmy", "epoch"]
    counts = {k: sum(1 for v in distinct if FORMATS[k].parse(v)) for k in preference}
    best = max(preference, key=lambda k: (counts[k], -preference.index(k)))
    if not counts[best]:
        return None, False
    ambiguous = not dotted and best == "mdy" and counts["dmy"] == counts["mdy"]
    return _with_separator(best, distinct), ambiguous


def _with_separator(order: str, distinct: list[str]) -> DateFormat:
    fmt = FORMATS[order]
    if order in ("mdy", "dmy"):
        sep = next((m["sep"] for v in distinct if (m := _YEAR_LAST.fullmatch(v))), "/")
        fmt = DateFormat(order, fmt.name.replace("/", sep))
    return fmt


def _answered(answer: str, distinct: list[str]) -> DateFormat:
    letters = re.sub(r"[^dmy]", "", answer.lower())
    order = "".join(dict.fromkeys(letters))  # "ddmmyyyy" -> "dmy"
    if answer.strip().lower() in ("epoch", "unix"):
        order = "epoch"
    if order not in FORMATS:
        raise ImportFileError(
            f"--date-format {answer!r}: expected dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd"
        )
    return _with_separator(order, distinct)


def _clock(m: re.Match) -> tuple[int, int, int, int]:
    if m["H"] is None:
        return 0, 0, 0, 0
    hour, minute = int(m["H"]), int(m["M"])
    if m["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError("bad 12-hour time")
        pm = m["ampm"][0] in "Pp"
        hour = hour % 12 + (12 if pm else 0)
    micro = int((m["F"] or "0").ljust(6, "0"))
    return hour, minute, int(m["S"] or 0), micro
