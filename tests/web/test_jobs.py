"""Background callbacks: threads of the web process with a diskcache job store by default, Celery
workers when CELERY_BROKER_URL is set. The forecast panel runs through a real worker process here,
on the data of tests/browser/forecast_data.py (120 days to 28 June 2024, all entered by
nobody: a sales user's own view has no history at all)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import diskcache
import psutil
import pytest
from dash import CeleryManager
from dash._callback_signing import END_SCOPE, sign

from dashapp.auth import create_user
from dashapp.factory import create_app
from dashapp.web.access import job_account, sign_account
from dashapp.web.jobs import ThreadJobManager
from tests.browser.forecast_data import seed_forecast_data
from tests.databases import migrate

ROOT = Path(__file__).resolve().parents[2]
JOB_SECONDS = 120  # bound on the worker's start plus one forecast on a loaded machine


def test_by_default_jobs_run_in_threads_with_a_diskcache_store(new_engine, tmp_path, monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setenv("SALES_PULSE_CACHE_DIR", str(tmp_path / "cache"))
    engine = new_engine()
    migrate(engine)
    app = create_app(engine, demo=True)
    assert isinstance(app.background_manager, ThreadJobManager)
    assert app.background_manager.handle.directory == str(tmp_path / "cache")


def wait_for_end(manager: ThreadJobManager, job: int) -> None:
    """Until the job's thread has ended (it is named after the job)."""
    for thread in threading.enumerate():
        if thread.name == f"sales-pulse-job-{job}":
            thread.join(30)
            assert not thread.is_alive()


def test_a_job_runs_in_a_thread_and_its_result_reaches_any_worker(tmp_path):
    # Two managers on one folder stand for two gunicorn workers of one machine.
    first = ThreadJobManager(diskcache.Cache(str(tmp_path)))
    second = ThreadJobManager(diskcache.Cache(str(tmp_path)))
    release = threading.Event()
    children_before = {p.pid for p in psutil.Process().children(recursive=True)}

    def add(a, b):  # noqa: ANN001
        release.wait(30)
        return a + b

    started = first.call_job_fn("k1", first.make_job_fn(add, False), [2, 3], {})
    assert second.job_running(str(started))  # the page's next poll may land on the other one
    assert not second.result_ready("k1")
    # No process was forked for it (a fork of a threaded server can hang for ever).
    assert {p.pid for p in psutil.Process().children(recursive=True)} == children_before
    release.set()
    wait_for_end(first, started)
    assert not second.job_running(started)
    assert second.get_result("k1", str(started)) == 5


def test_a_cancelled_job_stops_at_its_next_progress_and_writes_nothing(tmp_path):
    manager = ThreadJobManager(diskcache.Cache(str(tmp_path)))
    reached = threading.Event()
    release = threading.Event()
    after_cancel = []

    def slow(set_progress):  # noqa: ANN001
        set_progress("step 1")
        reached.set()
        release.wait(30)
        set_progress("step 2")  # cancelled by now: the job ends here
        after_cancel.append("went on")
        return "answer"

    started = manager.call_job_fn("k2", manager.make_job_fn(slow, True), [], {})
    assert reached.wait(30)
    assert manager.get_progress("k2") == ["step 1"]
    manager.terminate_job(str(started))  # what Dash does when the inputs change under it
    assert not manager.job_running(started)
    release.set()
    wait_for_end(manager, started)
    assert after_cancel == []
    assert not manager.result_ready("k2")
    assert manager.get_progress("k2") is None


def test_a_failing_job_reports_its_error_to_the_page(tmp_path):
    manager = ThreadJobManager(diskcache.Cache(str(tmp_path)))

    def broken():
        raise ValueError("no such horizon")

    started = manager.call_job_fn("k3", manager.make_job_fn(broken, False), [], {})
    wait_for_end(manager, started)
    error = manager.get_result("k3", None)["background_callback_error"]
    assert error["msg"] == "no such horizon"


def test_the_forecast_job_answers_through_the_page_polls(new_engine, tmp_path, monkeypatch):
    """The default setting end to end: the callback starts a job, the page polls for it."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setenv("SALES_PULSE_CACHE_DIR", str(tmp_path / "cache"))
    engine = new_engine("threads")
    migrate(engine)
    seed_forecast_data(engine)
    ada, _ = create_user(engine, "ada", "admin", "mild tangerine")
    app = create_app(engine, demo=False)
    with app.server.test_request_context():
        token = sign_account(ada)
    client = app.server.test_client()
    signed_in = client.post("/login", data={"username": "ada", "password": "mild tangerine"})
    assert signed_in.status_code == 302
    answer = run_job(app, client, forecast_request(app, token))
    assert (
        "a 30-day forecast with its 90 % interval · Seasonal naive"
        in (answer["fc-caption"]["children"])
    )


def test_celery_config_builds_a_celery_manager(new_engine, redis_server, monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    engine = new_engine()
    migrate(engine)
    manager = create_app(engine, demo=True).background_manager
    assert isinstance(manager, CeleryManager)
    conf = manager.handle.conf
    assert conf.broker_url == redis_server.url
    assert conf.result_backend == redis_server.url
    assert conf.task_default_queue == f"{redis_server.prefix}jobs"
    assert conf.broker_transport_options == {"global_keyprefix": redis_server.prefix}
    forecast_tasks = [n for n in manager.handle.tasks if n.startswith("background_callback_")]
    assert len(forecast_tasks) >= 3  # forecast, anomaly check, import


def test_a_job_acts_as_the_account_its_page_signed(new_engine):
    engine = new_engine()
    migrate(engine)
    sam, _ = create_user(engine, "sam", "sales", "sales password")
    app = create_app(engine, demo=False)
    with app.server.test_request_context():
        token = sign_account(sam)
    secret = app.server.secret_key
    assert job_account(engine, secret, token).username == "sam"
    assert job_account(engine, secret, token[:-2] + "xx") is None  # tampered
    assert job_account(engine, "another secret", token) is None
    assert job_account(engine, secret, None) is None


@pytest.fixture
def worker_env(redis_server, tmp_path, monkeypatch) -> dict[str, str]:
    """The environment the web app (this process) and the worker process share."""
    env = {
        "CELERY_BROKER_URL": redis_server.url,
        "SALES_PULSE_REDIS_PREFIX": redis_server.prefix,
        "SALES_PULSE_SECRET_KEY": "test-only-" + redis_server.prefix,
        "SALES_PULSE_CACHE_DIR": str(tmp_path / "cache"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def start_worker(url: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "dashapp", "--database-url", url, "worker"]
            + ["--pool", "solo", "--concurrency", "1", "--loglevel", "INFO"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)


def forecast_request(app, token: str | None) -> dict:
    (output,) = [k for k in app.callback_map if k.startswith("..fc-body.children...")]
    values = {
        "fc-measure": "revenue",
        "fc-scope": "total",
        "fc-category": None,
        "fc-product": None,
        "fc-horizon": 30,
        "fc-model": "naive",
    }
    return {
        "output": output,
        "outputs": [
            {"id": "fc-body", "property": "children"},
            {"id": "fc-caption", "property": "children"},
            {"id": "fc-backtest", "property": "children"},
        ],
        "inputs": [
            {"id": "view-store", "property": "data", "value": {"filters": ""}},
            {"id": "refresh-token", "property": "data", "value": None},
            {"id": "fc-run", "property": "n_clicks", "value": None},
            *({"id": i, "property": "value", "value": v} for i, v in values.items()),
            {"id": "fc-refit", "property": "data", "value": None},
        ],
        "state": [
            {"id": "fc-level", "property": "value", "value": "0.9"},
            {"id": "fc-account-token", "property": "data", "value": token},
        ],
        "changedPropIds": ["view-store.data"],
    }


def run_job(app, client, body: dict, worker: subprocess.Popen | None = None, log=None) -> dict:
    """Start the background callback, then poll as the page does until its answer arrives."""
    end_id = sign(app._get_signing_secret(), END_SCOPE, "test-page-load")
    url = f"/_dash-update-component?endId={end_id}"
    started = client.post(url, data=json.dumps(body), content_type="application/json")
    assert started.status_code == 200, started.get_data(as_text=True)
    handles = started.get_json()
    assert set(handles) >= {"cacheKey", "job"}  # a job was queued, not answered in-process
    poll_url = f"{url}&cacheKey={handles['cacheKey']}&job={handles['job']}"
    polled = dict(body, inputs=[dict(i, value=None) for i in body["inputs"]])
    deadline = time.monotonic() + JOB_SECONDS
    while time.monotonic() < deadline:
        assert worker is None or worker.poll() is None, log.read_text()
        answer = client.post(poll_url, data=json.dumps(polled), content_type="application/json")
        assert answer.status_code in (200, 204), answer.get_data(as_text=True)
        if answer.status_code == 200 and "response" in answer.get_json():
            return answer.get_json()["response"]
        time.sleep(0.2)
    raise AssertionError(f"no answer in {JOB_SECONDS}s; log:\n{log.read_text() if log else ''}")


def test_forecast_runs_on_a_real_celery_worker(new_engine, worker_env, tmp_path):
    engine = new_engine("jobs")
    migrate(engine)
    seed_forecast_data(engine)
    ada, _ = create_user(engine, "ada", "admin", "mild tangerine")
    sam, _ = create_user(engine, "sam", "sales", "mild tangerine")
    app = create_app(engine, demo=False)
    assert isinstance(app.background_manager, CeleryManager)
    with app.server.test_request_context():
        tokens = {"ada": sign_account(ada), "sam": sign_account(sam)}
    clients = {}
    for name in tokens:
        clients[name] = app.server.test_client()
        signed_in = clients[name].post(
            "/login", data={"username": name, "password": "mild tangerine"}
        )
        assert signed_in.status_code == 302
    log = tmp_path / "worker.log"
    worker = start_worker(engine.url.render_as_string(hide_password=False), worker_env, log)
    try:
        admin = run_job(app, clients["ada"], forecast_request(app, tokens["ada"]), worker, log)
        caption = admin["fc-caption"]["children"]
        assert "a 30-day forecast with its 90 % interval · Seasonal naive" in caption
        figure = admin["fc-body"]["children"]["props"]["figure"]
        (forecast,) = [t for t in figure["data"] if t.get("name") == "Forecast"]
        assert len(forecast["x"]) == 30
        assert forecast["x"][0].startswith("2024-06-29")  # the day after the last order
        # The worker has no request, no session: the sales user's job is scoped by the token
        # its page signed, to the orders sam entered (none).
        own = run_job(app, clients["sam"], forecast_request(app, tokens["sam"]), worker, log)
        assert "Not enough history to forecast: 0 day(s)" in json.dumps(own["fc-body"])
    finally:
        stop(worker)
    assert worker.returncode is not None
