"""A digest under a saved view, and the views on the command line (issue 20, item 6), on the
digest shop (tests/digests/shop.py; sent Wed 6 March 2024, the daily digest covers Tue 5 March
against Mon 4 March).

Under "country=France": Tue 5 Mar, one France order P1 3 x 100.00 + P2 1 x 50.00 = 350.00,
4 units, 1 customer; Mon 4 Mar, P1 1 x 100.00 = 100.00, 1 unit, 1 customer. Revenue
(350 - 100) / 100 = +250.0 %; AOV 350.00 against 100.00; units (4 - 1) / 1 = +300.0 %."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from dashapp.digests.content import build_digest
from dashapp.digests.render import as_html, as_text, kpi_lines, period_title
from dashapp.digests.schedule import add_schedule, list_schedules, run_due
from dashapp.store.models import DigestRun
from dashapp.views import ViewNotFound, list_views, save_view
from tests.cli_runner import run_cli
from tests.digests.shop import SENT_ON, seed_digest_shop
from tests.views.helpers import add_accounts

FRANCE = [
    ("Revenue", "$350.00", "$100.00", "+250.0 %"),
    ("Orders", "1", "1", "0.0 %"),
    ("Average order", "$350.00", "$100.00", "+250.0 %"),
    ("Customers", "1", "1", "0.0 %"),
    ("Units", "4", "1", "+300.0 %"),
]


@pytest.fixture
def shop(engine):
    seed_digest_shop(engine)
    accounts = add_accounts(engine, ("max", "manager"), ("sam", "sales"), ("ann", "admin"))
    view = save_view(engine, accounts["max"], "France <b>only</b>", "overview", "country=France")
    return engine, accounts, view


def test_a_digest_under_a_view_has_its_kpis_and_names_it(shop):
    engine, _, view = shop
    with engine.connect() as conn:
        digest = build_digest(conn, "daily", SENT_ON, view.filters, view.name)
    lines = kpi_lines(digest.current, digest.previous)
    assert [(k.label, k.current, k.previous, k.change) for k in lines] == FRANCE
    assert period_title(digest) == "Daily digest for Tue 5 Mar 2024 · view “France <b>only</b>”"
    assert "France <b>only</b>" in as_text(digest)
    assert "France &lt;b&gt;only&lt;/b&gt;" in as_html(digest)  # text, never markup


def test_a_schedule_sends_its_views_kpis_and_only_views_its_user_sees(shop, monkeypatch):
    engine, accounts, view = shop
    # Another manager's private view is not one ann (or her schedule) can name.
    other = save_view(engine, accounts["max"], "Max's own", "overview", "country=USA")
    with pytest.raises(ViewNotFound):
        add_schedule(engine, accounts["ann"].id, "daily", "https://hooks.test/x", 7, other.id)
    # A private view of max's own, for max's digest.
    schedule = add_schedule(engine, accounts["max"].id, "daily", "https://hooks.test/x", 7, view.id)
    assert [(s["id"], s["view"]) for s in list_schedules(engine)] == [(schedule, view.name)]
    sent = []
    monkeypatch.setattr(
        "dashapp.digests.schedule.deliver", lambda digest, to, settings: sent.append(digest) or []
    )
    run_due(engine, now=datetime(2024, 3, 6, 8, 0))
    (digest,) = sent
    assert digest.view == view.name
    assert [(k.label, k.current) for k in kpi_lines(digest.current, digest.previous)] == [
        (label, now) for label, now, _, _ in FRANCE
    ]
    with engine.connect() as conn:
        assert conn.execute(select(DigestRun.error)).scalar_one() is None


def test_the_views_commands(shop):
    engine, _, view = shop
    listed = run_cli(engine, "views", "list", "--user", "max")
    assert listed.exit_code == 0, listed.output
    line = f"{view.id:>4}  France <b>only</b>  [private, max]  overview?country=France\n"
    assert listed.output == line
    # Without --user only shared views are listed: max's is private.
    assert run_cli(engine, "views", "list").output == "No saved views.\n"

    saved = run_cli(
        engine, "views", "save", "=SUM(A1)", "--user", "sam", "--query", "range=ytd&status=Shipped",
        "--shared",
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    assert saved.output.startswith("Saved view ") and saved.output.endswith(": =SUM(A1) (shared)\n")
    bad = run_cli(engine, "views", "save", "x", "--user", "sam", "--query", "granularity=hour")
    assert bad.exit_code == 1
    assert "query: granularity: not a setting the page knows ('hour')" in bad.output
    assert run_cli(engine, "views", "save", "y", "--user", "nobody").exit_code == 2

    # The digest command under a view: sam's shared view read by anyone.
    with engine.connect() as conn:
        names = [v.name for v in list_views(conn, shop[1]["max"])]
    assert names == ["=SUM(A1)", "France <b>only</b>"]
    refused = run_cli(engine, "views", "delete", "=SUM(A1)", "--user", "max")
    assert refused.exit_code == 1 and "only sam or an admin may delete" in refused.output
    deleted = run_cli(engine, "views", "delete", "=sum(a1)", "--user", "ann")  # an admin
    assert deleted.exit_code == 0 and deleted.output.endswith(": =SUM(A1)\n")
    gone = run_cli(engine, "views", "delete", str(view.id), "--user", "ann")  # max's private
    assert gone.exit_code == 1 and f"no saved view {view.id}" in gone.output


def test_the_digest_command_under_a_view(shop, monkeypatch):
    engine, _, view = shop
    sent = []
    monkeypatch.setattr(
        "dashapp.digests.delivery.deliver", lambda digest, to, settings: sent.append(digest) or []
    )
    monkeypatch.setattr(
        "dashapp.digests.delivery.check_recipients", lambda recipients, settings: None
    )
    args = ["digest", "--to", "https://hooks.test/x", "--today", "2024-03-06"]
    result = run_cli(engine, *args, "--view", "france <b>ONLY</b>", "--user", "max")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Daily digest for Tue 5 Mar 2024 · view “France <b>only</b>”")
    assert sent[0].current.revenue_cents == 35000
    # A sales user's digest keeps to the orders they entered: sam entered none of the shop's.
    sent.clear()
    assert run_cli(engine, *args, "--view", "France <b>only</b>", "--user", "sam").exit_code == 2
    assert run_cli(engine, *args, "--user", "sam").exit_code == 0
    assert (sent[0].current.revenue_cents, sent[0].current.orders) == (0, 0)
    hidden = run_cli(engine, *args, "--view", "France <b>only</b>")  # private: not without --user
    assert hidden.exit_code == 2 and "no saved view 'France <b>only</b>'" in hidden.output
