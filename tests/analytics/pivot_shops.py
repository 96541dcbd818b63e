"""The pivot tests' shops: a tiny export (the sample's columns, with profit, ship-to and ship
mode) imported into a fresh database on each backend, read-only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection

from dashapp.importer import import_csv
from tests.conftest import BACKENDS
from tests.databases import migrated_engine

HEADER = (
    "Order ID,Order Date,Customer,Segment,Country,Region,State,City,Category,Sub-Category,"
    "Product,Quantity,Sales,Profit,Discount,Ship Mode,Status\n"
)


def imported_shop(backend: str, folder, text: str, orders: int) -> Iterator[Connection]:
    """A connection to a database holding the export `text` (its header line included),
    which must import without a reject as `orders` orders."""
    path = folder / "shop.csv"
    path.write_text(text, encoding="utf-8")
    with migrated_engine(backend, folder) as engine:
        report = import_csv(engine, path)
        assert (report.rejects, report.orders_added) == ([], orders)
        with engine.connect() as conn:
            yield conn


def shop_fixture(name: str, text: str, orders: int):
    """A module-scoped fixture `shop` on each backend: a connection to `imported_shop`."""

    @pytest.fixture(scope="module", params=BACKENDS, name="shop")
    def shop(request, tmp_path_factory):
        yield from imported_shop(request.param, tmp_path_factory.mktemp(name), text, orders)

    return shop
