"""The pivot tests' shops: a tiny export (the sample's columns, with profit, ship-to and ship
mode) imported into a fresh database on each backend, read-only."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection

from dashapp.importer import import_csv
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
