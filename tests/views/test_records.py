"""Saved views in the domain (issue 20, item 6): who sees, renames and deletes which view,
names kept as typed text, bad input refused with nothing saved, a view used by a digest
schedule kept, and a view's filters giving the KPIs the page gives under them."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from dashapp.analytics.kpis import kpis
from dashapp.store.models import AuditLog, DataVersion, DigestSchedule
from dashapp.validation import ValidationError
from dashapp.views import (
    ViewAccessError,
    ViewNotFound,
    delete_view,
    find_view,
    get_view,
    list_views,
    missing_values,
    rename_view,
    save_view,
)
from tests.views.helpers import add_accounts

MARKUP = "<b>France</b> & <script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _names(engine, account) -> list[str]:
    with engine.connect() as conn:
        return [v.name for v in list_views(conn, account)]


def test_private_views_are_their_owners_and_shared_ones_everyones(engine):
    acc = add_accounts(engine, ("ann", "manager"), ("bob", "sales"), ("root", "admin"))
    ann, bob, root = acc["ann"], acc["bob"], acc["root"]
    with engine.connect() as conn:
        version = conn.execute(select(DataVersion.version)).scalar()
    private = save_view(engine, ann, f"  {MARKUP} ", "overview", "country=France")
    shared = save_view(engine, ann, FORMULA, "orders", "status=Shipped", shared=True)
    # Kept verbatim (trimmed): markup and formulas are text, shown as text by every surface.
    assert (private.name, private.shared, private.owner) == (MARKUP, False, "ann")
    assert (shared.name, shared.section, shared.query) == (FORMULA, "orders", "status=Shipped")
    assert _names(engine, ann) == [MARKUP, FORMULA]  # "<" sorts before "="
    assert _names(engine, bob) == _names(engine, root) == [FORMULA]

    with engine.connect() as conn:
        for account in (bob, root):
            with pytest.raises(ViewNotFound, match=f"no saved view {private.id}"):
                get_view(conn, account, private.id)
        assert get_view(conn, bob, shared.id).query == "status=Shipped"
    # Another's private view does not exist for them; a shared one is theirs to read only.
    for account in (bob, root):
        with pytest.raises(ViewNotFound):
            rename_view(engine, account, private.id, "mine now")
        with pytest.raises(ViewNotFound):
            delete_view(engine, account, private.id)
    with pytest.raises(ViewAccessError, match="only ann may rename"):
        rename_view(engine, root, shared.id, "tidied")
    with pytest.raises(ViewAccessError, match="only ann or an admin may delete"):
        delete_view(engine, bob, shared.id)
    assert _names(engine, ann) == [MARKUP, FORMULA]  # the refusals changed nothing

    assert rename_view(engine, ann, private.id, "France only").name == "France only"
    assert delete_view(engine, root, shared.id).name == FORMULA  # an admin tidies shared ones
    assert _names(engine, ann) == ["France only"]
    with engine.connect() as conn:
        log = conn.execute(
            select(AuditLog.username, AuditLog.action).where(AuditLog.entity == "saved_view")
        ).all()
        # Views are not data: saving one leaves the data version (and every cache) alone.
        assert conn.execute(select(DataVersion.version)).scalar() == version
    assert sorted(log) == sorted(
        [("ann", "create"), ("ann", "create"), ("ann", "rename"), ("root", "delete")]
    )


def test_bad_names_sections_and_queries_are_refused_and_nothing_is_saved(engine):
    ann, bob = add_accounts(engine, ("ann", "viewer"), ("bob", "manager")).values()
    save_view(engine, ann, "Q1  France", "overview", "?country=France&range=ytd")
    assert _names(engine, ann) == ["Q1 France"]  # runs of spaces (tabs, newlines) read as one
    save_view(engine, bob, "q1 france", "overview", "")  # another owner may use the name
    cases = [
        ("Q1 FRANCE", "overview", "", "name: you already have a view named 'Q1 FRANCE'"),
        ("   ", "overview", "", "name: name is required"),
        ("x" * 81, "overview", "", "name: name is too long: 81 characters, at most 80"),
        ("bell\x07", "overview", "", "name: name contains control characters"),
        ("ok", "../admin", "", "section: not a section of the page: '../admin'"),
        ("ok", "overview", "status=Lost", "query: status: unknown status 'Lost'"),
        ("ok", "overview", "granularity=hour", "query: granularity: not a setting"),
        ("ok", "overview", "colour=red", "query: unknown parameter 'colour'"),
        ("ok", "overview", "start=2024-02-01&end=2024-01-01", "query: end: must not be before"),
    ]
    for name, section, query, message in cases:
        with pytest.raises(ValidationError) as refused:
            save_view(engine, ann, name, section, query)
        assert str(refused.value).startswith(message), (name, str(refused.value))
    # Several bad fields are all named at once.
    with pytest.raises(ValidationError) as refused:
        save_view(engine, ann, "", "", "colour=red")
    assert [e.field for e in refused.value.errors] == ["name", "section", "query"]
    with pytest.raises(ValidationError, match="shared: must be yes or no"):
        save_view(engine, ann, "ok", "overview", "", shared="yes")  # a forged JSON string
    assert _names(engine, ann) == ["Q1 France"]
    with pytest.raises(ViewAccessError):
        list_views(engine.connect(), None)


def test_the_canonical_query_is_stored_and_found_by_name(engine):
    (ann,) = add_accounts(engine, ("ann", "manager")).values()
    view = save_view(
        engine,
        ann,
        "Cars",
        "insight",
        "?top=12&granularity=week&category=Classic+Cars&country=France&country=France",
    )
    # Filters in dashapp.filters' order, then the settings; the repeated country once.
    assert view.query == "category=Classic+Cars&country=France&granularity=week&top=12"
    dated = save_view(engine, ann, "Jan", "overview", "range=30d&start=2024-01-01&end=2024-01-31")
    assert dated.query == "start=2024-01-01&end=2024-01-31&range=custom"  # dates: a custom range
    with engine.connect() as conn:
        assert find_view(conn, ann, "  cars ").id == view.id
        assert find_view(conn, ann, str(dated.id)).name == "Jan"
        with pytest.raises(ViewNotFound, match="no saved view 'Boats'"):
            find_view(conn, ann, "Boats")


def test_two_shared_views_of_one_name_must_be_named_by_id(engine):
    ann, bob, cy = add_accounts(
        engine, ("ann", "manager"), ("bob", "viewer"), ("cy", "admin")
    ).values()
    first = save_view(engine, ann, "Team", "overview", "", shared=True)
    second = save_view(engine, bob, "team", "overview", "channel=Web", shared=True)
    with engine.connect() as conn:
        assert find_view(conn, ann, "TEAM").id == first.id  # one's own comes first
        assert find_view(conn, bob, "Team").id == second.id
        with pytest.raises(ValidationError, match=f"ids {first.id}, {second.id}\\): use an id"):
            find_view(conn, cy, "Team")


def test_a_view_a_digest_uses_is_kept_until_the_schedule_lets_go(engine):
    (ann,) = add_accounts(engine, ("ann", "manager")).values()
    view = save_view(engine, ann, "France", "overview", "country=France", shared=True)
    with engine.begin() as conn:
        conn.execute(
            insert(DigestSchedule).values(
                id=7, user_id=ann.id, period="daily", recipient="a@example.com", hour=7
            ),
            {"view_id": view.id},
        )
    with pytest.raises(ValidationError, match=r"used by digest schedule\(s\) 7: remove it"):
        delete_view(engine, ann, view.id)
    assert _names(engine, ann) == ["France"]


@pytest.fixture(scope="module")
def tiny_views(tiny_engine):
    """The tiny set and one manager (this module's own copy: the fixture is module-scoped)."""
    return tiny_engine, add_accounts(tiny_engine, ("ann", "manager"))["ann"]


def test_a_views_filters_give_the_pages_kpis(tiny_views):
    """The tiny set (tests/tiny.py) under "France, Classic Cars, January 2024": only O1's line
    L1 (CAR, 2 x 100.00 = 200.00); O1's BIKE line is another category, O4 is in February, O6
    in 2023. Revenue 200.00, 1 order, 2 units, 1 customer (Acme)."""
    engine, ann = tiny_views
    view = save_view(
        engine,
        ann,
        "France cars, January",
        "overview",
        "country=France&category=Classic+Cars&start=2024-01-01&end=2024-01-31&granularity=week",
    )
    with engine.connect() as conn:
        got = kpis(conn, get_view(conn, ann, view.id).filters)
        assert missing_values(conn, view.filters) == []
    assert (got.revenue_cents, got.orders, got.units, got.customers) == (20000, 1, 2, 1)


def test_a_view_whose_values_are_gone_still_opens_and_says_so(tiny_views):
    engine, ann = tiny_views
    view = save_view(engine, ann, "Boats", "overview", "category=Boats&country=France&product=X9")
    with engine.connect() as conn:
        opened = get_view(conn, ann, view.id)
        assert missing_values(conn, opened.filters) == ["category 'Boats'", "product 'X9'"]
        assert kpis(conn, opened.filters).revenue_cents == 0  # nothing matches: no error
