"""Setting, replacing and removing targets on SQLite and PostgreSQL: what is refused (with a
message, changing nothing), who may, one target per period, metric and scope, and the audit
log re-read after every write."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from dashapp.store.models import AuditLog, Target
from dashapp.targets import (
    TargetAccessError,
    TargetDraft,
    delete_target,
    list_targets,
    set_target,
    set_targets,
    update_target,
)
from dashapp.validation import ValidationError
from tests.accounts import staff
from tests.conftest import BACKENDS
from tests.databases import migrated_engine
from tests.targets.shop import PLANES, SHIPS, seed_march

ADMIN, MANAGER = staff("ada", "admin"), staff("max", "manager")
SALES, VIEWER = staff("sam", "sales"), staff("vera", "viewer")


@pytest.fixture
def shop(engine):
    seed_march(engine)
    return engine


@pytest.fixture(scope="module", params=BACKENDS)
def refusing_shop(request, tmp_path_factory):
    """One shop per backend for the refusals, which change nothing (each test checks so)."""
    with migrated_engine(request.param, tmp_path_factory.mktemp("targets")) as engine:
        seed_march(engine)
        yield engine


def _rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        t = Target.__table__
        return [
            (r.period, r.period_start, r.metric, r.scope, r.scope_key, r.amount)
            for r in conn.execute(select(t).order_by(t.c.id))
        ]


def _audit(engine) -> list[tuple]:
    with engine.connect() as conn:
        log = AuditLog.__table__
        return [
            (r.username, r.action, r.entity)
            for r in conn.execute(select(log).where(log.c.entity == "target").order_by(log.c.id))
        ]


def test_a_manager_sets_a_target_and_setting_it_again_replaces_the_amount(shop):
    t = set_target(shop, TargetDraft("2024-03", "Revenue", "10,000.00"), MANAGER)
    assert (t.period, t.start, t.end, t.amount) == (
        "month",
        date(2024, 3, 1),
        date(2024, 3, 31),
        1_000_000,
    )
    assert t.describe() == "Revenue target for the business in March 2024"
    again = set_target(shop, TargetDraft("2024-03", "revenue", "12000", "business"), ADMIN)
    assert again.id == t.id
    assert _rows(shop) == [("month", date(2024, 3, 1), "revenue", "business", "", 1_200_000)]
    assert _audit(shop) == [("max", "create", "target"), ("ada", "update", "target")]
    # The same target a third time changes nothing and is not audited.
    set_target(shop, TargetDraft("2024-03", "revenue", "12,000.00"), ADMIN)
    assert len(_audit(shop)) == 2


def test_scopes_are_checked_against_what_is_stored(shop):
    set_targets(
        shop,
        [
            TargetDraft("2024-Q1", "orders", "120", "category", "planes"),  # case as typed
            TargetDraft("2024-03", "revenue", "3000", "category", SHIPS),  # markup is data
            TargetDraft("Q1 2024", "revenue", "6000", "region", "NA"),
            TargetDraft("2024-03", "revenue", "3000", "user", "sam"),
        ],
        MANAGER,
    )
    assert [(r[0], r[3], r[4]) for r in _rows(shop)] == [
        ("quarter", "category", PLANES),
        ("month", "category", SHIPS),
        ("quarter", "region", "NA"),
        ("month", "user", "sam"),
    ]


@pytest.mark.parametrize(
    ("draft", "field", "message"),
    [
        (TargetDraft("2024-03", "revenue", "0"), "amount", "Amount must be more than 0"),
        (TargetDraft("2024-03", "revenue", "-5"), "amount", "Amount must be 0 or more"),
        (TargetDraft("2024-03", "revenue", "1.005"), "amount", "at most 2 decimal places"),
        (TargetDraft("2024-03", "orders", "2.5"), "amount", "Amount must be a whole number"),
        (TargetDraft("2024-03", "orders", "0"), "amount", "Amount must be greater than 0"),
        (TargetDraft("2024-13", "revenue", "1"), "period", "has no month 13"),
        (TargetDraft("March", "revenue", "1"), "period", "is not a month or a quarter"),
        (TargetDraft("2024-03", "margin", "1"), "metric", "must be one of revenue, orders, profit"),
        (TargetDraft("2024-03", "revenue", "1", "country", "France"), "scope", "must be one of"),
        (
            TargetDraft("2024-03", "revenue", "1", "category", "Plane"),
            "key",
            "Unknown category 'Plane'; did you mean 'Planes'?",
        ),
        (TargetDraft("2024-03", "revenue", "1", "region", "Mars"), "key", "Unknown region 'Mars'"),
        (TargetDraft("2024-03", "revenue", "1", "user", "vera"), "key", "No user named 'vera'"),
        (TargetDraft("2024-03", "revenue", "1", "category", ""), "key", "Category is required"),
        (TargetDraft("2024-03", "revenue", "1", "business", "Planes"), "key", "leave the"),
    ],
)
def test_a_bad_target_is_refused_with_the_reason_and_changes_nothing(
    refusing_shop, draft, field, message
):
    with pytest.raises(ValidationError) as caught:
        set_target(refusing_shop, draft, MANAGER)
    assert [e.field for e in caught.value.errors] == [field]
    assert message in caught.value.errors[0].message
    assert _rows(refusing_shop) == [] and _audit(refusing_shop) == []


def test_one_bad_row_refuses_the_whole_batch_naming_each_row(shop):
    set_target(shop, TargetDraft("2024-03", "revenue", "100"), MANAGER)
    with pytest.raises(ValidationError) as caught:
        set_targets(
            shop,
            [
                TargetDraft("2024-03", "revenue", "999"),  # would replace the 100.00
                TargetDraft("2024-04", "revenue", "abc"),
                TargetDraft("2024-05", "orders", "5"),
                TargetDraft("2024-05", "ORDERS", "6"),  # the same target as row 3
            ],
            MANAGER,
        )
    assert [(e.line, e.field) for e in caught.value.errors] == [(1, "amount"), (3, "period")]
    assert "as row 3" in caught.value.errors[1].message
    assert _rows(shop) == [("month", date(2024, 3, 1), "revenue", "business", "", 10_000)]
    assert len(_audit(shop)) == 1


@pytest.mark.parametrize("account", [SALES, VIEWER, None], ids=["sales", "viewer", "nobody"])
def test_only_admins_and_managers_set_or_remove_targets(shop, account):
    kept = set_target(shop, TargetDraft("2024-03", "revenue", "100"), MANAGER)
    for attempt in (
        lambda: set_target(shop, TargetDraft("2024-03", "revenue", "5"), account),
        # A sales user's own target is still a manager's to set.
        lambda: set_target(shop, TargetDraft("2024-03", "revenue", "5", "user", "sam"), account),
        lambda: update_target(shop, kept.id, TargetDraft("2024-03", "revenue", "5"), account),
        lambda: delete_target(shop, kept.id, account),
    ):
        with pytest.raises(TargetAccessError, match="Nothing was changed"):
            attempt()
    assert _rows(shop) == [("month", date(2024, 3, 1), "revenue", "business", "", 10_000)]
    assert _audit(shop) == [("max", "create", "target")]


def test_an_edit_cannot_take_another_targets_place_and_a_removal_is_audited(shop):
    march = set_target(shop, TargetDraft("2024-03", "revenue", "100"), MANAGER)
    april = set_target(shop, TargetDraft("2024-04", "revenue", "200"), MANAGER)
    with pytest.raises(ValidationError, match="Revenue target for the business in March 2024"):
        update_target(shop, april.id, TargetDraft("2024-03", "revenue", "300"), MANAGER)
    moved = update_target(shop, april.id, TargetDraft("2024-05", "revenue", "300"), ADMIN)
    assert (moved.start, moved.amount) == (date(2024, 5, 1), 30_000)
    delete_target(shop, march.id, ADMIN)
    with pytest.raises(LookupError):
        delete_target(shop, march.id, ADMIN)
    assert _rows(shop) == [("month", date(2024, 5, 1), "revenue", "business", "", 30_000)]
    assert _audit(shop)[-2:] == [("ada", "update", "target"), ("ada", "delete", "target")]
    with shop.connect() as conn:
        log = AuditLog.__table__
        last = conn.execute(select(log).order_by(log.c.id.desc()).limit(1)).one()
        assert last.before == (
            '{"amount": "100.00", "key": null, "metric": "revenue", "period": "2024-03", '
            '"scope": "business"}'
        )
        assert conn.scalar(select(func.count()).select_from(Target.__table__)) == 1


def test_a_sales_user_sees_only_their_own_targets(shop):
    set_targets(
        shop,
        [
            TargetDraft("2024-03", "revenue", "100"),
            TargetDraft("2024-03", "revenue", "50", "user", "sam"),
            TargetDraft("2024-Q1", "orders", "9", "category", PLANES),
        ],
        MANAGER,
    )
    with shop.connect() as conn:
        assert [t.scope for t in list_targets(conn, SALES)] == ["user"]
        assert len(list_targets(conn, VIEWER)) == 3
        # The quarter started in January, and still counts for a view of March.
        march = list_targets(conn, VIEWER, start=date(2024, 3, 10), end=date(2024, 3, 10))
        assert sorted(t.period for t in march) == ["month", "month", "quarter"]
        assert list_targets(conn, VIEWER, start=date(2024, 4, 1), end=date(2024, 4, 30)) == []
