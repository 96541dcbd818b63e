"""'Send now' on the Anomalies page is for admins: a manager's forged request is refused on
the server and nothing is sent; an admin's goes out (the browser test an004 clicks it)."""

import json

from dashapp.auth import create_user
from dashapp.factory import create_app
from tests.web.forge import forge


def _send_now(client, url: str):
    return forge(client, "dg-send.n_clicks", {"dg-to.value": url, "dg-period.value": "daily"})


def test_only_an_admin_sends_a_digest_now(one_engine, webhook):
    create_user(one_engine, "mona", "manager", "manager password")
    create_user(one_engine, "ada", "admin", "admin password")
    app = create_app(one_engine, demo=False)
    app.server.config["TESTING"] = True
    client = app.server.test_client()
    client.post("/login", data={"username": "mona", "password": "manager password"})
    refused = _send_now(client, webhook.url)
    assert refused.status_code == 403 and webhook.received == []

    admin = app.server.test_client()
    admin.post("/login", data={"username": "ada", "password": "admin password"})
    sent = _send_now(admin, webhook.url)
    assert sent.status_code == 200, sent.get_data(as_text=True)
    assert f"Sent to {webhook.url} (webhook)" in json.dumps(sent.get_json())
    assert len(webhook.received) == 1
