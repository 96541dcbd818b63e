"""The import as a whole: decode, recognise, decide each column's format, read and validate,
then load each file in ONE transaction.

`import_csv` imports one file, `import_files` several (every file is read and every question
asked before the first is written); `read_file` is the reading half, which never writes;
`parse_file` its first step (decode and split into rows), done once for a file that is read
again and again with other mappings or answers (the upload page: `ParsedFile`);
`detect` is the preview the admin page shows before importing.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from tqdm import tqdm

from dashapp.importer.dates import DateFormat, decide_date_format, distinct_dates
from dashapp.importer.decoding import decode_bytes
from dashapp.importer.errors import ImportFileError, NeedsAnswer
from dashapp.importer.formats import Layout, detect_layout
from dashapp.importer.loader import LoadCounts, load_orders
from dashapp.importer.numbers import (
    ColumnEvidence,
    NumberFormat,
    column_evidence,
    decide_number_formats,
)
from dashapp.importer.options import ReadOptions
from dashapp.importer.reader import (
    NUMBER_FIELDS,
    ReadPlan,
    ReadResult,
    duplicates_question,
    read_orders,
    transposed,
)
from dashapp.importer.report import ImportReport
from dashapp.importer.table import DELIMITER_NAMES, Table, read_table
from dashapp.store.db import write_transaction

# A phase that ends sooner than this shows no progress bar.
PROGRESS_DELAY = 1.0
PREVIEW_ROWS = 5
ON_EXISTING = ("update", "skip")
# progress=callable gets (file name, phase "reading"/"writing", done, total or None).
Progress = Callable[[str, str, int, "int | None"], object]


@dataclass(frozen=True)
class Detection:
    """What `detect` found: format, encoding, field -> column mapping and a preview."""

    format: str
    label: str
    encoding: str
    delimiter: str
    mapping: dict[str, str]
    columns: list[str]
    preview: list[dict[str, str]]
    ignored: list[str] = field(default_factory=list)


@dataclass
class ParsedFile:
    """A file decoded and split into rows, once: the start of every read of it. It keeps
    what each column's values say about their format (worked out on first use), so reading it
    again with another mapping or answer costs only the reading of the rows."""

    name: str
    encoding: str  # the one found or given
    asked_encoding: str | None  # the --encoding it was decoded with (None: detected)
    table: Table
    _evidence: dict[int, ColumnEvidence] = field(default_factory=dict, repr=False)
    _dates: dict[tuple, list[str]] = field(default_factory=dict, repr=False)
    # Each field's column as read with a given format (reader.read_orders' `kept`).
    columns: dict = field(default_factory=dict, repr=False)
    _cells: list | None = field(default=None, repr=False)

    def cells(self) -> list[tuple[str, ...]]:
        """The rows' cells column by column (reader.transposed), worked out once: the number
        and date evidence and the reading all take their columns from it."""
        if self._cells is None:
            self._cells = transposed(self.table.rows, len(self.table.header))
        return self._cells

    def number_evidence(self, index: int) -> ColumnEvidence:
        """What column `index`'s values say about its decimal mark."""
        if index not in self._evidence:
            self._evidence[index] = column_evidence(self.cells()[index])
        return self._evidence[index]

    def date_values(self, indexes: tuple[int | None, ...]) -> list[str]:
        """The distinct values of the date columns `indexes` (None: not mapped), in file order."""
        if indexes not in self._dates:
            cells = self.cells()
            values = [v for i in indexes if i is not None for v in cells[i]]
            self._dates[indexes] = distinct_dates(values)
        return self._dates[indexes]


@dataclass
class ReadFile:
    """A file read and validated; nothing written yet."""

    name: str
    encoding: str
    delimiter: str
    layout: Layout
    date_format: DateFormat | None
    numbers: dict[str, NumberFormat]
    result: ReadResult
    repeated_headers: list[int]
    ignored: list[str]


class _RollBack(Exception):
    """Raised inside the transaction to undo it (dry run, or strict mode with rejects)."""

    def __init__(self, counts: LoadCounts) -> None:
        super().__init__("roll back")
        self.counts = counts


def import_csv(
    engine: Engine,
    path: str | Path,
    mapping: dict[str, str] | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: bool | Progress = False,
    created_by: str | None = None,
    options: ReadOptions | None = None,
    on_existing: str = "update",
    overwrite_app_orders: bool = False,
) -> ImportReport:
    """Import the orders of a CSV file; raises ImportFileError when the file is unusable and
    NeedsAnswer when only the user can say how to read it (nothing is written then)."""
    read = read_file(path, mapping, options, progress)
    return load_file(
        engine, read, strict, dry_run, progress, created_by, on_existing, overwrite_app_orders
    )


def import_files(
    engine: Engine,
    paths: Sequence[str | Path],
    mapping: dict[str, str] | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: bool | Progress = False,
    created_by: str | None = None,
    options: ReadOptions | None = None,
    on_existing: str = "update",
    overwrite_app_orders: bool = False,
) -> list[ImportReport]:
    """Import several files, one transaction each. Every file is read first, so a file that
    cannot be read or asks a question stops the import before anything is written."""
    reads = [read_file(path, mapping, options, progress) for path in paths]
    return [
        load_file(
            engine, read, strict, dry_run, progress, created_by, on_existing, overwrite_app_orders
        )
        for read in reads
    ]


def csv_files(arguments: Iterable[str | Path]) -> list[Path]:
    """The files named, a folder standing for every *.csv in it (sorted by name)."""
    files: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
            if not found:
                raise ImportFileError(f"The folder {path} has no .csv file.")
            files += found
        else:
            files.append(path)
    return files


def read_file(
    source: str | Path | bytes | ParsedFile,
    mapping: dict[str, str] | None = None,
    options: ReadOptions | None = None,
    progress: bool | Progress = False,
    name: str | None = None,
) -> ReadFile:
    """Decode, recognise and read a file without writing anything (a ParsedFile: only
    recognise and read; it was decoded with its own encoding answer).

    Raises ImportFileError when the file is unusable, and NeedsAnswer when it is ambiguous;
    every question of the file is asked at once (the first, with the others in `.also`).
    """
    with _collector_paused():
        return _read_file(source, mapping, options, progress, name)


_pause_lock = threading.Lock()
_pauses = 0
_enabled_before = True


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading makes millions of objects and no reference cycles; the cyclic collector
    walking them over and over took 40 % of the reading time (100k rows: 11.8 s -> 6.9 s)."""
    global _pauses, _enabled_before
    with _pause_lock:  # the collector is the process's: imports run in several job threads
        if _pauses == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:  # the last one out turns it back on, as it was before the first
            _pauses -= 1
            if _pauses == 0 and _enabled_before:
                gc.enable()


def parse_file(
    source: str | Path | bytes,
    encoding: str | None = None,
    progress: bool | Progress = False,
    name: str | None = None,
) -> ParsedFile:
    """Decode a file (in `encoding` when given) and split it into rows; ImportFileError when
    it is unusable, NeedsAnswer when only the user can tell its encoding."""
    name = name or (Path(source).name if not isinstance(source, bytes) else "upload")
    text, found = _decoded(source, encoding)
    with _collector_paused(), _bar(progress, name, "reading", None) as advance:
        table = read_table(text, advance=advance)
    return ParsedFile(name, found, encoding, table)


def _read_file(
    source: str | Path | bytes | ParsedFile,
    mapping: dict[str, str] | None,
    options: ReadOptions | None,
    progress: bool | Progress,
    name: str | None,
) -> ReadFile:
    options = options or ReadOptions()
    if isinstance(source, ParsedFile):
        parsed = source
        if parsed.asked_encoding != options.encoding:
            raise ValueError("the file was parsed with another encoding answer")
    else:
        parsed = parse_file(source, options.encoding, progress, name)
    name = name or parsed.name
    table = parsed.table
    questions: list[NeedsAnswer] = []
    try:
        layout = detect_layout(table.header, mapping, options.no_customers)
    except NeedsAnswer as question:
        questions.append(question)
        layout = detect_layout(table.header, mapping, no_customers=True)
    number_fields = [f for f in NUMBER_FIELDS if f in layout.indexes]
    try:
        by_column = decide_number_formats(
            {layout.columns[f]: parsed.number_evidence(layout.indexes[f]) for f in number_fields},
            options,
        )
    except NeedsAnswer as question:
        questions.append(question)
        by_column = dict.fromkeys(layout.columns.values(), NumberFormat(".", ","))
    numbers = {f: by_column[layout.columns[f]] for f in number_fields}
    dates = parsed.date_values((layout.indexes.get("order_date"), layout.indexes.get("ship_date")))
    try:
        date_format = decide_date_format(dates, options.date_format)
    except NeedsAnswer as question:
        questions.append(question)
        date_format = decide_date_format(dates, "mm/dd/yyyy")
    plan = ReadPlan(
        layout,
        date_format,
        numbers,
        duplicates=options.duplicates or "keep",
        no_customers=options.no_customers or any(q.option == "--no-customers" for q in questions),
    )
    # Columns are kept for a file the caller parsed to read it again (the upload page), not
    # for one read once (keeping them costs copies).
    kept = parsed.columns if parsed is source else None
    result = read_orders(table.rows, plan, kept, parsed.cells())
    if result.duplicates and options.duplicates is None:
        questions.append(duplicates_question(result))
    if questions:
        first = questions[0]
        first.also = questions[1:]
        raise first
    return ReadFile(
        name=name,
        encoding=parsed.encoding,
        delimiter=table.delimiter,
        layout=layout,
        date_format=date_format,
        numbers=numbers,
        result=result,
        repeated_headers=table.repeated_headers,
        ignored=_ignored(table.header, layout),
    )


def load_file(
    engine: Engine,
    read: ReadFile,
    strict: bool = False,
    dry_run: bool = False,
    progress: bool | Progress = False,
    created_by: str | None = None,
    on_existing: str = "update",
    overwrite_app_orders: bool = False,
) -> ImportReport:
    """Write a file's orders in one transaction (undone for a dry run, or strict with rejects)."""
    if on_existing not in ON_EXISTING:
        raise ImportFileError(f"on_existing must be update or skip, not {on_existing!r}")
    result = read.result
    report = _report(read, strict, dry_run)
    roll_back = dry_run or (strict and bool(result.rejects))
    try:
        # The collector paused as for reading: the load builds columns of the file's values
        # (and their rows for the driver) beside the read orders, and each collection walked
        # them all again: 0.13-0.16 s of a 50k-line import's CPU (gc.callbacks).
        with (
            _collector_paused(),
            _bar(progress, read.name, "writing", len(result.orders)) as advance,
            write_transaction(engine) as conn,
        ):
            counts = load_orders(
                conn,
                result.orders,
                created_by,
                advance=advance,
                on_existing=on_existing,
                overwrite_app_orders=overwrite_app_orders,
            )
            if roll_back:
                raise _RollBack(counts)
    except _RollBack as undone:
        counts = undone.counts
    report.committed = not roll_back
    report.orders_added = counts.orders_added
    report.lines_added = counts.lines_added
    report.orders_skipped = counts.orders_skipped
    report.customers_added = counts.customers_added
    report.products_added = counts.products_added
    report.orders_updated = counts.orders_updated
    report.orders_unchanged = counts.orders_unchanged
    report.orders_refused = counts.orders_refused
    report.names_corrected = counts.names_corrected
    report.changes = list(counts.changes)
    if counts.rejects:
        report.rejects = sorted([*report.rejects, *counts.rejects], key=lambda r: r.line)
    return report


def _report(read: ReadFile, strict: bool, dry_run: bool) -> ImportReport:
    result, layout = read.result, read.layout
    formats = {f"{fmt.decimal}{fmt.thousands}" for fmt in read.numbers.values()}
    numbers = None
    if formats and any("," in f or "." in f for f in formats) and formats != {".,"}:
        numbers = "; ".join(f"{layout.columns[f]}: {fmt.name}" for f, fmt in read.numbers.items())
    return ImportReport(
        file=read.name,
        format_label=layout.label,
        encoding=f"{read.encoding}, {DELIMITER_NAMES[read.delimiter]}-separated",
        mapping=dict(layout.columns),
        ignored_columns=list(read.ignored),
        date_format=read.date_format.name if read.date_format else None,
        number_format=numbers,
        rows_read=result.rows_read,
        repeated_headers=list(read.repeated_headers),
        duplicates=list(result.duplicates),
        duplicates_dropped=result.duplicates_dropped,
        rounded_lines=result.rounded_lines,
        rounding_cents=result.rounding_cents,
        return_lines=result.return_lines,
        addresses_parsed=result.addresses_parsed,
        rejects=list(result.rejects),  # a kept ReadFile may be loaded again
        dry_run=dry_run,
        strict=strict,
    )


def detect(
    source: str | Path | bytes | ParsedFile,
    mapping: dict[str, str] | None = None,
    options: ReadOptions | None = None,
) -> Detection:
    """Recognise a file without importing it; raises ImportFileError like `import_csv`."""
    options = options or ReadOptions()
    if isinstance(source, ParsedFile):
        table, encoding = source.table, source.encoding
    else:
        text, encoding = _decoded(source, options.encoding)
        table = read_table(text, max_rows=PREVIEW_ROWS)
    layout = detect_layout(table.header, mapping, options.no_customers)
    preview = [
        {h: (values[i] if i < len(values) else "") for i, h in enumerate(table.header)}
        for _, values in table.rows[:PREVIEW_ROWS]
    ]
    return Detection(
        format=layout.format,
        label=layout.label,
        encoding=encoding,
        delimiter=table.delimiter,
        mapping=dict(layout.columns),
        columns=list(table.header),
        preview=preview,
        ignored=_ignored(table.header, layout),
    )


def _decoded(source: str | Path | bytes, encoding: str | None) -> tuple[str, str]:
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            raise ImportFileError(f"No such file: {source}") from None
        except IsADirectoryError:
            raise ImportFileError(f"{source} is a folder, not a file") from None
        except OSError as exc:
            raise ImportFileError(f"Cannot read {source}: {exc.strerror}") from None
    decoded = decode_bytes(data, encoding)
    return decoded.text, decoded.encoding


def _ignored(header: list[str], layout: Layout) -> list[str]:
    used = set(layout.indexes.values())
    return [h.strip() for i, h in enumerate(header) if i not in used and h.strip()]


class _bar:  # noqa: N801 - used as a context manager, like open()
    """A progress bar on stderr for a phase that lasts over PROGRESS_DELAY seconds, or the
    caller's progress function; yields `advance(n)` (None when nobody listens)."""

    def __init__(self, progress: bool | Progress, name: str, phase: str, total: int | None):
        self.progress, self.name, self.phase, self.total = progress, name, phase, total
        self.bar: tqdm | None = None
        self.done = 0

    def __enter__(self) -> Callable[[int], object] | None:
        if callable(self.progress):
            self.progress(self.name, self.phase, 0, self.total)
            return self._report
        if not self.progress:
            return None
        unit = " orders" if self.phase == "writing" else " rows"
        self.bar = tqdm(
            total=self.total,
            desc=f"{self.phase.capitalize()} {self.name}",
            unit=unit,
            delay=PROGRESS_DELAY,
            leave=False,
            file=sys.stderr,
            mininterval=0.5,
        )
        return self.bar.update

    def _report(self, n: int) -> None:
        self.done += n
        self.progress(self.name, self.phase, self.done, self.total)  # type: ignore[operator]

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
