"""Targets from a CSV file: one target a row, under a header naming the columns.

    period,metric,scope,key,amount
    2024-03,revenue,business,,"10,000.00"
    2024-Q1,orders,category,Classic Cars,120

`scope` may be left out (business) and `key` is the category, region or username. The whole
file is set in one transaction or not at all: every bad row is reported with its line number.
"""

from __future__ import annotations

import csv
import io

from dashapp.targets.records import TargetDraft
from dashapp.validation import FieldError, ValidationError

COLUMNS = ("period", "metric", "scope", "key", "amount")
REQUIRED = ("period", "metric", "amount")
# Header names people write for the same columns.
ALIASES = {
    "month": "period",
    "quarter": "period",
    "measure": "metric",
    "scope_key": "key",
    "name": "key",
    "category": "key",
    "region": "key",
    "user": "key",
    "target": "amount",
    "value": "amount",
}
MAX_BYTES = 1_000_000
EXAMPLE = "period,metric,scope,key,amount"


def decode(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 (what Excel saves): a name
    read wrongly is then an unknown category or region, refused, never stored."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_targets_csv(text: str) -> tuple[list[TargetDraft], list[int]]:
    """The drafts of a CSV text and the file line of each; ValidationError for a file whose
    header or shape is wrong (line numbers count the header as line 1)."""
    if len(text) > MAX_BYTES:
        raise ValidationError([FieldError("file", f"The file is over {MAX_BYTES:,} bytes")])
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ValidationError([FieldError("file", f"The file is empty: expected {EXAMPLE}")])
    header = [_column(h) for h in rows[0]]
    unknown = [h for h, c in zip(rows[0], header, strict=True) if c is None and h.strip()]
    missing = [c for c in REQUIRED if c not in header]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"no {', '.join(missing)} column")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(repr(u) for u in unknown)}")
        raise ValidationError(
            [FieldError("file", f"The header has {'; '.join(problems)}: expected {EXAMPLE}")]
        )
    # A key column headed "category", "region" or "user" says the scope when none is given.
    named = {_column(h): h.strip().lower() for h in rows[0]}.get("key")
    default_scope = named if named in ("category", "region", "user") else "business"
    drafts, lines = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {c: v for c, v in zip(header, row, strict=False) if c is not None}
        key = values.get("key")
        scope = values.get("scope") or (default_scope if key and key.strip() else "business")
        drafts.append(
            TargetDraft(
                period=values.get("period"),
                metric=values.get("metric"),
                amount=values.get("amount"),
                scope=scope,
                key=key,
            )
        )
        lines.append(number)
    if not drafts:
        raise ValidationError([FieldError("file", "The file has a header but no targets")])
    return drafts, lines


def _column(name: str) -> str | None:
    key = name.strip().lower().replace(" ", "_")
    if key in COLUMNS:
        return key
    return ALIASES.get(key)


def on_file_lines(exc: ValidationError, lines: list[int]) -> list[str]:
    """The errors of set_targets (by 0-based row) as 'line 3, amount: ...' of the file."""
    out = []
    for e in exc.errors:
        where = f"line {lines[e.line]}, " if e.line is not None and e.line < len(lines) else ""
        out.append(f"{where}{e.field}: {e.message}")
    return out
