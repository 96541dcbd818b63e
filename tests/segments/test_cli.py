"""`python -m dashapp rfm` on the hand-made PEOPLE set."""

import json

import pytest
from click.testing import CliRunner

from dashapp.cli import cli

HEADER = "name,email,country,recency_days,frequency,monetary,segment\r\n"


@pytest.fixture
def run(people_engine):
    url = people_engine.url.render_as_string(hide_password=False)

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--database-url", url, "rfm", *args])

    return invoke


def test_json_lists_customers_and_segments(run):
    result = run("--json", "--country", "France")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period_end"] == "2024-06-30"
    assert [(c["name"], c["monetary"], c["segment"]) for c in data["customers"]] == [
        ("Alpine Models", 5030.0, "Champions"),
        ("Bayside Toys", 1000.0, "About to Sleep"),
        ("Harbour Minis", 60.0, "At Risk"),
    ]
    assert len(data["segments"]) == 11
    assert sum(s["customers"] for s in data["segments"]) == 3
    champions = next(s for s in data["segments"] if s["segment"] == "Champions")
    # 5,030.00 over 10 orders.
    assert (champions["revenue"], champions["orders"], champions["aov"]) == (5030.0, 10, 503.0)
    cells = {(c["r"], c["f"]): c for c in data["heatmap"]}
    assert len(cells) == 25
    assert (cells[5, 5]["customers"], cells[5, 5]["avg_monetary"]) == (1, 5030.0)
    assert (cells[2, 2]["customers"], cells[2, 2]["avg_monetary"]) == (0, None)


def test_segment_option_lists_its_members_and_ignores_case(run):
    result = run("--json", "--segment", "can't lose them")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["segment"] == "Can't Lose Them"
    assert [c["name"] for c in data["customers"]] == ["Granite Replicas"]


def test_csv_to_a_file(run, tmp_path):
    target = tmp_path / "lost.csv"
    result = run("--segment", "Lost", "--csv", str(target), "--json")
    assert result.exit_code == 0, result.output
    assert (
        target.read_bytes()
        == (HEADER + "Iron Horse Ltd,iron@horse.example,USA,200,4,110.00,Lost\r\n").encode()
    )
    assert "Wrote 1 customers" in result.stderr
    assert json.loads(result.stdout)["segment"] == "Lost"


def test_csv_to_standard_output(run):
    result = run("--segment", "New", "--csv", "-")
    assert result.exit_code == 0, result.output
    expected = HEADER + "Bayside Toys,hello@bayside.example,France,5,1,1000.00,New\r\n"
    assert result.stdout_bytes == expected.encode()


def test_text_report(run):
    result = run("--top", "2")
    assert result.exit_code == 0, result.output
    assert "10 customers scored; recency counted to 2024-06-30." in result.output
    assert "Can't Lose Them" in result.output
    assert "Alpine Models" in result.output and "Granite Replicas" in result.output
    assert "Bayside Toys" not in result.output  # third by monetary value, beyond --top 2


def test_no_customers(run):
    result = run("--status", "Cancelled")
    assert result.exit_code == 0
    assert "No customers with orders under these filters." in result.output


@pytest.mark.parametrize(
    "args, hint",
    [
        (["--segment", "Champs"], "--segment"),
        (["--start", "2024-13-01"], "--start"),
        (["--top", "0"], "--top"),
    ],
)
def test_bad_options_are_refused(run, args, hint):
    result = run(*args)
    assert result.exit_code == 2
    assert hint in result.output


def test_unwritable_csv_path(run, tmp_path):
    result = run("--csv", str(tmp_path / "missing" / "out.csv"))
    assert result.exit_code == 1
    assert "cannot write" in result.output


def test_database_without_tables(new_database_url):
    url = new_database_url("empty")
    result = CliRunner().invoke(cli, ["--database-url", url, "rfm"])
    assert result.exit_code == 1
    # SQLite's words, or PostgreSQL's ('relation "orders" does not exist') under make test-pg.
    assert "no such table" in result.output or "does not exist" in result.output
    assert "init-db" in result.output
