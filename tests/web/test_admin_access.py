"""Forged admin callbacks and backup downloads from roles without the permission: 403, and
nothing changes. The same requests from an admin go through (so the check is not vacuous)."""

import json

import pytest
from sqlalchemy import func, select

from dashapp.backup import list_backups
from dashapp.store.models import User
from tests.sites import signed_in_client, tiny_site
from tests.web.forge import UPDATE, forge


@pytest.fixture
def app(tmp_path, new_engine, monkeypatch):
    monkeypatch.setenv("SALES_PULSE_BACKUP_DIR", str(tmp_path / "backups"))
    users = [("ada", "admin"), ("max", "manager"), ("vera", "viewer")]
    dash_app = tiny_site(new_engine("web"), users=[(n, r, "mild tangerine") for n, r in users])
    dash_app.server.config["TESTING"] = True
    return dash_app


def client_for(app, name):
    return signed_in_client(app, name, "mild tangerine")


def output_key(app, *parts: str) -> str:
    """The callback_map key of the callback whose outputs contain all `parts`."""
    (key,) = [k for k in app.callback_map if all(p in k for p in parts)]
    return key


def create_user_request(client, username="mallory"):
    values = {"user-new-name.value": username, "user-new-role.value": "admin"}
    return forge(client, "user-create.n_clicks", values, output="user-message.children")


def empty_request(client, key: str):
    """The callback `key` posted with nothing filled in: the role check answers before Dash."""
    body = {"output": key, "outputs": [], "inputs": [], "changedPropIds": [], "state": []}
    return client.post(UPDATE, data=json.dumps(body), content_type="application/json")


def users(app) -> int:
    with app.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(User)).scalar_one()


@pytest.mark.parametrize("name", ["max", "vera"])
def test_forged_create_user_is_refused(app, name):
    response = create_user_request(client_for(app, name))
    assert response.status_code == 403
    assert users(app) == 3  # ada, max, vera


def test_create_user_from_an_admin_goes_through(app):
    response = create_user_request(client_for(app, "ada"))
    assert response.status_code == 200
    assert "mallory" in response.get_data(as_text=True)
    assert users(app) == 4


@pytest.mark.parametrize("name", ["max", "vera"])
def test_forged_restore_and_backup_are_refused(app, name, tmp_path):
    client = client_for(app, name)
    restore_key = output_key(app, "backup-message.children@", "refresh-token.data@")
    backup_key = output_key(app, "backup-list.children")
    for key in (restore_key, backup_key):
        response = empty_request(client, key)
        assert response.status_code == 403
    made = client.post("/admin/backup/download", headers={"Origin": "http://localhost"})
    assert made.status_code == 403
    assert client.get("/admin/backups/anything.sqlite").status_code == 403
    assert list_backups(tmp_path / "backups") == []


def test_viewer_cannot_forge_an_upload_or_read_the_audit_log(app):
    client = client_for(app, "vera")
    for key in (
        output_key(app, "import-file-store.data", "import-file-info.children"),
        output_key(app, "import-file-store.data@", "import-report.children"),  # the run
        output_key(app, "audit-grid.rowData"),
        output_key(app, "users-grid.rowData"),
    ):
        response = empty_request(client, key)
        assert response.status_code == 403, key


def test_admin_downloads_a_checked_backup(app, tmp_path):
    client = client_for(app, "ada")
    response = client.post("/admin/backup/download", headers={"Origin": "http://localhost"})
    assert response.status_code == 200
    # A page-for-page SQLite copy, or on PostgreSQL (make test-pg) the gzipped JSON-lines dump.
    sqlite = app.engine.dialect.name == "sqlite"
    assert response.data.startswith(b"SQLite format 3\x00" if sqlite else b"\x1f\x8b")
    (made,) = list_backups(tmp_path / "backups")
    listed = client.get(f"/admin/backups/{made.name}")
    assert listed.status_code == 200 and listed.data == made.path.read_bytes()
    # Only backup files in the backup folder: not the live database, not another suffix.
    assert client.get("/admin/backups/web.db").status_code == 404
    assert client.get("/admin/backups/missing.sqlite").status_code == 404
    escaped = client.get("/admin/backups/..%2Fweb.db")  # falls through to the page itself
    assert not escaped.data.startswith(b"SQLite format 3")
