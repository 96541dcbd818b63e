"""Forged import requests, built from the callback table the server publishes: the page's
disabled buttons are no protection, so the server itself refuses to import another user's
upload, or a file whose question was not answered. Nothing is written in either case.

The file: two orders, F1 on 03/04/2024 and F2 on 05/04/2024. No day is over 12, so the import
must ask whether the dates are day-first; answered, it adds 2 orders to tiny.py's 6 (= 8).
"""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import func, select

from dashapp.store.models import Order
from dashapp.ui import ids
from dashapp.ui.admin import sign_user
from dashapp.ui.uploads import upload_dir
from tests.sites import signed_in_client, tiny_site
from tests.web.forge import answer_text, find_callback, forge
from tests.web.test_jobs import run_job

PASSWORD = "mild tangerine"
CSV = (
    "Order ID,Order Date,Customer,SKU,Product,Quantity,Unit Price,Country,Status\n"
    "F1,03/04/2024,Delta,CAR,Car A,1,100.00,France,Shipped\n"
    "F2,05/04/2024,Delta,BIKE,Bike B,2,50.00,France,Shipped\n"
)
RUN = "import-run.n_clicks"


@pytest.fixture
def site(new_engine, tmp_path, monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    for var, sub in [("SALES_PULSE_UPLOAD_DIR", "uploads"), ("SALES_PULSE_CACHE_DIR", "cache")]:
        monkeypatch.setenv(var, str(tmp_path / sub))
    users = [("ada", "admin", PASSWORD), ("max", "manager", PASSWORD)]
    return tiny_site(new_engine("forged"), users=users)


def signed_in(app, name: str):
    return signed_in_client(app, name, PASSWORD)


def orders(app) -> int:
    with app.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Order)).scalar_one()


def upload(app, client) -> str:
    """Upload CSV through the page's callback; returns the token the page keeps."""
    contents = "data:text/csv;base64," + base64.b64encode(CSV.encode()).decode()
    response = forge(
        client,
        "import-upload.contents",
        {"import-upload.filename": ["forged.csv"]},
        trigger_value=[contents],
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "day-first or month-first" in answer_text(response)  # the question is shown
    (file,) = response.get_json()["response"]["import-file-store"]["data"]
    return file["token"]


def run_request(app, client, token: str, signer: str, date_format: str | None) -> dict:
    """The Import button's callback, with the given upload and answer to the date question."""
    dep = find_callback(client, RUN)
    answer_id = {"type": "import-answer", "file": 0, "field": "date_format"}
    values = {
        "import-run.n_clicks": 1,
        "import-file-store.data": [{"token": token, "name": "forged.csv"}],
        "import-on-existing.value": "update",
        "import-strict.value": False,
    }
    with app.server.test_request_context():
        values[f"{ids.ADMIN_USER}.data"] = sign_user(signer)

    def filled(deps: list[dict]) -> list:
        out = []
        for d in deps:
            if d["id"].startswith("{") and "import-answer" in d["id"]:
                value = date_format if d["property"] == "value" else answer_id
                out.append([{"id": answer_id, "property": d["property"], "value": value}])
            elif d["id"].startswith("{"):
                out.append([])  # no mapping given: the detected columns
            else:
                key = f"{d['id']}.{d['property']}"
                out.append({"id": d["id"], "property": d["property"], "value": values.get(key)})
        return out

    return {
        "output": dep["output"],
        "outputs": [
            {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
            for part in dep["output"].strip(".").split("...")
        ],
        "inputs": filled(dep["inputs"]),
        "state": filled(dep["state"]),
        "changedPropIds": [RUN],
    }


def outcome(answer: dict) -> str:
    return json.dumps(answer["import-report"]["children"])


def test_another_users_upload_imports_nothing(site):
    ada, max_ = signed_in(site, "ada"), signed_in(site, "max")
    token = upload(site, ada)
    # max knows ada's token and answers the question: the token names no file of his.
    answer = run_job(site, max_, run_request(site, max_, token, "max", "dd/mm/yyyy"))
    assert "Nothing was imported" in outcome(answer)
    assert orders(site) == 6
    assert len(list(upload_dir().iterdir())) == 1  # ada's file is still there for her
    # The same request as ada imports it: F1 and F2, 6 + 2 = 8.
    answer = run_job(site, ada, run_request(site, ada, token, "ada", "dd/mm/yyyy"))
    assert "Import committed" in outcome(answer)
    assert orders(site) == 8


def test_an_unanswered_question_imports_nothing(site):
    ada = signed_in(site, "ada")
    token = upload(site, ada)
    answer = run_job(site, ada, run_request(site, ada, token, "ada", None))
    text = outcome(answer)
    assert "Nothing was imported" in text and "day-first or month-first" in text
    assert orders(site) == 6
    # A real run removes its uploads whatever happens, and the page says to upload again.
    assert "upload them again" in json.dumps(answer["import-preview"])
    assert list(upload_dir().iterdir()) == []
    # Answered, a new upload of the same file goes in: 6 + 2 = 8.
    token = upload(site, ada)
    answer = run_job(site, ada, run_request(site, ada, token, "ada", "dd/mm/yyyy"))
    assert "Import committed" in outcome(answer)
    assert orders(site) == 8
