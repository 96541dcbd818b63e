"""A digest's "new alerts" hold what the KPI alert rules fired during its period, in the text,
HTML and Slack bodies, a rule's name always as text."""

from __future__ import annotations

from datetime import date, timedelta

from dashapp.alerts import RuleDraft, add_rule, check_rules
from dashapp.digests.content import build_digest
from dashapp.digests.render import as_html, as_slack, as_text
from tests.alerts.shop import MANAGER, TODAY, seed_all

NAME = "<b>Planes</b> & France"
# Week of 4 March, Planes in France: 400.00 + 400.00 = 800.00 (tests/alerts/shop.py).
LINE = f"{NAME}: 2024-03-04 to 2024-03-10: $800.00, below $1,000.00"


def test_the_digest_of_the_day_the_rule_fired_lists_it(engine):
    seed_all(engine)
    add_rule(
        engine,
        RuleDraft(NAME, "revenue", "1000", "below", "week", "category=Planes&country=France"),
        MANAGER,
    )
    check_rules(engine, today=TODAY)
    # The alert was stored today (the check's clock): today's digest is sent tomorrow.
    with engine.connect() as conn:
        digest = build_digest(conn, "daily", today=date.today() + timedelta(days=1))
        before = build_digest(conn, "daily", today=date.today())
    text = as_text(digest)
    assert f"New alerts (1):\n- {LINE}\n" in text
    assert "New alerts (0):\n- none\n" in as_text(before)
    html = as_html(digest)
    assert "<h3>New alerts (1)</h3><ul><li>&lt;b&gt;Planes&lt;/b&gt; &amp; France: " in html
    slack = as_slack(digest)["blocks"]
    assert any(
        b.get("text", {}).get("text")
        == "*New alerts (1)*\n• &lt;b&gt;Planes&lt;/b&gt; &amp; France: 2024-03-04 to "
        "2024-03-10: $800.00, below $1,000.00"
        for b in slack
    )
