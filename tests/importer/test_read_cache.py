"""A file read again and again (the upload page) is decoded and split once: `ReadCache` keeps
its parsed rows per encoding answer and its last read; `preview_upload` takes the import's
ReadOptions."""

import os

import pytest

import dashapp.importer.read_cache as read_cache
from dashapp.importer import NeedsAnswer, ReadOptions
from dashapp.importer.preview import preview_upload
from dashapp.importer.read_cache import ReadCache

# Two orders; 05/07 and 01/02 read as either day-first or month-first, so the date format is
# a question until answered.
AMBIGUOUS = (
    "ORDERNUMBER,ORDERDATE,CUSTOMERNAME,PRODUCTCODE,QUANTITYORDERED,SALES,DEALSIZE\n"
    "1,05/07/2024,Ann,P1,2,10.00,Small\n"
    "2,01/02/2024,Bob,P2,1,5.50,Large\n"
)


@pytest.fixture
def parses(monkeypatch):
    """How many times the cache decoded and split a file."""
    calls = []
    real = read_cache.parse_file

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(read_cache, "parse_file", counted)
    return calls


def test_a_changed_answer_or_mapping_reads_the_kept_rows(write_csv, parses):
    path = write_csv(AMBIGUOUS)
    cache = ReadCache()
    with pytest.raises(NeedsAnswer, match="day-first or month-first"):
        cache.read(path)
    day_first = ReadOptions(date_format="dd/mm/yyyy")
    read = cache.read(path, None, day_first)
    assert [o.ordered_at.month for o in read.result.orders] == [7, 2]  # 5 July, 1 February
    mapped = cache.read(path, {"ship_mode": "DEALSIZE"}, day_first)
    assert [line.ship_mode for o in mapped.result.orders for line in o.lines] == ["Small", "Large"]
    assert len(parses) == 1
    # The same mapping and answers again: the same read, nothing read again (the import).
    assert cache.read(path, {"ship_mode": "DEALSIZE"}, day_first) is mapped


def test_a_changed_file_or_encoding_answer_is_parsed_again(write_csv, parses):
    path = write_csv(AMBIGUOUS)
    cache = ReadCache()
    options = ReadOptions(date_format="mm/dd/yyyy")
    assert len(cache.read(path, None, options).result.orders) == 2
    path.write_text(AMBIGUOUS + "3,01/03/2024,Cy,P1,1,1.00,Small\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # another size and time, as a new upload would have
    assert len(cache.read(path, None, options).result.orders) == 3
    cache.read(path, None, ReadOptions(encoding="cp1252", date_format="mm/dd/yyyy"))
    assert len(parses) == 3
    cache.forget(path)
    cache.read(path, None, options)
    assert len(parses) == 4


def test_only_the_most_recent_files_are_kept(write_csv, parses):
    cache = ReadCache(files=2)
    paths = [write_csv(AMBIGUOUS, name=f"{n}.csv") for n in range(3)]
    for path in paths:
        cache.parsed(path)
    cache.parsed(paths[2])
    cache.parsed(paths[0])  # the oldest was let go
    assert parses == [*paths, paths[0]]


def test_preview_reads_with_the_imports_options():
    data = "Kunde;Betrag\nBäckerei Müller;12,50\n".encode("cp1252")
    found = preview_upload(data, options=ReadOptions(encoding="latin-1"))
    assert found.encoding == "latin-1"
    assert found.rows == [{"Kunde": "Bäckerei Müller", "Betrag": "12,50"}]
