"""Admin › Import: upload one or several CSV files, check each (preview, column mapping, the
questions only the user can answer), dry run, import one transaction per file, one report.

Nothing is imported while a file has an unanswered question (SPEC §5: never guess). The
buttons say so in the page, and the server checks again: a forged request without the answers
is refused with the question, and a token of someone else's upload names no file.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from dashapp.analytics.anomalies import check_after_import
from dashapp.importer import ImportFileError, ImportReport, NeedsAnswer, ReadOptions
from dashapp.importer.pipeline import ParsedFile, load_file, parse_file, read_file
from dashapp.importer.preview import UploadPreview, preview_upload
from dashapp.importer.read_cache import ReadCache
from dashapp.importer.span import new_gap_warnings, order_months
from dashapp.ui import ids
from dashapp.ui.admin.import_report import render_report
from dashapp.ui.parts import ADMIN_CARD, secondary_button, titled_card
from dashapp.ui.uploads import (
    MAX_UPLOAD_BYTES,
    UploadError,
    decode_contents,
    discard_upload,
    save_upload,
    upload_callback,
    upload_path,
)
from dashapp.web.access import current_account, guarded

log = logging.getLogger(__name__)
CSV_SUFFIX = ".csv"
ACCEPTED = (".csv", ".txt", ".tsv")
MAX_FILES = 20
NAME_CHARS = 120  # a file name is shown (as text) cut to this length
WORKING = "Working… large files take a minute; the page stays usable."
PROGRESS_EVERY = 0.3  # seconds between two progress reports of a running import

# Pattern-matching ids of one uploaded file's parts; "file" is its place in the upload.
FILE_MAP = "import-map"  # + "field": the column chosen for a field
FILE_ANSWER = "import-answer"  # + "field": the ReadOptions field a question fills
FILE_QUESTIONS = "import-questions"
FILE_QUESTION_LIST = "import-question-list"  # dcc.Store: the questions shown, as dicts
FILE_STATUS = "import-status"
FILE_READY = "import-ready-file"  # dcc.Store: True when the file can be imported as it is
ON_EXISTING = "import-on-existing"
WAITING = "import-waiting"
PROGRESS_BAR = "import-progress-bar"
PROGRESS_TEXT = "import-progress-text"
# Each upload is decoded and split once, when it arrives; a changed mapping or answer reads
# its kept rows, and the import reuses the read its last check made (dashapp.importer).
READS = ReadCache()

# The fields offered in the mapping editor: (field, label, required).
FIELDS = [
    ("order_id", "Order id", True),
    ("order_date", "Order date", True),
    ("customer", "Customer", True),
    ("sku", "Product code", False),
    ("product_name", "Product name", False),
    ("category", "Category", False),
    ("quantity", "Quantity", False),
    ("unit_price", "Unit price", False),
    ("amount", "Line amount", False),
    ("discount", "Discount", False),
    ("cost", "Line cost", False),
    ("profit", "Profit", False),
    ("country", "Country", False),
    ("status", "Status", False),
    ("ship_date", "Ship date", False),
    ("customer_email", "Customer email", False),
]
# The questions the reader can ask, by ReadOptions field: a short title for each.
QUESTION_TITLES = {
    "encoding": "Which character set is the file in?",
    "decimal": "How are the numbers written?",
    "date_format": "How are the dates written?",
    "duplicates": "Repeated rows",
    "no_customers": "No customer column",
}
NO_CUSTOMERS_TEXT = (
    "The file has no column for the customer. Pick it in the mapping if it is there under "
    "another name, or import without customers: the orders, units and revenue count, but "
    "not in customers."
)
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "cp1252": "Windows (cp1252)",
    "latin-1": "Latin-1 (ISO 8859-1)",
    "cp850": "DOS (cp850)",
}
IMPORTED_NOTE = "The files were imported (see the report below). Upload more files to import them."
FAILED_NOTE = "The uploaded files were removed with this attempt: upload them again."
ON_EXISTING_CHOICES = [
    {"label": "Update it with the file's version", "value": "update"},
    {"label": "Skip it: keep the stored order", "value": "skip"},
]


# --- what the page asks and sends ------------------------------------------------------------


class PartlyImported(Exception):
    """Writing a file failed (its transaction rolled back) after `reports` were committed."""

    def __init__(self, reports: list[ImportReport], failed: str) -> None:
        super().__init__(f"writing {failed} failed")
        self.reports, self.failed = reports, failed


@dataclass(frozen=True)
class FileChoice:
    """One uploaded file as the user set it up: its token, name, mapping and answers."""

    token: str
    name: str
    mapping: dict[str, str] = field(default_factory=dict)
    options: ReadOptions = field(default_factory=ReadOptions)


@dataclass
class FileCheck:
    """What reading a file with the current mapping and answers found."""

    questions: list[NeedsAnswer] = field(default_factory=list)  # not answered yet
    problem: str | None = None  # the file cannot be imported as mapped
    summary: str | None = None  # when ready: what will be read

    @property
    def ready(self) -> bool:
        return not self.questions and self.problem is None


def read_options(answers: dict[str, object]) -> ReadOptions:
    """The ReadOptions of a file from the answers chosen on the page (unknown ones ignored)."""

    def text(name: str) -> str | None:
        value = answers.get(name)
        return value if isinstance(value, str) and value else None

    return ReadOptions(
        encoding=text("encoding"),
        decimal=text("decimal"),
        date_format=text("date_format"),
        duplicates=text("duplicates"),
        no_customers=answers.get("no_customers") == "yes",
    )


def check_file(
    source: bytes | Path | ParsedFile, name: str, mapping: dict[str, str], options: ReadOptions
) -> FileCheck:
    """Read the whole file (writing nothing) to find its questions or its problem; an
    uploaded file's path is read through READS (its rows parsed once, kept)."""
    try:
        if isinstance(source, Path):
            read = READS.read(source, mapping or None, options, name=name)
        else:
            read = read_file(source, mapping or None, options, name=name)
    except NeedsAnswer as question:
        return FileCheck(questions=[question, *question.also])
    except ImportFileError as exc:
        return FileCheck(problem=exc.message)
    parts = [f"{read.result.rows_read:,} rows", read.layout.label]
    if read.date_format:
        parts.append(f"dates {read.date_format.name}")
    used = ", ".join(f"{f} ← {c}" for f, c in read.layout.columns.items())
    summary = f"{' · '.join(parts)}. Columns used: {used}."
    if read.ignored:
        summary += f" Not imported: {', '.join(read.ignored)}."
    return FileCheck(summary=summary)


def _answer_label(field_name: str, answer: str) -> str:
    if field_name == "date_format":
        return f"Day first: {answer}" if answer.startswith("dd") else f"Month first: {answer}"
    if field_name == "decimal":
        return "1.234,56 (comma before the cents)" if answer == "," else "1,234.56 (point)"
    if field_name == "duplicates":
        if answer == "keep":
            return "Keep them: separate sales of the same item"
        return "Drop them: the export wrote them twice"
    if field_name == "encoding":
        return ENCODING_NAMES.get(answer.lower(), answer)
    return answer


def question_spec(question: NeedsAnswer) -> dict:
    """A question as the page keeps it: field, title, text and (value, label) answers."""
    if question.field == "no_customers":
        text, answers = NO_CUSTOMERS_TEXT, [["yes", "Import without customers"]]
    else:
        text = question.question
        answers = [[a, _answer_label(question.field, a)] for a in question.answers]
    title = QUESTION_TITLES.get(question.field, "A question about the file")
    return {"field": question.field, "title": title, "text": text, "answers": answers}


def import_uploads(
    engine: Engine,
    files: Sequence[FileChoice],
    owner: str | None,
    *,
    dry_run: bool,
    strict: bool = False,
    on_existing: str = "update",
    created_by: str | None = None,
    progress: Callable | bool = False,
) -> list[ImportReport]:
    """Import (or dry-run) `owner`'s uploaded files, one transaction each. Every file is read
    before the first is written, so a file with a question or a problem stops them all.
    A real run deletes the files when it ends, whatever the outcome; a dry run keeps them."""
    try:
        reads = [
            READS.read(
                upload_path(f.token, CSV_SUFFIX, owner),
                f.mapping or None,
                f.options,
                progress,
                name=f.name,
            )
            for f in files
        ]
        reports: list[ImportReport] = []
        for read in reads:
            try:
                report = load_file(engine, read, strict, dry_run, progress, created_by, on_existing)
            except Exception as exc:
                raise PartlyImported(reports, read.name) from exc
            reports.append(report)
        return reports
    finally:
        if not dry_run:
            for f in files:
                _discard(f.token, owner)


# --- layout ----------------------------------------------------------------------------------


def layout() -> html.Div:
    upload = dcc.Upload(
        id=ids.IMPORT_UPLOAD,
        children=html.Div(
            [
                html.Strong("Drop CSV files here"),
                html.Span(" or "),
                html.Span("choose them", className="link-like"),
                html.Div(
                    f"One or several order exports, up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB "
                    "in all; UTF-8, cp1252, latin-1 or cp850",
                    className="small text-muted",
                ),
            ]
        ),
        className="upload-zone",
        accept=",".join(ACCEPTED),
        multiple=True,
    )
    return html.Div(
        [
            dcc.Store(id=ids.IMPORT_FILE),
            _card("1 · Upload", [upload, html.Div(id=ids.IMPORT_FILE_INFO, className="mt-2")]),
            _card(
                "2 · Check each file",
                [
                    html.Div(
                        "Upload files to see their first rows, the detected columns and any "
                        "question about how to read them.",
                        id=ids.IMPORT_PREVIEW,
                        className="text-muted small",
                    ),
                ],
            ),
            _card(
                "3 · Dry run, then import",
                [
                    html.P(
                        "A dry run reads and checks every row and shows what the import would "
                        "do, without writing anything. The import writes each file in one "
                        "transaction.",
                        className="small text-muted",
                    ),
                    html.Div(
                        [
                            html.Div(
                                "When an order of the file is already stored",
                                className="filter-label",
                                id=ON_EXISTING + "-label",
                            ),
                            dbc.RadioItems(
                                id=ON_EXISTING,
                                options=ON_EXISTING_CHOICES,
                                value="update",
                                inline=True,
                                class_name="import-choice",
                            ),
                            html.Div(
                                "Identical orders are left alone. Orders entered or edited in "
                                "the app are never overwritten: the report lists them.",
                                className="small text-muted",
                            ),
                        ],
                        className="mb-3",
                        role="radiogroup",
                        **{"aria-labelledby": ON_EXISTING + "-label"},
                    ),
                    dbc.Checkbox(
                        id=ids.IMPORT_STRICT,
                        label="Strict: import nothing of a file if any of its rows is rejected",
                        value=False,
                        class_name="mb-2",
                    ),
                    html.Div(
                        [
                            secondary_button("Dry run", ids.IMPORT_DRY_RUN, disabled=True),
                            dbc.Button("Import", id=ids.IMPORT_RUN, color="primary", disabled=True),
                            html.Span(id=WAITING, className="small text-muted"),
                        ],
                        className="d-flex gap-2 flex-wrap align-items-center",
                    ),
                    html.Div(
                        [
                            dbc.Progress(
                                id=PROGRESS_BAR,
                                value=0,
                                striped=True,
                                animated=True,
                                class_name="mb-1",
                            ),
                            html.Div(
                                WORKING,
                                id=PROGRESS_TEXT,
                                className="small text-muted",
                            ),
                        ],
                        id=ids.IMPORT_PROGRESS,
                        className="import-progress d-none",
                        role="status",
                    ),
                    html.Div(id=ids.IMPORT_REPORT, className="mt-3", **{"aria-live": "polite"}),
                ],
            ),
        ],
        className="admin-pane",
    )


def _card(title: str, body: list) -> dbc.Card:
    return titled_card(title, *body, title_class="card-title mb-3", class_name=ADMIN_CARD)


def _file_id(kind: str, index: int, **more: str) -> dict:
    return {"type": kind, "file": index, **more}


def _preview_grid(found: UploadPreview, index: int) -> dag.AgGrid:
    return dag.AgGrid(
        id=f"import-preview-grid-{index}",
        columnDefs=[{"field": c, "headerName": c} for c in found.columns],
        rowData=found.rows,
        defaultColDef={"resizable": True, "minWidth": 110, "sortable": False},
        dashGridOptions={"domLayout": "autoHeight", "suppressFieldDotNotation": True},
        className="ag-theme-quartz preview-grid",
        style={"height": None},
    )


def _mapping_editor(found: UploadPreview, index: int) -> html.Div:
    options = [{"label": c, "value": c.strip()} for c in found.columns if c.strip()]
    fields = []
    for name, label, required in FIELDS:
        fields.append(
            html.Div(
                [
                    html.Div(
                        [label, html.Span(" *", className="text-danger") if required else None],
                        className="filter-label",
                    ),
                    dcc.Dropdown(
                        id=_file_id(FILE_MAP, index, field=name),
                        options=options,
                        value=found.mapping.get(name),
                        placeholder="not in the file",
                        clearable=True,
                    ),
                ],
                className="filter-field",
            )
        )
    return html.Div(
        [
            html.H4("Column for each field", className="subhead mb-1"),
            html.P(
                "Detected columns are filled in; pick the right column where a field is "
                "empty or wrong. * required; a product code or name and a line amount or "
                "unit price are needed too.",
                className="small text-muted mb-2",
            ),
            html.Div(fields, className="filter-grid mapping-grid"),
        ],
        className="import-mapping",
    )


def _questions(index: int, specs: list[dict], answers: dict[str, object]) -> list:
    """One choice per question, each with its title and the reader's words."""
    if not specs:
        return [
            html.H4("Questions", className="subhead mb-1"),
            html.P("None: the file says how to read it.", className="small text-muted mb-0"),
        ]
    blocks = [html.H4("Answer before importing", className="subhead mb-2")]
    for spec in specs:
        label_id = f"import-question-{index}-{spec['field']}"
        blocks.append(
            html.Div(
                [
                    html.Div(spec["title"], className="import-question-title", id=label_id),
                    html.P(spec["text"], className="small mb-2"),
                    dbc.RadioItems(
                        id=_file_id(FILE_ANSWER, index, field=spec["field"]),
                        options=[{"label": label, "value": v} for v, label in spec["answers"]],
                        value=answers.get(spec["field"]),
                        class_name="import-choice",
                    ),
                ],
                className="import-question",
                role="radiogroup",
                **{"aria-labelledby": label_id},
            )
        )
    return blocks


def _status(check: FileCheck) -> dbc.Alert:
    if check.problem:
        return dbc.Alert(check.problem, color="warning", className="mb-0 small")
    if check.questions:
        n = len(check.questions)
        text = "Answer the question" if n == 1 else f"Answer the {n} questions"
        return dbc.Alert(
            f"{text} about this file: nothing is imported until it can be read for sure.",
            color="info",
            className="mb-0 small",
        )
    return dbc.Alert(
        [html.Strong("Ready: "), check.summary or ""], color="success", className="mb-0 small"
    )


def _file_section(
    index: int, name: str, size: int, found: UploadPreview, check: FileCheck
) -> html.Section:
    specs = [question_spec(q) for q in check.questions]
    return html.Section(
        [
            html.Div(
                [
                    html.H3(name, className="import-file-name"),
                    html.Span(
                        f"{size:,} bytes · {found.label} · {found.encoding}",
                        className="small text-muted",
                    ),
                ],
                className="import-file-head",
            ),
            html.H4(f"First {len(found.rows)} rows", className="subhead mb-1"),
            _preview_grid(found, index),
            html.Div(
                [
                    _mapping_editor(found, index),
                    html.Div(
                        _questions(index, specs, {}),
                        id=_file_id(FILE_QUESTIONS, index),
                        className="import-questions",
                    ),
                ],
                className="import-setup",
            ),
            dcc.Store(id=_file_id(FILE_QUESTION_LIST, index), data=specs),
            dcc.Store(id=_file_id(FILE_READY, index), data=check.ready),
            html.Div(_status(check), id=_file_id(FILE_STATUS, index), className="mt-2"),
        ],
        className="import-file",
        id=f"import-file-{index}",
    )


def _preview(data: bytes) -> UploadPreview:
    """The first rows; a file whose character set is a question is shown in the likeliest."""
    try:
        return preview_upload(data)
    except NeedsAnswer as question:
        if question.field != "encoding" or not question.answers:
            raise
        return preview_upload(data.decode(question.answers[0], "replace").encode())


def _first_look(data: bytes, name: str) -> tuple[UploadPreview, FileCheck, ParsedFile | None]:
    """An upload's preview and check from one parse of it (kept for the later reads); a
    file whose character set is a question is previewed in the likeliest and not kept."""
    try:
        parsed = parse_file(data, name=name)
    except NeedsAnswer as question:
        return _preview(data), FileCheck(questions=[question, *question.also]), None
    return preview_upload(parsed), check_file(parsed, name, {}, ReadOptions()), parsed


def _discard(token: str, owner: str | None) -> None:
    """Delete an upload and forget its kept rows."""
    with contextlib.suppress(UploadError):  # gone already: nothing kept is found again
        READS.forget(upload_path(token, CSV_SUFFIX, owner))
    discard_upload(token, CSV_SUFFIX, owner)


# --- callbacks -------------------------------------------------------------------------------


def _check_after_import(engine: Engine, report: ImportReport) -> None:
    """Run the anomaly check after a committed import (as the CLI does)."""
    try:
        check_after_import(engine, report)
    except Exception:  # the import is committed; a failed check must not hide that
        log.exception("anomaly check after import failed")


def _owner() -> str | None:
    account = current_account()
    return account.username if account else None


def _uploaded(files: object) -> list[dict]:
    """The page's list of uploaded files, as far as it is well formed."""
    if not isinstance(files, list):
        return []
    return [
        {"token": f["token"], "name": f["name"][:NAME_CHARS]}
        for f in files[:MAX_FILES]
        if isinstance(f, dict)
        and isinstance(f.get("token"), str)
        and isinstance(f.get("name"), str)
    ]


def _by_file(values: list | None, id_list: list | None) -> dict[int, dict[str, object]]:
    """{file index: {field: value}} from the values and ids of a pattern-matched group."""
    found: dict[int, dict[str, object]] = {}
    for id_, value in zip(id_list or [], values or [], strict=False):
        if isinstance(id_, dict) and isinstance(id_.get("file"), int) and value:
            found.setdefault(id_["file"], {})[str(id_.get("field"))] = value
    return found


def _choices(files: list[dict], mappings: dict, answers: dict) -> list[FileChoice]:
    return [
        FileChoice(
            token=f["token"],
            name=f["name"],
            mapping={k: v for k, v in mappings.get(i, {}).items() if isinstance(v, str)},
            options=read_options(answers.get(i, {})),
        )
        for i, f in enumerate(files)
    ]


def _receive(contents: list, names: list, previous: list[dict], owner: str | None):
    """Save each uploaded file, check it and build its section; errors say which file."""
    for old in previous:  # a new upload replaces the files waiting to be imported
        _discard(old["token"], owner)
    files, sections, errors = [], [], []
    for content, raw_name in list(zip(contents, names, strict=False))[:MAX_FILES]:
        name = str(raw_name or "the file")[:NAME_CHARS]
        try:
            if Path(name).suffix.lower() not in ACCEPTED:
                raise UploadError(f"{name} is not a CSV file (expected .csv, .txt or .tsv).")
            data = decode_contents(content)
            if b"\x00" in data[:4096]:
                raise UploadError(f"{name} is not a text CSV file.")
            found, check, parsed = _first_look(data, name)
            token = save_upload(data, CSV_SUFFIX, owner)
            if parsed is not None:
                READS.put(upload_path(token, CSV_SUFFIX, owner), parsed)
        except (UploadError, ImportFileError) as exc:
            errors.append(str(exc) if name in str(exc) else f"{name}: {exc}")
            continue
        sections.append(_file_section(len(files), name, len(data), found, check))
        files.append({"token": token, "name": name})
    if len(contents) > MAX_FILES:
        errors.append(f"Only the first {MAX_FILES} files are taken; import the others after.")
    return files, sections, errors


def register_callbacks(app: Dash, engine: Engine) -> None:
    @upload_callback(
        app,
        "data:import",
        MAX_UPLOAD_BYTES,
        Output(ids.IMPORT_FILE, "data"),
        Output(ids.IMPORT_FILE_INFO, "children"),
        Output(ids.IMPORT_PREVIEW, "children"),
        Output(ids.IMPORT_REPORT, "children", allow_duplicate=True),
        Input(ids.IMPORT_UPLOAD, "contents"),
        State(ids.IMPORT_UPLOAD, "filename"),
        State(ids.IMPORT_FILE, "data"),
        prevent_initial_call=True,
    )
    def receive_upload(contents, filenames, previous):
        """Keep the files server-side; show each one's rows, mapping and questions."""
        if isinstance(contents, str):  # one file, from an older page
            contents, filenames = [contents], [filenames]
        if not isinstance(contents, list) or not contents:
            raise PreventUpdate
        names = filenames if isinstance(filenames, list) else []
        files, sections, errors = _receive(contents, names, _uploaded(previous), _owner())
        info = []
        if files:
            text = f"{len(files)} files received" if len(files) > 1 else "1 file received"
            info.append(html.Div(text, className="small text-muted", id="import-received"))
        if errors:
            info.append(
                dbc.Alert(
                    [html.Div(e) for e in errors],
                    color="danger",
                    className="mb-0 mt-2 small",
                    id="import-file-error",
                )
            )
        return files or None, info, sections or None, None

    @guarded(
        app,
        "data:import",
        Output(_file_id(FILE_STATUS, MATCH), "children"),
        Output(_file_id(FILE_QUESTIONS, MATCH), "children"),
        Output(_file_id(FILE_QUESTION_LIST, MATCH), "data"),
        Output(_file_id(FILE_READY, MATCH), "data"),
        Input(_file_id(FILE_MAP, MATCH, field=ALL), "value"),
        Input(_file_id(FILE_ANSWER, MATCH, field=ALL), "value"),
        State(_file_id(FILE_MAP, MATCH, field=ALL), "id"),
        State(_file_id(FILE_ANSWER, MATCH, field=ALL), "id"),
        State(_file_id(FILE_QUESTION_LIST, MATCH), "data"),
        State(ids.IMPORT_FILE, "data"),
        prevent_initial_call=True,
    )
    def check_choices(map_values, answer_values, map_ids, answer_ids, shown, files):
        """Read the file's kept rows with the chosen columns and answers: what is still open?"""
        index = ctx.outputs_list[0]["id"]["file"]
        uploaded = _uploaded(files)
        if not isinstance(index, int) or not 0 <= index < len(uploaded):
            raise PreventUpdate
        f = uploaded[index]
        mapping = _by_file(map_values, map_ids).get(index, {})
        answers = _by_file(answer_values, answer_ids).get(index, {})
        try:
            path = upload_path(f["token"], CSV_SUFFIX, _owner())
        except UploadError as exc:
            return (
                dbc.Alert(str(exc), color="danger", className="mb-0 small"),
                no_update,
                no_update,
                False,
            )
        choice = _choices([f], {0: mapping}, {0: answers})[0]
        check = check_file(path, f["name"], choice.mapping, choice.options)
        # Keep the questions answered so far (the answer can be changed), drop unanswered ones
        # the new mapping no longer asks, and add the ones it asks now.
        asked = [question_spec(q) for q in check.questions]
        open_fields = {q["field"] for q in asked}
        kept = [
            q
            for q in (shown if isinstance(shown, list) else [])
            if isinstance(q, dict) and (q.get("field") in answers or q.get("field") in open_fields)
        ]
        kept_fields = {q["field"] for q in kept}
        specs = kept + [q for q in asked if q["field"] not in kept_fields]
        # Re-rendering the same choices would only fire this callback again.
        questions = no_update if specs == shown else _questions(index, specs, answers)
        return _status(check), questions, specs, check.ready

    @guarded(
        app,
        "data:import",
        Output(ids.IMPORT_DRY_RUN, "disabled"),
        Output(ids.IMPORT_RUN, "disabled"),
        Output(WAITING, "children"),
        Input(_file_id(FILE_READY, ALL), "data"),
    )
    def enable_buttons(ready):
        """Dry run and import only once every file can be read for sure."""
        if not ready:
            return True, True, ""
        if all(ready):
            return False, False, ""
        waiting = sum(1 for r in ready if not r)
        text = "1 file is waiting" if waiting == 1 else f"{waiting} files are waiting"
        return True, True, f"{text} for an answer or a column above."

    secret = app.server.secret_key

    @guarded(
        app,
        "data:import",
        Output(ids.IMPORT_REPORT, "children"),
        Output(ids.REFRESH_TOKEN, "data", allow_duplicate=True),
        Output(ids.IMPORT_FILE, "data", allow_duplicate=True),
        Output(ids.IMPORT_PREVIEW, "children", allow_duplicate=True),
        Input(ids.IMPORT_DRY_RUN, "n_clicks"),
        Input(ids.IMPORT_RUN, "n_clicks"),
        State(ids.IMPORT_FILE, "data"),
        State(_file_id(FILE_MAP, ALL, field=ALL), "value"),
        State(_file_id(FILE_MAP, ALL, field=ALL), "id"),
        State(_file_id(FILE_ANSWER, ALL, field=ALL), "value"),
        State(_file_id(FILE_ANSWER, ALL, field=ALL), "id"),
        State(ON_EXISTING, "value"),
        State(ids.IMPORT_STRICT, "value"),
        State(ids.ADMIN_USER, "data"),
        background=True,
        progress=[Output(PROGRESS_BAR, "value"), Output(PROGRESS_TEXT, "children")],
        progress_default=[0, WORKING],  # so the next run does not start on this one's last words
        running=[
            # className, not disabled: enable_buttons owns `disabled` (no answer, no run).
            (Output(ids.IMPORT_DRY_RUN, "className"), "pe-none opacity-50", ""),
            (Output(ids.IMPORT_RUN, "className"), "pe-none opacity-50", ""),
            (Output(ids.IMPORT_PROGRESS, "className"), "import-progress", "import-progress d-none"),
        ],
        prevent_initial_call=True,
    )
    def run_import(
        set_progress,
        _dry,
        _run,
        files,
        map_values,
        map_ids,
        answer_values,
        answer_ids,
        on_existing,
        strict,
        signed,
    ):
        """Dry run or import in a background job, so the page never freezes."""
        from dashapp.ui.admin import signed_user

        # A newly rendered page can fire this with no click at all (n_clicks None).
        if ctx.triggered_id not in (ids.IMPORT_DRY_RUN, ids.IMPORT_RUN) or not (_dry or _run):
            raise PreventUpdate
        dry_run = ctx.triggered_id == ids.IMPORT_DRY_RUN
        uploaded = _uploaded(files)
        if not uploaded:
            return _failure("Upload the files again."), no_update, no_update, no_update
        user = signed_user(secret, signed)
        # A real run deletes the uploads whatever its outcome: the page lets them go too.
        done, failed = (no_update, no_update), (no_update, no_update)
        if not dry_run:
            done, failed = (None, _note(IMPORTED_NOTE)), (None, _note(FAILED_NOTE))
        choices = _choices(
            uploaded, _by_file(map_values, map_ids), _by_file(answer_values, answer_ids)
        )
        months_before = order_months(engine)
        try:
            reports = import_uploads(
                engine,
                choices,
                user,
                dry_run=dry_run,
                strict=bool(strict),
                on_existing=on_existing if on_existing in ("update", "skip") else "update",
                created_by=user,
                progress=_progress_reporter(set_progress, len(choices)),
            )
        except NeedsAnswer as question:
            return _failure(f"Nothing was imported. {question.question}"), no_update, *failed
        except (UploadError, ImportFileError) as exc:
            return _failure(f"Nothing was imported. {exc}"), no_update, *failed
        except PartlyImported as partly:
            log.exception("import of %s failed", partly.failed)
            imported = ", ".join(r.file for r in partly.reports if r.committed) or "no file"
            text = (
                f"Writing {partly.failed} failed and nothing of it was written "
                f"(imported before it: {imported}). Check the server log."
            )
            return _failure(text), no_update, *failed
        except Exception:
            log.exception("import failed")
            return (
                _failure("The import failed and nothing was written. Check the server log."),
                no_update,
                *failed,
            )
        if not any(r.committed for r in reports):  # a dry run, or strict mode with rejects
            return render_report(reports), no_update, *failed
        for report in reports:
            if report.committed:
                _check_after_import(engine, report)
        gaps = new_gap_warnings(engine, months_before)
        return render_report(reports, gaps), datetime.now().isoformat(timespec="seconds"), *done


def _note(text: str) -> html.Div:
    return html.Div(text, className="text-muted small")


def _failure(text: str) -> dbc.Alert:
    return dbc.Alert(text, color="danger", id="import-outcome")


def _progress_reporter(set_progress, files: int) -> Callable[[str, str, int, int | None], None]:
    """A pipeline progress function that reports to the page at most every PROGRESS_EVERY s:
    reading all the files is the first half of the bar, writing them the second."""
    seen: list[str] = []
    last = [0.0]

    def report(name: str, phase: str, done: int, total: int | None) -> None:
        key = f"{phase}:{name}"
        if key not in seen:
            seen.append(key)
        elif time.monotonic() - last[0] < PROGRESS_EVERY:
            return
        last[0] = time.monotonic()
        step = len(seen) - 1  # phases started before this one
        within = done / total if total else 0.0
        value = round(100 * (step + within) / (2 * files))
        verb = "Reading" if phase == "reading" else "Writing"
        text = f"{verb} {name}" + (f": {done:,} of {total:,} orders" if total else "…")
        set_progress((value, text))

    return report
