"""The import page's own logic, without a browser: the questions it shows, the ReadOptions its
answers make, "skip" for stored orders, the one report for several files, and its progress."""

from __future__ import annotations

import pytest

from dashapp.importer import ImportReport, NeedsAnswer, ReadOptions, Reject
from dashapp.ui.admin import data_import
from dashapp.ui.admin.data_import import (
    FileChoice,
    check_file,
    import_uploads,
    question_spec,
    read_options,
)
from dashapp.ui.admin.import_report import render_report
from dashapp.ui.uploads import save_upload

HEADER = "Order ID,Order Date,Customer,SKU,Product,Quantity,Unit Price,Country,Status\n"
# 03/04 and 05/04: no day over 12, so day-first or month-first is a question.
AMBIGUOUS = (
    HEADER + "A1,03/04/2024,Delta,CAR,Car A,1,100.00,France,Shipped\n"
    "A2,05/04/2024,Delta,BIKE,Bike B,2,50.00,France,Shipped\n"
)
V1 = (
    HEADER + "U1,2024-04-10,Echo,BIKE,Bike B,1,50.00,USA,Shipped\n"
    "U2,2024-04-11,Echo,CAR,Car A,2,100.00,USA,Shipped\n"
)
V2 = V1.replace("Bike B,1,50.00", "Bike B,3,50.00")  # U1 now 3 x 50.00


@pytest.fixture(autouse=True)
def uploads(tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_PULSE_UPLOAD_DIR", str(tmp_path / "uploads"))


def text_of(component) -> str:
    """Every string in a component tree, in order."""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(text_of(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else text_of(children)


def find(component, id_: str):
    if getattr(component, "id", None) == id_:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = find(child, id_)
            if found is not None:
                return found
    return None


def test_an_ambiguous_date_is_a_question_until_answered():
    check = check_file(AMBIGUOUS.encode(), "a.csv", {}, ReadOptions())
    assert not check.ready
    (question,) = check.questions
    spec = question_spec(question)
    assert spec["field"] == "date_format"
    assert spec["answers"] == [
        ["dd/mm/yyyy", "Day first: dd/mm/yyyy"],
        ["mm/dd/yyyy", "Month first: mm/dd/yyyy"],
    ]
    answered = check_file(AMBIGUOUS.encode(), "a.csv", {}, read_options(spec_answer(spec, 0)))
    assert answered.ready and answered.summary.startswith("2 rows")


def spec_answer(spec: dict, n: int) -> dict:
    return {spec["field"]: spec["answers"][n][0]}


def test_no_customer_column_is_asked_in_the_pages_words():
    spec = question_spec(NeedsAnswer("The file has no customer column ...", "--no-customers"))
    assert spec["answers"] == [["yes", "Import without customers"]]
    assert "--" not in spec["text"]  # no command-line option on the page


def test_answers_make_read_options_and_forged_values_are_dropped():
    assert read_options({"date_format": "dd/mm/yyyy", "decimal": ",", "no_customers": "yes"}) == (
        ReadOptions(date_format="dd/mm/yyyy", decimal=",", no_customers=True)
    )
    assert read_options({"date_format": ["x"], "encoding": 7, "no_customers": True}) == (
        ReadOptions()
    )


def test_skip_leaves_stored_orders_as_they_are(engine):
    """v1 adds U1 and U2; v2 with "skip" leaves both as stored: 0 added, 2 skipped, 0 updated."""
    first = import_uploads(
        engine, [FileChoice(save_upload(V1.encode(), ".csv"), "v1.csv")], None, dry_run=False
    )
    assert (first[0].orders_added, first[0].lines_added) == (2, 2)
    (report,) = import_uploads(
        engine,
        [FileChoice(save_upload(V2.encode(), ".csv"), "v2.csv")],
        None,
        dry_run=False,
        on_existing="skip",
    )
    assert (report.orders_added, report.orders_updated, report.orders_skipped) == (0, 0, 2)


def test_one_report_for_several_files():
    """a.csv: 2 added, 1 updated, 3 unchanged; b.csv: 1 added, 1 kept as saved in the app,
    1 reject. Totals: 3 added, 1 updated, 3 unchanged, 1 kept, 1 rejected."""
    a = ImportReport(
        file="a.csv",
        rows_read=7,
        orders_added=2,
        lines_added=3,
        orders_updated=1,
        orders_unchanged=3,
        changes=["A9: Shipped -> Cancelled"],
        repeated_headers=[5, 9],
        committed=True,
    )
    b = ImportReport(
        file="b.csv",
        rows_read=3,
        orders_added=1,
        lines_added=1,
        orders_refused=1,
        rejects=[Reject(3, "no date")],
        ignored_columns=["Notes"],
        committed=True,
    )
    page = render_report([a, b])
    assert text_of(find(page, "import-outcome")) == "Import committed"
    totals = {
        key: text_of(find(page, f"import-total-{key}"))
        for key in ("added", "updated", "unchanged", "kept", "rejected")
    }
    assert totals == {
        "added": "Added 3",
        "updated": "Updated 1",
        "unchanged": "Unchanged 3",
        "kept": "Kept as saved in the app 1",
        "rejected": "Rejected rows 1",
    }
    assert find(page, "import-total-skipped") is None  # nothing skipped: no box
    notes = text_of(find(page, "import-notes"))
    assert notes.startswith("2 files · 10 rows read · 4 lines added · 2 repeated header lines")
    assert text_of(find(page, "import-changes-0")) == "A9: Shipped -> Cancelled"
    second = text_of(find(page, "import-file-report-1"))
    assert "Columns not imported Notes" in second
    assert "Orders saved in the app, not overwritten 1" in second


def test_progress_fills_reading_then_writing(monkeypatch):
    """Two files: reading is the first half of the bar, writing the second."""
    monkeypatch.setattr(data_import, "PROGRESS_EVERY", 0)
    seen = []
    report = data_import._progress_reporter(seen.append, files=2)
    report("a.csv", "reading", 0, None)  # phase 1 of 4 -> 0 %
    report("b.csv", "reading", 0, None)  # phase 2 -> 25 %
    report("a.csv", "writing", 0, 4)  # phase 3 -> 50 %
    report("a.csv", "writing", 2, 4)  # half of phase 3 -> 62.5 -> 62 %
    report("b.csv", "writing", 4, 4)  # phase 4 done -> 100 %
    assert [v for v, _ in seen] == [0, 25, 50, 62, 100]
    assert seen[3][1] == "Writing a.csv: 2 of 4 orders"
