"""Storing alerts, re-runs without duplicates, status changes and the webhook."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import func, select

from dashapp.analytics.anomalies import list_alerts, run_check, scan, set_alert_status, store_alerts
from dashapp.store.models import Alert, AuditLog
from tests.analytics.anomalies.steady import DROP_DAY, seed_steady


@pytest.fixture
def dropped(engine):
    seed_steady(engine, drop=True)
    return engine


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_second_run_adds_nothing(dropped):
    first = run_check(dropped)
    second = run_check(dropped)
    assert (first.found, len(first.new)) == (3, 3)
    assert (second.found, len(second.new)) == (3, 0)
    assert _count(dropped, Alert) == 3
    with dropped.connect() as conn:
        stored = list_alerts(conn)
    assert {(a["scope"], a["key"], a["day"]) for a in stored} == {
        ("product", "P1", DROP_DAY),
        ("category", "Cars", DROP_DAY),
        ("country", "France", DROP_DAY),
    }
    product = next(a for a in stored if a["scope"] == "product")
    assert (product["baseline_cents"], product["actual_cents"]) == (40000, 10000)
    assert product["drop_pct"] == 75.0 and product["status"] == "open"
    assert product["drivers"] == [
        {
            "dimension": "country",
            "key": "France",
            "baseline_cents": 30000,
            "actual_cents": 0,
            "lost_cents": 30000,
        }
    ]


def test_store_alerts_counts_only_new_ones(dropped):
    with dropped.connect() as conn:
        found = scan(conn)
    assert store_alerts(dropped, found[:1]) == 1
    assert store_alerts(dropped, found) == 2
    assert store_alerts(dropped, found) == 0
    assert store_alerts(dropped, []) == 0
    assert _count(dropped, Alert) == 3


def test_status_change_is_audited_and_kept_on_rerun(dropped):
    run_check(dropped)
    with dropped.connect() as conn:
        alert_id = list_alerts(conn, scope="country")[0]["id"]
    set_alert_status(dropped, alert_id, "resolved", "manager1")
    run_check(dropped)  # a re-run neither duplicates nor reopens it
    with dropped.connect() as conn:
        assert [a["id"] for a in list_alerts(conn, status="resolved")] == [alert_id]
        assert len(list_alerts(conn, status="open")) == 2
        audit = conn.execute(select(AuditLog)).mappings().all()
    assert len(audit) == 1
    assert (audit[0]["username"], audit[0]["entity"], audit[0]["entity_id"]) == (
        "manager1",
        "alert",
        str(alert_id),
    )
    assert json.loads(audit[0]["before"]) == {"status": "open"}
    assert json.loads(audit[0]["after"]) == {"status": "resolved"}


def test_bad_status_and_unknown_alert(dropped):
    run_check(dropped)
    with dropped.connect() as conn:
        alert_id = list_alerts(conn)[0]["id"]
        with pytest.raises(ValueError):
            list_alerts(conn, status="closed")
        with pytest.raises(ValueError):
            list_alerts(conn, scope="planet")
    with pytest.raises(ValueError, match="status"):
        set_alert_status(dropped, alert_id, "closed", "x")
    with pytest.raises(LookupError):
        set_alert_status(dropped, 999_999, "resolved", "x")
    assert _count(dropped, AuditLog) == 0


class _Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.headers["Content-Type"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def webhook():
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Receiver.received
    server.shutdown()
    server.server_close()


def test_webhook_receives_new_alerts_once(dropped, webhook):
    url, received = webhook
    result = run_check(dropped, webhook_url=url)
    again = run_check(dropped, webhook_url=url)
    assert (result.webhook_status, result.webhook_error) == (204, None)
    assert again.webhook_status is None  # nothing new, nothing sent
    assert len(received) == 1
    content_type, payload = received[0]
    assert content_type == "application/json"
    assert payload["source"] == "sales-pulse" and payload["new"] == 3
    keys = {(a["scope"], a["key"], a["day"]) for a in payload["alerts"]}
    assert ("country", "France", "2024-04-20") in keys
    assert all(a["drivers"] for a in payload["alerts"])


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/closed-port", "ftp://example.com/x"])
def test_failing_webhook_does_not_break_the_check(dropped, url, caplog):
    result = run_check(dropped, webhook_url=url)
    assert len(result.new) == 3
    assert result.webhook_status is None and result.webhook_error
    assert _count(dropped, Alert) == 3
    assert "webhook" in caplog.text
