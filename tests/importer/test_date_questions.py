"""A date column that could be dd/mm or mm/dd is asked about, never guessed (issue 21 #3)."""

from datetime import date

import pytest
from sqlalchemy import select

from dashapp.importer import NeedsAnswer, ReadOptions, import_csv
from dashapp.importer.dates import decide_date_format
from dashapp.store.models import Order
from tests.importer.conftest import asks
from tests.importer.fixture_files import fixture


def _days(engine) -> dict[str, date]:
    with engine.connect() as conn:
        return dict(conn.execute(select(Order.order_number, Order.order_date)).all())


def test_ambiguous_dates_are_a_question(engine):
    answers = ("dd/mm/yyyy", "mm/dd/yyyy")
    asks(engine, "dates_ambiguous.csv", "--date-format", "'05/07/2024'", answers)


@pytest.mark.parametrize(
    ("answer", "days"),
    [
        ("dd/mm/yyyy", {"D1": date(2024, 7, 5), "D2": date(2024, 2, 1)}),
        ("mm/dd/yyyy", {"D1": date(2024, 5, 7), "D2": date(2024, 1, 2)}),
    ],
)
def test_the_answer_reads_every_date(engine, answer, days):
    report = import_csv(
        engine, fixture("dates_ambiguous.csv"), options=ReadOptions(date_format=answer)
    )
    assert report.rejects == []
    assert _days(engine) == days


def test_one_day_over_twelve_settles_the_column(engine):
    report = import_csv(engine, fixture("dates_day_first.csv"))
    assert report.date_format == "D/M/YYYY"
    assert _days(engine) == {"D1": date(2024, 7, 5), "D2": date(2024, 2, 13)}


def test_separator_of_the_file_is_in_the_answers():
    with pytest.raises(NeedsAnswer) as asked:
        decide_date_format(["05-07-2024", "01-02-2024"])
    assert asked.value.answers == ("dd-mm-yyyy", "mm-dd-yyyy")


def test_an_answer_that_names_no_order_is_refused():
    with pytest.raises(Exception, match="expected dd/mm/yyyy"):
        decide_date_format(["05/07/2024"], "sometime")


def test_an_answer_does_not_override_dates_that_show_their_format():
    assert decide_date_format(["2024-01-02"], "dd/mm/yyyy").name == "YYYY-MM-DD"
    assert decide_date_format(["2/24/2003"], "dd/mm/yyyy").name == "M/D/YYYY"
