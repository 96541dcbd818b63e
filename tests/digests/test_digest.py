"""Digests (issue 20, item 4): figures on the hand-made shop (shop.py, arithmetic there),
delivered to a real SMTP server and a webhook receiver on loopback."""

from datetime import date

import pytest

from dashapp.digests.content import build_digest, period_range
from dashapp.digests.render import as_html, as_text, kpi_lines
from dashapp.targets import TargetDraft, set_target
from tests.accounts import staff
from tests.cli_runner import run_cli
from tests.digests.shop import SENT_ON, seed_digest_shop

SUBJECT = "Sales Pulse: Daily digest for Tue 5 Mar 2024"


@pytest.fixture
def shop(engine):
    seed_digest_shop(engine)
    return engine


@pytest.fixture
def one_shop(one_engine):
    seed_digest_shop(one_engine)
    return one_engine


def test_daily_digest_figures(shop):
    with shop.connect() as conn:
        digest = build_digest(conn, "daily", SENT_ON)
    assert (digest.start, digest.end) == (date(2024, 3, 5), date(2024, 3, 5))
    assert (digest.previous_start, digest.previous_end) == (date(2024, 3, 4), date(2024, 3, 4))
    now, before = digest.current, digest.previous
    assert (now.revenue_cents, now.orders, now.customers, now.units) == (45000, 2, 2, 5)
    assert (before.revenue_cents, before.orders, before.customers, before.units) == (20000, 2, 2, 3)
    assert [(k.label, k.current, k.previous, k.change) for k in kpi_lines(now, before)] == [
        ("Revenue", "$450.00", "$200.00", "+125.0 %"),
        ("Orders", "2", "2", "0.0 %"),
        ("Average order", "$225.00", "$100.00", "+125.0 %"),
        ("Customers", "2", "2", "0.0 %"),
        ("Units", "5", "3", "+66.7 %"),
    ]
    assert [a["key"] for a in digest.alerts] == ["Cars & <Bikes>"]
    assert digest.reorder == (
        {
            "sku": "P1",
            "name": "Product P1",
            "status": "URGENT",
            "stock": 1,
            "days_of_cover": 5.6,
            "suggested_order_qty": 5,
        },
    )


def test_periods_are_the_last_complete_day_or_week():
    # Wed 6 March 2024: yesterday, or Mon 26 Feb..Sun 3 Mar (the last whole week).
    assert period_range("daily", SENT_ON) == (date(2024, 3, 5), date(2024, 3, 5))
    assert period_range("weekly", SENT_ON) == (date(2024, 2, 26), date(2024, 3, 3))
    # Sent on a Monday, the week that ended the day before.
    assert period_range("weekly", date(2024, 3, 4)) == (date(2024, 2, 26), date(2024, 3, 3))
    with pytest.raises(ValueError, match="daily or weekly"):
        period_range("monthly", SENT_ON)


def test_digest_command_emails_and_posts_the_same_figures(shop, smtp_server, webhook):
    result = run_cli(
        shop, "digest", "--to", "boss@shop.test", "--to", webhook.url, "--today", "2024-03-06"
    )
    assert result.exit_code == 0, result.output
    assert "Sent to boss@shop.test (email)" in result.stdout
    assert f"Sent to {webhook.url} (webhook)" in result.stdout

    ((sender, rcpts, message),) = smtp_server.received
    assert (sender, rcpts) == ("digest@shop.test", ["boss@shop.test"])
    assert message["Subject"] == SUBJECT
    text = message.get_body(("plain",)).get_content()
    assert "Revenue: $450.00 (was $200.00, +125.0 %)" in text
    assert "Average order: $225.00 (was $100.00, +125.0 %)" in text
    assert "Units: 5 (was 3, +66.7 %)" in text
    assert "- Cars & <Bikes> (category) on 2024-03-04: $200.00 against $800.00" in text
    assert "URGENT: P1 Product P1, 1 in stock, 5.6 days of cover, order 5" in text
    html = message.get_body(("html",)).get_content()
    assert "Cars &amp; &lt;Bikes&gt;" in html and "<Bikes>" not in html
    assert "<td align='right'>$450.00</td>" in html

    ((content_type, payload),) = webhook.received
    assert content_type == "application/json"
    assert payload["text"] == SUBJECT
    kpis, alerts, reorder = (b["text"]["text"] for b in payload["blocks"][1:])
    assert "*Revenue*: $450.00 (was $200.00, +125.0 %)" in kpis
    assert "Cars &amp; &lt;Bikes&gt;" in alerts
    assert "order 5" in reorder


def test_bad_recipients_send_nothing(one_shop, smtp_server, webhook, monkeypatch):
    shop = one_shop
    bad = run_cli(shop, "digest", "--to", webhook.url, "--to", "boss at shop")
    assert bad.exit_code == 2
    assert "'boss at shop' is neither an email address nor an http(s):// webhook" in bad.output
    monkeypatch.delenv("SALES_PULSE_SMTP_HOST")
    no_server = run_cli(shop, "digest", "--to", webhook.url, "--to", "boss@shop.test")
    assert no_server.exit_code == 2 and "email needs an SMTP server" in no_server.output
    assert smtp_server.received == [] and webhook.received == []


def test_an_unreachable_webhook_is_reported(one_shop, smtp_server):
    shop = one_shop
    # Port 9 (discard) refuses connections here; the email still goes.
    result = run_cli(
        shop,
        "digest",
        "--to",
        "http://127.0.0.1:9/hook",
        "--to",
        "a@shop.test",
        "--today",
        "2024-03-06",
    )
    assert result.exit_code == 1
    assert "Not delivered to http://127.0.0.1:9/hook (webhook)" in result.stderr
    assert len(smtp_server.received) == 1


def test_digest_figures_are_the_pages(shop):
    # The API answers with the page's numbers (one definition of each KPI): the digest of
    # Tue 5 March against Mon 4 March says the same.
    from tests.api.conftest import api_for

    api = api_for(shop)
    body = api.get("/api/kpis?start=2024-03-05&end=2024-03-05").get_json()
    with shop.connect() as conn:
        digest = build_digest(conn, "daily", SENT_ON)
    lines = {k.label: k for k in kpi_lines(digest.current, digest.previous)}
    for label, key, text in (
        ("Revenue", "revenue", "${:,.2f}"),
        ("Orders", "orders", "{:,}"),
        ("Average order", "aov", "${:,.2f}"),
        ("Customers", "customers", "{:,}"),
        ("Units", "units", "{:,}"),
    ):
        assert lines[label].current == text.format(body["current"][key]), label
        assert lines[label].previous == text.format(body["previous"][key]), label


def test_the_digest_gives_the_business_targets_of_its_day(shop, smtp_server):
    """Targets for the business (a category target is left out): March 2024 revenue 1,000.00
    and Q1 2024 orders 10. To Tue 5 March: March revenue 200.00 + 450.00 = 650.00 (65 %); two
    days of history are under the forecast's 28, so the run-rate projects 650.00 / 5 x 31 =
    4,030.00, on track. Q1 orders 2 + 2 = 4 (40 %), day 65 of 91 (31 + 29 + 5 of 31 + 29 + 31):
    4 / 65 x 91 = 5.6, projected 6, at risk."""
    for draft in (
        TargetDraft("2024-03", "revenue", "1,000.00"),
        TargetDraft("2024-Q1", "orders", "10"),
        TargetDraft("2024-03", "revenue", "5.00", "category", "Cars"),
    ):
        set_target(shop, draft, staff("boss", "manager"))
    with shop.connect() as conn:
        digest = build_digest(conn, "daily", SENT_ON)
    expected = [
        "- Revenue, March 2024: $650.00 of $1,000.00 (65 %), on track, "
        "projected $4,030.00 by 31 Mar",
        "- Orders, Q1 2024: 4 orders of 10 orders (40 %), at risk, projected 6 orders by 31 Mar",
    ]
    section = as_text(digest).split("\nTargets:\n")[1].split("\n\n")[0]
    assert section.splitlines() == expected  # newest period first
    assert "<h3>Targets</h3><ul><li>Revenue, March 2024: $650.00" in as_html(digest)
