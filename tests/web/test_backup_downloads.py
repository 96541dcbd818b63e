"""Backup downloads: making one is a POST from this site's own page (GET is a 405, another
site's form a 403), and every download, new or listed, is in the audit log."""

import pytest
from sqlalchemy import select

from dashapp.auth import create_user
from dashapp.backup import list_backups
from dashapp.factory import create_app
from dashapp.store.models import AuditLog
from tests.sites import signed_in_client
from tests.tiny import seed_tiny

PASSWORD = "tangerine kite 4417"
HERE = {"Origin": "http://localhost"}  # the test client's host


@pytest.fixture
def app(tmp_path, engine, monkeypatch):
    """The app on each backend (a SQLite copy, or PostgreSQL's .jsonl.gz dump)."""
    monkeypatch.setenv("SALES_PULSE_BACKUP_DIR", str(tmp_path / "backups"))
    seed_tiny(engine)
    create_user(engine, "ada", "admin", PASSWORD)
    dash_app = create_app(engine, demo=False)
    dash_app.server.config["TESTING"] = True
    dash_app.engine = engine
    dash_app.backups = tmp_path / "backups"
    return dash_app


@pytest.fixture
def client(app):
    return signed_in_client(app, "ada", PASSWORD)


def downloads(app) -> list[tuple]:
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(AuditLog.username, AuditLog.entity_id)
            .where(AuditLog.action == "download", AuditLog.entity == "backup")
            .order_by(AuditLog.id)
        )
        return [tuple(r) for r in rows]


def test_get_on_the_create_endpoint_is_a_405_and_makes_nothing(app, client):
    response = client.get("/admin/backup/download")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert list_backups(app.backups) == []
    assert downloads(app) == []


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "https://evil.example"}, {"Origin": "null"}, {"Referer": "http://evil/x"}],
    ids=["no-origin", "other-site", "null-origin", "other-referer"],
)
def test_a_post_from_another_site_is_refused(app, client, headers):
    response = client.post("/admin/backup/download", headers=headers)
    assert response.status_code == 403
    assert list_backups(app.backups) == []
    assert downloads(app) == []


def test_every_download_is_audited(app, client):
    made = client.post("/admin/backup/download", headers=HERE)
    assert made.status_code == 200
    assert made.headers["Content-Disposition"].startswith("attachment")
    (backup,) = list_backups(app.backups)
    assert made.data == backup.path.read_bytes()
    assert downloads(app) == [("ada", backup.name)]

    again = client.get(f"/admin/backups/{backup.name}")
    assert again.status_code == 200 and again.data == backup.path.read_bytes()
    assert downloads(app) == [("ada", backup.name), ("ada", backup.name)]

    # A Referer from this site does as well as an Origin (older browsers send no Origin).
    referred = client.post("/admin/backup/download", headers={"Referer": "http://localhost/admin"})
    assert referred.status_code == 200
    assert len(downloads(app)) == 3 and len(list_backups(app.backups)) == 2


def test_a_refused_listed_download_is_not_audited(app, client):
    assert client.get("/admin/backups/missing.sqlite").status_code == 404
    assert downloads(app) == []
