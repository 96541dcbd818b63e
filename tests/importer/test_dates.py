"""One date format per file, inferred from the date column."""

from datetime import datetime

import pytest

from dashapp.importer.dates import infer_date_format


@pytest.mark.parametrize(
    ("values", "name"),
    [
        (["2/24/2003 0:00", "5/7/2003 0:00"], "M/D/YYYY"),  # ambiguous 5/7: month first
        (["5/7/2003", "24/2/2003"], "D/M/YYYY"),  # 24 cannot be a month
        (["07.05.2003", "01.02.2003"], "D.M.YYYY"),  # dots: the European order
        (["2024-01-31", "2024-02-01T10:00:00Z"], "YYYY-MM-DD"),
        (["1709251200", "1709337600"], "Unix time (seconds)"),
        (["soon", "later"], None),
    ],
)
def test_infers_the_format(values, name):
    fmt = infer_date_format(values)
    assert (fmt.name if fmt else None) == name


@pytest.mark.parametrize(
    ("values", "text", "expected"),
    [
        (["2/24/2003 0:00"], "2/24/2003 0:00", datetime(2003, 2, 24)),
        (["12/1/2010 8:26"], "12/1/2010 8:26", datetime(2010, 12, 1, 8, 26)),
        (["1/2/2024 3:04:05 PM"], "1/2/2024 3:04:05 PM", datetime(2024, 1, 2, 15, 4, 5)),
        (["1/2/2024 12:30 AM"], "1/2/2024 12:30 AM", datetime(2024, 1, 2, 0, 30)),
        (["31/12/24"], "31/12/24", datetime(2024, 12, 31)),
        (
            ["2024-03-01 09:15:00.5"],
            "2024-03-01 09:15:00.5",
            datetime(2024, 3, 1, 9, 15, 0, 500000),
        ),
        (["1709251200"], "1709251200", datetime(2024, 3, 1)),  # 2024-03-01T00:00:00Z
    ],
)
def test_parses_with_the_inferred_format(values, text, expected):
    assert infer_date_format(values).parse(text) == expected


def test_a_value_in_another_format_does_not_parse():
    fmt = infer_date_format(["13/01/2024", "14/01/2024"])
    assert fmt.parse("2024-01-15") is None
    assert fmt.parse("31/02/2024") is None  # no 31 February
    assert fmt.parse("1/2/2024 25:00") is None
