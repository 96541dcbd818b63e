"""A file that cannot be imported at all gets a clear message, a non-zero exit, and changes
nothing."""

import os

import pytest
from click.testing import CliRunner

from dashapp.cli import cli
from dashapp.importer import ImportFileError, import_csv
from tests.importer.conftest import EMPTY, stored_counts

BAD_FILES = [
    (b"", "The file is empty."),
    (b"  \r\n\r\n", "The file is empty."),
    (b"Order ID,Order Date,Customer,SKU,Amount\r\n", "has a header but no data rows"),
    (b"\x00\x01\x02garbage\xff\xfe\x00" * 50, "contains binary data"),
    (bytes(range(1, 32)) * 40, "contains binary data"),
    (b"PK\x03\x04\x14\x00\x06\x00", "save it as CSV first"),
    (b"colour,size,weight\nred,L,3\n", "not a recognised order export"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_unusable_file_changes_nothing(engine, write_csv, content, message):
    path = write_csv("")
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        import_csv(engine, path)
    assert stored_counts(engine) == EMPTY


def test_random_bytes_are_refused(engine, write_csv):
    path = write_csv("")
    path.write_bytes(os.urandom(4096))
    with pytest.raises(ImportFileError):
        import_csv(engine, path)
    assert stored_counts(engine) == EMPTY


def test_unrecognised_headers_name_what_is_missing(engine, write_csv):
    path = write_csv("colour,size\nred,L\n")
    with pytest.raises(ImportFileError) as err:
        import_csv(engine, path)
    assert "order_id" in err.value.message
    assert "'colour', 'size'" in err.value.message
    assert "--map" in err.value.message


def test_missing_file(engine, tmp_path):
    with pytest.raises(ImportFileError, match="No such file"):
        import_csv(engine, tmp_path / "nope.csv")


@pytest.mark.parametrize("content", [b"", b"colour,size\nred,L\n", b"\x00\x01" * 100])
def test_cli_exits_non_zero_with_the_message(engine, write_csv, content):
    path = write_csv("")
    path.write_bytes(content)
    url = engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--database-url", url, "import", str(path), "--quiet"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
    assert stored_counts(engine) == EMPTY
