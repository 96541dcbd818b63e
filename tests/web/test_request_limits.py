"""Request body limits: an over-large body is refused before it is read, by role, and only the
upload callbacks take a big one; JSON nested too deeply is a 400, never a 500."""

import base64
import json

import pytest
from flask import Request
from sqlalchemy import func, select

from dashapp.auth import create_token, create_user
from dashapp.factory import create_app
from dashapp.store.models import Order
from dashapp.ui.uploads import upload_dir
from dashapp.web.request_limits import MAX_BODY_BYTES
from tests.databases import migrate
from tests.sites import signed_in_client

PASSWORD = "tangerine kite 4417"
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def app(tmp_path, new_engine, monkeypatch):
    monkeypatch.setenv("SALES_PULSE_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("SALES_PULSE_UPLOAD_DIR", str(tmp_path / "uploads"))
    engine = new_engine("web")
    migrate(engine)
    for name, role in [("ada", "admin"), ("vera", "viewer"), ("sam", "sales")]:
        create_user(engine, name, role, PASSWORD)
    dash_app = create_app(engine, demo=False)
    dash_app.server.config["TESTING"] = True
    dash_app.engine = engine
    yield dash_app
    engine.dispose()


@pytest.fixture
def reads(monkeypatch):
    """How many times a request body was read."""
    calls = []
    real = Request.get_data

    def counting(self, *args, **kwargs):
        calls.append(self.path)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Request, "get_data", counting)
    return calls


def client_for(app, name):
    return signed_in_client(app, name, PASSWORD)


def output_key(app, *parts: str) -> str:
    (key,) = [k for k in app.callback_map if all(p in k for p in parts)]
    return key


def post_callback(client, data: bytes | str):
    return client.post("/_dash-update-component", data=data, content_type="application/json")


def orders(app) -> int:
    with app.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Order)).scalar_one()


def padded_body(output: str, size: int) -> bytes:
    """A well-formed callback body of `size` bytes."""
    body = {"output": output, "outputs": [], "inputs": [], "changedPropIds": [], "state": []}
    text = json.dumps({**body, "pad": ""})
    return json.dumps({**body, "pad": "x" * (size - len(text))}).encode()


@pytest.mark.parametrize("name", ["vera", "ada"])
def test_oversized_callback_body_is_refused_unread(app, reads, name):
    client = client_for(app, name)
    big = padded_body("anything.children", MAX_BODY_BYTES + 1)
    reads.clear()
    response = post_callback(client, big)
    assert response.status_code == 413
    assert "larger than 8 MB" in response.get_json()["error"]
    if name == "vera":  # no upload callback is hers: refused from the Content-Length alone
        assert reads == []


def test_viewer_cannot_send_an_upload_sized_body(app, reads):
    """A viewer may not run the import upload, so its 9 MB body is refused before parsing."""
    client = client_for(app, "vera")
    key = output_key(app, "import-file-store.data", "import-file-info.children")
    reads.clear()
    response = post_callback(client, padded_body(key, MAX_BODY_BYTES + 1024))
    assert response.status_code == 413
    assert reads == []


def test_big_body_to_a_callback_that_takes_no_file_is_refused(app):
    client = client_for(app, "ada")
    key = output_key(app, "backup-list.children")  # an admin callback without an upload
    response = post_callback(client, padded_body(key, MAX_BODY_BYTES + 1024))
    assert response.status_code == 413


@pytest.mark.parametrize(
    "data",
    [DEEP, '{"output": ' + DEEP + "}", "[1, 2]", '{"output": ["a"]}', "not json"],
    ids=["deep-list", "deep-output", "list", "output-not-text", "not-json"],
)
def test_malformed_callback_body_is_a_400(app, data):
    response = post_callback(client_for(app, "vera"), data)
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_deeply_nested_json_to_the_api_is_a_400(app):
    with app.engine.connect() as conn:
        from dashapp.auth import list_users

        sam = next(u["id"] for u in list_users(conn) if u["username"] == "sam")
    token = create_token(app.engine, sam, "tests", actor="tests")
    client = app.server.test_client()
    response = client.post(
        "/api/orders",
        data=DEEP,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["reason"] == "the JSON is nested too deeply"
    big = client.post(
        "/api/orders",
        data=b" " * (MAX_BODY_BYTES + 1),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert big.status_code == 413
    assert orders(app) == 0


def test_an_8_mb_csv_still_uploads_through_its_callback(app, tmp_path):
    header = b"ORDERNUMBER,QUANTITYORDERED,PRICEEACH,ORDERLINENUMBER,SALES,ORDERDATE,STATUS\n"
    row = b"10107,30,95.7,2,2871,2/24/2003 0:00,Shipped\n"
    data = header + row * ((8 * 1024 * 1024) // len(row))
    contents = "data:text/csv;base64," + base64.b64encode(data).decode()
    key = output_key(app, "import-file-store.data", "import-file-info.children")
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".", 1)[1]}
        for part in key.strip(".").split("...")
    ]
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": [{"id": "import-upload", "property": "contents", "value": contents}],
        "changedPropIds": ["import-upload.contents"],
        "state": [
            {"id": "import-upload", "property": "filename", "value": ["big.csv"]},
            {"id": "import-file-store", "property": "data", "value": None},
        ],
    }
    body["inputs"][0]["value"] = [contents]  # the upload takes several files at once
    payload = json.dumps(body)
    assert len(payload) > MAX_BODY_BYTES
    response = post_callback(client_for(app, "ada"), payload)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    (file,) = response.get_json()["response"]["import-file-store"]["data"]
    (saved,) = upload_dir().glob(f"{file['token']}*")
    assert saved.read_bytes() == data
