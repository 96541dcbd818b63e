"""Loopback delivery targets and the hand-made digest shop (shop.py)."""

import pytest

from tests.digests.loopback import SmtpServer, WebhookReceiver


@pytest.fixture
def smtp_server(monkeypatch):
    server = SmtpServer()
    monkeypatch.setenv("SALES_PULSE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SALES_PULSE_SMTP_PORT", str(server.port))
    monkeypatch.setenv("SALES_PULSE_SMTP_FROM", "digest@shop.test")
    yield server
    server.close()


@pytest.fixture
def webhook():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()
