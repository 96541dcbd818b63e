"""The one write path for orders: `changing_orders` runs the whole after-write ritual.

Every change of orders (entry, edit, status change, delete, import, demo load, restore) keeps
the same things in step, in the writer's own transaction: the rollups (dashapp.store.rollups)
and the customers' activity chains, the customers' first-order dates, an audit entry and the
data version. A writer says which orders it touches and what to record; the context manager
does the rest when the block ends without an error, so a new writer cannot forget a step:

    with write_transaction(engine) as conn, changing_orders(
        conn, user=user, action="update", entity_id=order_id
    ) as change:
        change.will_change([order_id])
        ...  # change the order and its lines
        change.record(before=before, after=order_snapshot(conn, order_id))

An exception inside the block skips the ritual; the transaction then rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.exc import IntegrityError

from dashapp.store import rollups
from dashapp.store.audit import record_change
from dashapp.store.db import lock_writers
from dashapp.store.derived import refresh_first_order_dates
from dashapp.store.models import Order
from dashapp.store.version import bump_data_version

_orders = Order.__table__
_CUSTOMERS_OF = select(_orders.c.customer_id).where(
    _orders.c.id.in_(bindparam("ids", expanding=True))
)
_CHUNK = 500
# From this many orders on, `OrderChange.added` and `will_change` move the rollups in set-based
# SQL: a few dozen statements whatever the count, against some 0.3 ms of Python per line
# (bench.import_load).
BULK_FROM = 100


class OrderChange:
    """What a writer tells `changing_orders` about its change (see the module docstring)."""

    def __init__(self, conn: Connection, entity_id: int | str | None) -> None:
        self.conn = conn
        self.entity_id = entity_id
        self.before: Any = None
        self.after: Any = None
        self._changing: dict[int, None] = {}  # orders read before the change, in call order
        self._lines_before: list = []
        self._customers: set[int] = set()
        self._everything = False
        self._bulk: rollups.BulkOrderChange | None = None  # many orders changed, set-based
        self._bulk_ids: set[int] = set()

    def will_change(self, order_ids: Iterable[int]) -> None:
        """Call before changing or deleting these existing orders: their rollup contributions
        as they are now are taken out, and the ones they have at the end put in, in one go
        (set-based for many orders at once)."""
        seen = self._changing.keys() | self._bulk_ids
        ids = [i for i in dict.fromkeys(order_ids) if i not in seen]
        if len(ids) >= BULK_FROM and self._bulk is None:
            try:
                self._bulk = rollups.BulkOrderChange(self.conn, ids)
            except IntegrityError:  # lines that disagree with their order: per-order path
                pass
            else:
                self._bulk_ids = set(ids)
                return
        self._changing.update(dict.fromkeys(ids))
        self._lines_before += rollups.read_lines(self.conn, ids)
        self._customers |= _customers_of(self.conn, ids)

    def added(self, order_ids: Iterable[int]) -> None:
        """Call once these new orders and all their lines are written: their contributions go
        in now (an import adds chunk by chunk). Many orders go in set-based SQL, a few by the
        per-order path (a save: a handful of prepared statements, no temporary tables)."""
        ids = list(dict.fromkeys(order_ids))
        if len(ids) >= BULK_FROM:
            self._customers |= rollups.add_orders_in_bulk(self.conn, ids)
            return
        self._customers |= rollups.apply_lines(self.conn, [], rollups.read_lines(self.conn, ids))
        self._customers |= _customers_of(self.conn, ids)

    def all_changed(
        self, *, rebuild_rollups: bool = True, step: Callable[[str], object] | None = None
    ) -> dict[str, int]:
        """Call after a bulk change of any orders (a demo load, a restore, a repair): every
        rollup is rebuilt now (unless rebuild_rollups=False: a caller that leaves them empty)
        and every customer's first-order date at the end. Returns the rollups' row counts;
        `step(what)` hears each stage of the rebuild start."""
        self._everything = True
        return rollups.rebuild(self.conn, step=step) if rebuild_rollups else {}

    def record(
        self, entity_id: int | str | None = None, *, before: Any = None, after: Any = None
    ) -> None:
        """What the audit entry holds: the entity's id (if not given to changing_orders) and
        its state before and after the change."""
        if entity_id is not None:
            self.entity_id = entity_id
        self.before, self.after = before, after

    def _finish(self, user: str | None, action: str | None, entity: str) -> None:
        conn = self.conn
        if self._bulk is not None:
            self._customers |= self._bulk.finish()
        if self._changing:
            ids = list(self._changing)
            lines_after = rollups.read_lines(conn, ids)
            self._customers |= rollups.apply_lines(conn, self._lines_before, lines_after)
            self._customers |= _customers_of(conn, ids)
        if self._everything:
            refresh_first_order_dates(conn)
        elif self._customers:
            refresh_first_order_dates(conn, self._customers)
        if action is None:
            bump_data_version(conn)
        else:
            record_change(
                conn,
                user=user,
                action=action,
                entity=entity,
                entity_id=self.entity_id,
                before=self.before,
                after=self.after,
            )  # bumps the data version too


@contextmanager
def changing_orders(
    conn: Connection,
    *,
    user: str | None,
    action: str | None,
    entity: str = "order",
    entity_id: int | str | None = None,
) -> Iterator[OrderChange]:
    """Change orders inside the block; when it ends without an error, bring the rollups and
    activity chains, first-order dates, audit log (an entry `action` on `entity` by `user`;
    action None: none, as for a demo load) and data version in step, in `conn`'s transaction.
    """
    lock_writers(conn)  # a caller outside write_transaction takes its turn too
    change = OrderChange(conn, entity_id)
    yield change
    change._finish(user, action, entity)


def _customers_of(conn: Connection, order_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for i in range(0, len(order_ids), _CHUNK):
        found.update(conn.scalars(_CUSTOMERS_OF, {"ids": order_ids[i : i + _CHUNK]}))
    return found
