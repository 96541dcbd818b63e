"""The public classic export gives exactly the published figures (SPEC §3), on both backends."""

import json
from datetime import date
from decimal import Decimal

from click.testing import CliRunner

from dashapp.analytics.breakdowns import sales_by_category, sales_by_country
from dashapp.analytics.kpis import kpis
from dashapp.analytics.query import data_bounds
from dashapp.cli import cli
from dashapp.filters import Filters
from dashapp.importer import import_csv
from tests.importer.conftest import stored_counts


def test_real_export_gives_the_published_figures(engine, sample_csv):
    report = import_csv(engine, sample_csv)
    assert report.rejects == []
    assert (report.rows_read, report.lines_added, report.orders_added) == (2823, 2823, 307)
    assert report.format_label == "classic order-line export"
    with engine.connect() as conn:
        k = kpis(conn, Filters())
        countries = sales_by_country(conn, Filters())
        categories = sales_by_category(conn, Filters())
        bounds = data_bounds(conn)
    assert k.revenue == Decimal("9838141.37")
    assert k.orders == 303
    assert k.aov == Decimal("32469.11")
    assert k.customers == 92
    assert len(countries) == 19
    assert len(categories) == 7
    assert bounds == (date(2003, 1, 6), date(2005, 5, 31))


def test_reimport_adds_nothing(engine, sample_csv):
    import_csv(engine, sample_csv)
    before = stored_counts(engine)
    again = import_csv(engine, sample_csv)
    # Issue 21: stored orders are compared, not skipped; all 307 are unchanged.
    assert (again.orders_added, again.lines_added, again.orders_updated) == (0, 0, 0)
    assert (again.orders_unchanged, again.orders_skipped) == (307, 0)
    assert (again.customers_added, again.products_added) == (0, 0)
    assert stored_counts(engine) == before
    with engine.connect() as conn:
        assert kpis(conn, Filters()).revenue == Decimal("9838141.37")


def test_cli_import_then_kpis_json(engine, sample_csv):
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    imported = runner.invoke(cli, ["--database-url", url, "import", str(sample_csv), "--quiet"])
    assert imported.exit_code == 0, imported.output
    assert "Orders added: 307 (2,823 lines)" in imported.output
    result = runner.invoke(cli, ["--database-url", url, "kpis", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["revenue"], data["orders"], data["aov"]) == (9838141.37, 303, 32469.11)
    assert data["customers"] == 92


def test_accented_names_of_the_cp850_export_survive(engine, sample_csv):
    report = import_csv(engine, sample_csv)
    assert report.encoding.startswith("cp850")
    with engine.connect() as conn:
        streets = set(conn.exec_driver_sql("SELECT address_line1 FROM customers").scalars())
    assert "Rambla de Cataluña, 23" in streets
    assert "Berguvsvägen  8" in streets
