"""The audit log query: filters, date range (both days included), paging, newest first."""

from datetime import date, datetime

from sqlalchemy import insert

from dashapp.store.audit import audit_choices, audit_entries
from dashapp.store.models import AuditLog

ROWS = [
    # id, at, user, action, entity
    (1, datetime(2024, 1, 1, 9, 0), "alice", "create", "user"),
    (2, datetime(2024, 1, 1, 23, 59), "bob", "update", "order"),
    (3, datetime(2024, 1, 2, 0, 0), "alice", "update", "order"),
    (4, datetime(2024, 1, 3, 12, 0), "alice", "delete", "order"),
    (5, datetime(2024, 1, 4, 8, 0), None, "import", "order"),
]


def seed(engine):
    with engine.begin() as conn:
        conn.execute(
            insert(AuditLog),
            [dict(id=i, at=at, username=u, action=a, entity=e) for i, at, u, a, e in ROWS],
        )


def ids(rows):
    return [r["id"] for r in rows]


def test_filters_and_order(engine):
    seed(engine)
    with engine.connect() as conn:
        rows, total = audit_entries(conn)
        assert (ids(rows), total) == ([5, 4, 3, 2, 1], 5)
        assert ids(audit_entries(conn, user="alice")[0]) == [4, 3, 1]
        assert ids(audit_entries(conn, entity="order", action="update")[0]) == [3, 2]
        # 1 January included up to 23:59; 2 January from midnight.
        assert ids(audit_entries(conn, start=date(2024, 1, 1), end=date(2024, 1, 1))[0]) == [2, 1]
        assert ids(audit_entries(conn, start=date(2024, 1, 2), end=date(2024, 1, 3))[0]) == [4, 3]
        assert audit_entries(conn, user="nobody") == ([], 0)


def test_paging(engine):
    seed(engine)
    with engine.connect() as conn:
        first, total = audit_entries(conn, page=1, page_size=2)
        second, _ = audit_entries(conn, page=2, page_size=2)
        third, _ = audit_entries(conn, page=3, page_size=2)
        beyond, total_beyond = audit_entries(conn, page=9, page_size=2)
        bad, _ = audit_entries(conn, page=0, page_size=0)  # clamped to page 1, size 1
    assert (ids(first), ids(second), ids(third), total) == ([5, 4], [3, 2], [1], 5)
    assert (beyond, total_beyond) == ([], 5)
    assert ids(bad) == [5]


def test_choices(engine):
    seed(engine)
    with engine.connect() as conn:
        choices = audit_choices(conn)
    assert choices == {
        "user": ["alice", "bob"],
        "entity": ["order", "user"],
        "action": ["create", "delete", "import", "update"],
    }
