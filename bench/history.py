"""History grid benchmark: one page of 50 orders, sorted and filtered in SQL, against the naive
way (every order with its customer and line figures read into pandas, filtered, sorted and
sliced there).

    python -m bench.history --database-url URL [--repeat 20]

Writes bench/results/history-ORDERS-BACKEND.json.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pandas as pd
from sqlalchemy import Connection, select

from bench.measure import (
    Run,
    add_database_argument,
    ms,
    open_database,
    print_table,
    row,
    time_runs,
    timed_once,
)
from bench.naive import read_frame
from dashapp.analytics import breakdowns
from dashapp.analytics.query import data_bounds
from dashapp.filters import Filters
from dashapp.orders.history import HistoryQueryError, order_history_page
from dashapp.store.models import Customer, Order, OrderLine

PAGE_SIZE = 50
orders, lines, customers = Order.__table__, OrderLine.__table__, Customer.__table__


@dataclass(frozen=True)
class Page:
    """A history request: the page's filters and the grid's page, sort and column filters."""

    f: Filters = field(default_factory=Filters)
    page: int = 1
    sort: tuple[tuple[str, str], ...] = ()
    column_filters: dict = field(default_factory=dict)

    def fetch(self, conn: Connection) -> tuple[list[dict], int]:
        return order_history_page(
            conn, self.f, self.page, PAGE_SIZE, list(self.sort) or None, self.column_filters
        )


def scenarios(conn: Connection) -> dict[str, Page]:
    """Requests the grid sends; "top" is the country or category with the most revenue."""
    _, last = data_bounds(conn)
    country = breakdowns.sales_by_country(conn, Filters())["country"].iloc[0]
    category = breakdowns.sales_by_category(conn, Filters())["category"].iloc[0]
    q90 = Filters(start=last - timedelta(days=89), end=last)
    week = Filters(start=last - timedelta(days=6), end=last, countries=(country,))
    return {
        "newest first, page 1": Page(),
        "newest first, page 200": Page(page=200),
        "90 days, top country + Shipped": Page(
            Filters(q90.start, q90.end, countries=(country,), statuses=("Shipped",))
        ),
        "90 days, top category, by total": Page(
            Filters(q90.start, q90.end, categories=(category,)), sort=(("total", "desc"),)
        ),
        "customer contains 'walker'": Page(column_filters={"customer": "walker"}),
        "Pending/On Hold + total > 500": Page(
            column_filters={
                "status": {"filterType": "set", "values": ["Pending", "On Hold"]},
                "total": {"filterType": "number", "type": "greaterThan", "filter": 500},
            }
        ),
        "all, by customer name": Page(sort=(("customer", "asc"),)),
        # Sorting by units is refused over 50k matching orders: one week in one country.
        "7 days, top country, by units": Page(week, sort=(("units", "desc"),)),
    }


# --- The naive way --------------------------------------------------------------------------


def read_everything(conn: Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every order with its customer's name and its line count and units; and every line's
    order and category (for the category filter)."""
    frame = pd.read_sql(
        select(
            orders.c.id,
            orders.c.order_number,
            orders.c.ordered_at,
            orders.c.order_date,
            orders.c.customer_id,
            customers.c.name.label("customer"),
            orders.c.country,
            orders.c.status,
            orders.c.channel,
            orders.c.total_cents,
        ).join(customers, customers.c.id == orders.c.customer_id),
        conn,
    )
    line_frame = read_frame(conn, select(lines.c.order_id, lines.c.quantity, lines.c.category))
    figures = line_frame.groupby("order_id").agg(
        lines=("quantity", "size"), units=("quantity", "sum")
    )
    frame = frame.join(figures, on="id")
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    return frame, line_frame[["order_id", "category"]]


def naive_page(frame: pd.DataFrame, line_frame: pd.DataFrame, p: Page) -> tuple[list[int], int]:
    """The page's order ids and the number of matching orders, computed in pandas."""
    f, mask = p.f, pd.Series(True, index=frame.index)
    if f.start:
        mask &= frame["order_date"] >= pd.Timestamp(f.start)
    if f.end:
        mask &= frame["order_date"] <= pd.Timestamp(f.end)
    if f.countries:
        mask &= frame["country"].isin(f.countries)
    if f.statuses:
        mask &= frame["status"].isin(f.statuses)
    if f.categories:
        ids = line_frame.loc[line_frame["category"].isin(f.categories), "order_id"]
        mask &= frame["id"].isin(ids)
    cf = p.column_filters
    if "customer" in cf:
        mask &= frame["customer"].str.lower().str.contains(cf["customer"], regex=False)
    if "status" in cf:
        mask &= frame["status"].isin(cf["status"]["values"])
    if "total" in cf:
        mask &= frame["total_cents"] > cf["total"]["filter"] * 100
    matching = frame[mask]
    keys, ascending = [], []
    for column, direction in p.sort or (("date", "desc"),):
        cols = {"date": ["order_date", "ordered_at"], "total": ["total_cents"]}.get(
            column, [column]
        )
        keys += cols
        ascending += [direction == "asc"] * len(cols)
    ordered = matching.sort_values([*keys, "id"], ascending=[*ascending, False], kind="stable")
    start = (p.page - 1) * PAGE_SIZE
    return ordered["id"].iloc[start : start + PAGE_SIZE].tolist(), len(matching)


# --- The run --------------------------------------------------------------------------------


def measure(conn: Connection, name: str, p: Page, args, naive: Callable[[Page], tuple]) -> dict:
    """Time one request (a checked warm-up, then timed runs) and the naive way once."""
    try:
        page_rows, total = p.fetch(conn)
    except HistoryQueryError as exc:
        print(f"  {name}: refused ({exc})")
        return {"group": "", "name": name, "refused": str(exc)}
    stats = time_runs(lambda: p.fetch(conn), args.repeat, args.budget)
    naive_ms, (naive_ids, naive_total) = timed_once(lambda: naive(p))
    app_ids = [r["id"] for r in page_rows]
    if (app_ids, total) != (naive_ids, naive_total):
        raise AssertionError(
            f"{name}: SQL gives {total} orders, page {app_ids[:5]}...; "
            f"pandas gives {naive_total}, page {naive_ids[:5]}..."
        )
    return row("", name, stats, args.read_ms + naive_ms, matching=total)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__)
    add_database_argument(parser)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per request (20)")
    parser.add_argument(
        "--budget", type=float, default=10.0, help="seconds per request before stopping early"
    )
    args = parser.parse_args(argv)
    engine = open_database(args.database_url, parser)
    run = Run("history", engine)
    print(run.header(), flush=True)
    with engine.connect() as conn:
        cases = scenarios(conn)
        args.read_ms, (frame, line_frame) = timed_once(lambda: read_everything(conn))
        print(f"naive read of {len(frame):,} orders and their lines: {ms(args.read_ms)} ms")
        rows = [
            measure(conn, name, p, args, lambda p: naive_page(frame, line_frame, p))
            for name, p in cases.items()
        ]
    path = run.write(
        rows,
        page_size=PAGE_SIZE,
        repeat=args.repeat,
        scenarios={
            name: {
                "filters": p.f.to_params(),
                "page": p.page,
                "sort": p.sort,
                "columns": p.column_filters,
            }
            for name, p in cases.items()
        },
        naive_read_ms=round(args.read_ms, 3),
        note="naive ms = the read (every order, customer and line into pandas) + the "
        "pandas filter, sort and slice of that request",
    )
    print_table(
        f"History page of {PAGE_SIZE}, {run.orders:,} orders on {run.backend}",
        [r for r in rows if "refused" not in r],
    )
    print(f"\nWritten to {path}")


if __name__ == "__main__":
    main()
