"""The API on the public order-line export gives the published figures (SPEC §3) and the same
KPIs as the `kpis` command.

The importer is written on another branch; until it lands, a small loader here writes the CSV
with plain Core inserts (amount = SALES in cents, the denormalised line columns filled).
"""

import json
from decimal import Decimal

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import insert

from dashapp.cli import cli
from dashapp.store.derived import refresh_first_order_dates
from dashapp.store.models import Customer, Order, OrderLine, Product
from dashapp.store.rollups import rebuild as rebuild_rollups
from tests.api.conftest import api_for
from tests.conftest import BACKENDS, SAMPLE_CSV
from tests.databases import migrated_engine


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


def load_sample(engine, path) -> None:
    """Customers, products, orders and lines of the export, in one transaction."""
    raw = pd.read_csv(path, encoding="cp1252", dtype=str, keep_default_na=False)
    raw["day"] = pd.to_datetime(raw["ORDERDATE"], format="%m/%d/%Y %H:%M").dt.date
    raw["cents"] = raw["SALES"].map(cents)
    customer_ids = {n: i for i, n in enumerate(raw["CUSTOMERNAME"].unique(), start=1)}
    product_ids = {c: i for i, c in enumerate(raw["PRODUCTCODE"].unique(), start=1)}
    totals = raw.groupby("ORDERNUMBER")["cents"].sum()
    with engine.begin() as conn:
        conn.execute(
            insert(Customer),
            [
                dict(id=customer_ids[r.CUSTOMERNAME], name=r.CUSTOMERNAME, country=r.COUNTRY)
                for r in raw.drop_duplicates("CUSTOMERNAME").itertuples()
            ],
        )
        conn.execute(
            insert(Product),
            [
                dict(
                    id=product_ids[r.PRODUCTCODE],
                    sku=r.PRODUCTCODE,
                    name=r.PRODUCTCODE,
                    category=r.PRODUCTLINE,
                    list_price_cents=cents(r.MSRP),
                )
                for r in raw.drop_duplicates("PRODUCTCODE").itertuples()
            ],
        )
        conn.execute(
            insert(Order),
            [
                dict(
                    id=int(r.ORDERNUMBER),
                    order_number=r.ORDERNUMBER,
                    customer_id=customer_ids[r.CUSTOMERNAME],
                    ordered_at=pd.Timestamp(r.day).to_pydatetime(),
                    order_date=r.day,
                    status=r.STATUS,
                    country=r.COUNTRY,
                    total_cents=int(totals[r.ORDERNUMBER]),
                )
                for r in raw.drop_duplicates("ORDERNUMBER").itertuples()
            ],
        )
        # SALES, not quantity x price: PRICEEACH is capped at 100 in this export.
        conn.execute(
            insert(OrderLine),
            [
                dict(
                    order_id=int(r.ORDERNUMBER),
                    line_number=int(r.ORDERLINENUMBER),
                    product_id=product_ids[r.PRODUCTCODE],
                    quantity=int(r.QUANTITYORDERED),
                    unit_price_cents=cents(r.PRICEEACH),
                    amount_cents=r.cents,
                    order_date=r.day,
                    status=r.STATUS,
                    customer_id=customer_ids[r.CUSTOMERNAME],
                    country=r.COUNTRY,
                    category=r.PRODUCTLINE,
                )
                for r in raw.itertuples()
            ],
        )
        refresh_first_order_dates(conn)
        rebuild_rollups(conn)  # plain INSERTs: rebuild as a bulk load does


@pytest.fixture(scope="module", params=BACKENDS)
def sample_api(request, tmp_path_factory):
    if not SAMPLE_CSV.exists():
        pytest.skip(f"reference data not found at {SAMPLE_CSV}")
    with migrated_engine(request.param, tmp_path_factory.mktemp("sample")) as engine:
        load_sample(engine, SAMPLE_CSV)
        yield api_for(engine)


def test_kpis_are_the_published_figures(sample_api):
    body = sample_api.get("/api/kpis").get_json()
    current = body["current"]
    assert current["revenue"] == 9838141.37
    assert current["orders"] == 303
    assert current["aov"] == 32469.11
    assert current["customers"] == 92
    assert body["range"] == {"start": "2003-01-06", "end": "2005-05-31"}


def test_api_and_kpis_command_agree(sample_api):
    url = sample_api.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--database-url", url, "kpis", "--json"])
    assert result.exit_code == 0, result.output
    assert sample_api.get("/api/kpis").get_json()["current"] == json.loads(result.output)
    filtered = ["--start", "2004-01-01", "--end", "2004-12-31", "--country", "France"]
    result = CliRunner().invoke(cli, ["--database-url", url, "kpis", "--json", *filtered])
    api = sample_api.get("/api/kpis?start=2004-01-01&end=2004-12-31&country=France")
    assert api.get_json()["current"] == json.loads(result.output)


def test_19_countries_and_7_product_lines(sample_api):
    countries = sample_api.get("/api/sales-by-country").get_json()["rows"]
    categories = sample_api.get("/api/sales-by-category").get_json()["rows"]
    assert len(countries) == 19
    assert len(categories) == 7
    # Both breakdowns add up to the published revenue, to the cent.
    for rows in (countries, categories):
        total = sum(Decimal(str(r["revenue"])) for r in rows)
        assert total == Decimal("9838141.37")


def test_yearly_sales_add_up_to_the_total(sample_api):
    rows = sample_api.get("/api/sales-over-time?period=year").get_json()["rows"]
    assert [r["period"] for r in rows] == ["2003-01-01", "2004-01-01", "2005-01-01"]
    assert sum(r["orders"] for r in rows) == 303
    assert sum(Decimal(str(r["revenue"])) for r in rows) == Decimal("9838141.37")
