"""Number formats decided per column, from all its values, then read with one precomputed parser.

"1.706" is 1706 in a file that writes "12,50" and 1.706 in one that writes "12.50"; one value
alone cannot say. So each number column is classified once: a value with both separators
("1.234,50"), a separator not followed by exactly three digits ("12,5", "0.125"), or the same
separator twice ("1,234,567") settles the decimal mark; "1.706" or "1,234" settle nothing.
A column its own values do not settle takes the decision of the file's other number columns
(one file, one locale); when nothing settles it, the user is asked (NeedsAnswer). A space,
a no-break space (U+00A0) or a narrow no-break space (U+202F) is always a thousands separator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dashapp.importer.errors import ImportFileError, NeedsAnswer, RowError
from dashapp.importer.options import ReadOptions

SPACES = " \u00a0\u202f"
_CURRENCY = "$€£¥"
_OTHER = {",": ".", ".": ","}
_PLAIN = re.compile(r"\d+(\.\d*)?|\.\d+")
_SAMPLE = 50_000  # distinct values looked at per column


@dataclass(frozen=True)
class NumberFormat:
    """The decimal mark and the thousands separator of a column ("." and "," in the US)."""

    decimal: str
    thousands: str

    @property
    def name(self) -> str:
        return f"decimal {self.decimal!r}, thousands {self.thousands!r}"

    def parser(self, what: str) -> Callable[[str], Decimal]:
        """A function reading one stripped cell of this format, raising RowError."""
        drop = self.thousands + SPACES
        table = str.maketrans({**dict.fromkeys(drop), self.decimal: "."})
        plain_fast = self.decimal == "."
        grouped = re.compile(
            rf"\d{{1,3}}(?:[{re.escape(drop)}]\d{{3}})*(?:{re.escape(self.decimal)}\d*)?"
        )

        def parse(text: str) -> Decimal:
            if plain_fast and _PLAIN.fullmatch(text):
                return Decimal(text)  # the common case: "1234.5"
            s = text.strip(_CURRENCY + SPACES)
            sign = ""
            if s[:1] in "+-":
                sign, s = s[0], s[1:].strip(_CURRENCY + SPACES)
            plain = s.translate(table)
            # Separators other than the decimal mark must split the digits in threes:
            # "1.2.3" is no number in any format. (Only they shorten the text.)
            grouping = len(plain) < len(s)
            if not _PLAIN.fullmatch(plain) or (grouping and not grouped.fullmatch(s)):
                raise RowError(f"{what} {text!r} is not a number")
            try:
                return Decimal(sign + plain)
            except InvalidOperation:  # pragma: no cover - the pattern admits only digits
                raise RowError(f"{what} {text!r} is not a number") from None

        return parse


def evidence(text: str) -> str | None:
    """The decimal mark one value proves ("," or "."), "?" when it has a separator that could
    be either ("1.706"), None when it has no separator."""
    s = text.strip().strip(_CURRENCY + SPACES).lstrip("+-").removesuffix("%")
    for space in SPACES:
        s = s.replace(space, "")
    has_comma, has_dot = "," in s, "." in s
    if has_comma and has_dot:
        return "," if s.rfind(",") > s.rfind(".") else "."
    if not (has_comma or has_dot):
        return None
    mark = "," if has_comma else "."
    if s.count(mark) > 1:
        return _OTHER[mark]  # "1,234,567": the mark separates thousands
    before, _, after = s.partition(mark)
    if len(after) != 3 or not before or before.startswith(("0", "-", "+")) or len(before) > 3:
        return mark  # "12,5", "0.125", ".125", "1234.567": a decimal mark
    return "?"


@dataclass(frozen=True)
class ColumnEvidence:
    """What a column's values say: decimal marks proven, and a value that proves nothing."""

    marks: frozenset[str]
    undecided: str | None  # an example such as "1.706"


# Values that are plain digits, or digits with a point and not three digits after it: no
# separator, or a point that can only be a decimal mark (`evidence` of each: None or ".").
# Matched over all the column's distinct values at once (one line each), the rest one by one.
_NO_SEPARATOR = re.compile(r"^\d+$\n?", re.MULTILINE)
_POINT = re.compile(r"^\d+\.(?:\d\d?|\d{4,})$\n?", re.MULTILINE)


def column_evidence(values: Iterable[str]) -> ColumnEvidence:
    marks: set[str] = set()
    undecided = None
    sample = list(set(values))[:_SAMPLE]
    joined = "\n".join(sample)
    if joined.count("\n") == len(sample) - 1:  # no value holds a line break
        # 50k distinct amounts: 0.37 s of `evidence` calls -> some 20 ms.
        if _POINT.search(joined):
            marks.add(".")
        sample = _POINT.sub("", _NO_SEPARATOR.sub("", joined)).split("\n")
    for value in sample:
        found = evidence(value)
        if found == "?":
            undecided = undecided or value.strip()
        elif found:
            marks.add(found)
    return ColumnEvidence(frozenset(marks), undecided)


def decide_number_formats(
    columns: dict[str, Iterable[str] | ColumnEvidence], options: ReadOptions | None = None
) -> dict[str, NumberFormat]:
    """One NumberFormat per column (keyed by the column's name; its values, or what they say
    as `column_evidence` found it); NeedsAnswer when the values leave it open and the options
    do not answer it.

    The user's answer (--decimal/--thousands) settles only what the file leaves open: a column
    whose values prove their decimal mark is read that way, so one answer can serve a folder of
    files in different formats.
    """
    given = _given(options or ReadOptions())
    found = {
        name: values if isinstance(values, ColumnEvidence) else column_evidence(values)
        for name, values in columns.items()
    }
    file_marks = {m for ev in found.values() if len(ev.marks) == 1 for m in ev.marks}
    out: dict[str, NumberFormat] = {}
    for name, ev in found.items():
        if len(ev.marks) == 1:
            (mark,) = ev.marks
        elif given is not None and (ev.marks or ev.undecided):
            out[name] = given
            continue
        elif ev.marks:
            raise NeedsAnswer(
                f"Column {name!r} writes numbers both with ',' and with '.' as decimal mark.",
                "--decimal",
                (",", "."),
                _USAGES,
            )
        elif ev.undecided and len(file_marks) == 1:
            (mark,) = file_marks
        elif ev.undecided:
            example = ev.undecided
            sep = "," if "," in example else "."
            whole = example.replace(sep, "")
            raise NeedsAnswer(
                f"Column {name!r} has values such as {example!r} that read as {whole} with "
                f"{sep!r} separating thousands or as {example.replace(',', '.')} with {sep!r} "
                "as decimal mark, and no value in the file settles it.",
                "--decimal",
                (",", "."),
                _USAGES,
            )
        elif given is not None:
            out[name] = given
            continue
        else:
            mark = next(iter(file_marks)) if len(file_marks) == 1 else "."
        out[name] = NumberFormat(mark, _OTHER[mark])
    return out


_USAGES = ("--decimal , --thousands .", "--decimal . --thousands ,")


def _given(options: ReadOptions) -> NumberFormat | None:
    decimal, thousands = options.decimal, options.thousands
    if decimal is None and thousands in _OTHER:
        decimal = _OTHER[thousands]
    if decimal is None:
        return None
    if decimal not in _OTHER:
        raise ImportFileError(f"--decimal must be ',' or '.', not {decimal!r}")
    if thousands is None:
        thousands = _OTHER[decimal]
    if thousands == decimal or (thousands not in _OTHER and thousands not in SPACES):
        raise ImportFileError(f"--thousands {thousands!r} cannot go with --decimal {decimal!r}")
    return NumberFormat(decimal, thousands)
