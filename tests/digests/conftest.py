"""Loopback delivery targets, and one migrated database for the tests whose subject is the
delivery or the scheduling, not the store (those that read figures run on both backends)."""

import pytest

from tests.databases import migrate
from tests.digests.loopback import SmtpServer, WebhookReceiver


@pytest.fixture
def one_engine(new_engine):
    engine = new_engine("digests")
    migrate(engine)
    return engine


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
