"""What the admin page shows of an uploaded file before importing it, even when the columns
are not yet recognised: the header, the first rows and the mapping found so far."""

from __future__ import annotations

from dataclasses import dataclass

from dashapp.importer.decoding import decode_bytes
from dashapp.importer.errors import ImportFileError
from dashapp.importer.formats import GENERIC, LABELS, _by_synonyms, _column_index, normalise
from dashapp.importer.options import ReadOptions
from dashapp.importer.pipeline import PREVIEW_ROWS, ParsedFile, detect
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


def preview_upload(
    data: bytes | ParsedFile,
    mapping: dict[str, str] | None = None,
    options: ReadOptions | None = None,
) -> UploadPreview:
    """Preview `data` (a file's bytes, read with the same options as its import, or the file
    parsed already); ImportFileError only when it cannot be read as a table at all."""
    options = options or ReadOptions()
    try:
        found = detect(data, mapping, options)
        return UploadPreview(
            found.label, found.encoding, found.columns, found.preview, found.mapping, None
        )
    except ImportFileError as exc:
        problem = str(exc)
    if isinstance(data, ParsedFile):
        table, encoding = data.table, data.encoding
    else:
        decoded = decode_bytes(data, options.encoding)
        table, encoding = read_table(decoded.text, max_rows=PREVIEW_ROWS), decoded.encoding
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
        for _, values in table.rows[:PREVIEW_ROWS]
    ]
    return UploadPreview(LABELS[GENERIC], encoding, header, rows, guessed, problem)
