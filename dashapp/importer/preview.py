"""What the admin page shows of an uploaded file before importing it, even when the columns
are not yet recognised: the header, the first rows and the mapping found so far."""

from __future__ import annotations

from dataclasses import dataclass

from dashapp.importer.decoding import decode_bytes
from dashapp.importer.errors import ImportFileError
from dashapp.importer.formats import GENERIC, LABELS, _by_synonyms, _column_index, normalise
from dashapp.importer.pipeline import PREVIEW_ROWS, detect
from dashapp.importer.table import read_table


@dataclass(frozen=True)
class UploadPreview:
    """Detected format, encoding, header, first rows, mapping, and what is still missing."""

    label: str
    encoding: str
    columns: list[str]
    rows: list[dict[str, str]]
    mapping: dict[str, str]
    problem: str | None


def preview_upload(data: bytes, mapping: dict[str, str] | None = None) -> UploadPreview:
    """Preview `data`; ImportFileError only when the file cannot be read as a table at all."""
    try:
        found = detect(data, mapping)
        return UploadPreview(
            found.label, found.encoding, found.columns, found.preview, found.mapping, None
        )
    except ImportFileError as exc:
        problem = str(exc)
    decoded = decode_bytes(data)
    table = read_table(decoded.text, max_rows=PREVIEW_ROWS)
    header = list(table.header)
    by_name = _column_index(header)
    names = {normalise(h): h.strip() for h in header}
    guessed = {field: names[key] for field, key in _by_synonyms(by_name).items()}
    for field, column in (mapping or {}).items():
        if normalise(column) in by_name:
            guessed = {f: c for f, c in guessed.items() if normalise(c) != normalise(column)}
            guessed[field] = column
    rows = [
        {h: (values[i] if i < len(values) else "") for i, h in enumerate(header)}
        for _, values in table.rows
    ]
    return UploadPreview(LABELS[GENERIC], decoded.encoding, header, rows, guessed, problem)
