"""Uploaded files (customer data, or a backup with every password hash) are readable by the
server's user alone and gone as soon as their import or restore ends, whatever the outcome."""

import json
import stat

import pytest
from sqlalchemy import func, select

from dashapp.auth import create_user
from dashapp.backup import backup
from dashapp.factory import create_app
from dashapp.store.models import Order
from dashapp.ui.admin.backup import UPLOAD_SUFFIX, restore_pending
from dashapp.ui.admin.data_import import FileChoice, import_uploads
from dashapp.ui.uploads import UploadError, discard_upload, save_upload, upload_dir, upload_path
from tests.tiny import seed_tiny

CSV_SUFFIX = ".csv"
RETAIL = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "536365,85123A,WHITE HANGING HEART,6,13/01/2011 08:26,2.55,17850,United Kingdom\n"
    "536366,22633,HAND WARMER UNION JACK,3,02/02/2011 09:01,1.855,13047,France\n"
)
PASSWORD = "tangerine kite 4417"


@pytest.fixture(autouse=True)
def uploads(tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_PULSE_UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("SALES_PULSE_BACKUP_DIR", str(tmp_path / "backups"))
    return tmp_path / "uploads"


def stored(token: str, suffix: str):
    return upload_dir() / f"{token}{suffix}"


def orders(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Order)).scalar_one()


def test_an_upload_is_readable_by_its_owner_only(uploads):
    token = save_upload(b"secret,data\n", CSV_SUFFIX)
    assert stat.S_IMODE(stored(token, CSV_SUFFIX).stat().st_mode) == 0o600
    assert stat.S_IMODE(uploads.stat().st_mode) == 0o700


def import_upload(engine, token: str, dry_run: bool):
    return import_uploads(engine, [FileChoice(token, "retail.csv")], None, dry_run=dry_run)[0]


def test_a_dry_run_keeps_the_upload_and_the_import_deletes_it(engine):
    token = save_upload(RETAIL.encode(), CSV_SUFFIX)
    report = import_upload(engine, token, dry_run=True)
    assert report.committed is False and stored(token, CSV_SUFFIX).exists()
    report = import_upload(engine, token, dry_run=False)
    assert report.committed and orders(engine) == 2
    assert not stored(token, CSV_SUFFIX).exists()


def test_a_failed_import_deletes_the_upload_too(engine):
    token = save_upload(b"\x00\x01 not a csv at all", CSV_SUFFIX)
    with pytest.raises(Exception, match="not a CSV"):
        import_upload(engine, token, dry_run=False)
    assert not stored(token, CSV_SUFFIX).exists()
    assert orders(engine) == 0


def test_an_upload_is_bound_to_its_owner(engine):
    """Another user's token names no file: it can be neither imported nor deleted by them."""
    token = save_upload(RETAIL.encode(), CSV_SUFFIX, owner="ada")
    with pytest.raises(UploadError, match="expired"):
        upload_path(token, CSV_SUFFIX, "max")
    with pytest.raises(UploadError, match="expired"):
        upload_path(token, CSV_SUFFIX)  # nor without an owner
    files = [FileChoice(token, "retail.csv")]
    with pytest.raises(UploadError):
        import_uploads(engine, files, "max", dry_run=False)
    discard_upload(token, CSV_SUFFIX, "max")
    assert orders(engine) == 0
    assert upload_path(token, CSV_SUFFIX, "ada").read_bytes() == RETAIL.encode()
    assert import_uploads(engine, files, "ada", dry_run=False)[0].orders_added == 2
    with pytest.raises(UploadError):
        upload_path(token, CSV_SUFFIX, "ada")  # gone once imported


@pytest.fixture
def seeded(engine):
    seed_tiny(engine)
    return engine


def test_a_restore_deletes_its_upload(seeded, tmp_path):
    made = backup(seeded, tmp_path / "made.bak")
    token = save_upload(made.path.read_bytes(), UPLOAD_SUFFIX)
    report = restore_pending(seeded, {"upload": token, "label": "made.bak"}, "ada")
    assert report.counts["orders"] == 6
    assert not stored(token, UPLOAD_SUFFIX).exists()


def test_a_refused_restore_deletes_its_upload(seeded, tmp_path):
    made = backup(seeded, tmp_path / "made.bak")
    data = made.path.read_bytes()
    token = save_upload(data[: len(data) // 2], UPLOAD_SUFFIX)  # cut in half
    with pytest.raises(Exception, match="truncated|damaged"):
        restore_pending(seeded, {"upload": token, "label": "cut.bak"}, "ada")
    assert not stored(token, UPLOAD_SUFFIX).exists()
    assert orders(seeded) == 6


def test_the_restore_callback_deletes_the_upload(seeded, tmp_path):
    """Through the page's own callback (confirm), the upload is gone afterwards."""
    create_user(seeded, "ada", "admin", PASSWORD)
    app = create_app(seeded, demo=False)
    app.server.config["TESTING"] = True
    client = app.server.test_client()
    assert client.post("/login", data={"username": "ada", "password": PASSWORD}).status_code == 302
    made = backup(seeded, tmp_path / "made.bak")
    token = save_upload(made.path.read_bytes(), UPLOAD_SUFFIX)
    (key,) = [k for k in app.callback_map if "restore-modal.is_open@" in k and "refresh" in k]
    body = {
        "output": key,
        "outputs": [
            {"id": part.split(".")[0], "property": part.split(".", 1)[1]}
            for part in key.strip(".").split("...")
        ],
        "inputs": [{"id": "restore-confirm", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["restore-confirm.n_clicks"],
        "state": [
            {"id": "backup-pending", "property": "data", "value": {"upload": token, "label": "x"}}
        ],
    }
    response = client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "Restored x" in response.get_data(as_text=True)
    assert not stored(token, UPLOAD_SUFFIX).exists()
