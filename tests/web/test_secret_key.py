"""The Flask secret key every worker and server must share (sessions, signed job tokens)."""

import threading

import pytest

from dashapp.web.access import secret_key


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SALES_PULSE_SECRET_KEY", raising=False)
    path = tmp_path / "keys" / "secret_key"
    monkeypatch.setenv("SALES_PULSE_SECRET_FILE", str(path))
    return path


def test_the_environment_wins(key_file, monkeypatch):
    monkeypatch.setenv("SALES_PULSE_SECRET_KEY", "from the environment")
    assert secret_key() == "from the environment"
    assert not key_file.exists()


def test_made_once_private_and_then_reused(key_file):
    key = secret_key()
    assert len(key) == 64 and key_file.read_text() == key
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert secret_key() == key
    assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]  # no temp files left


def test_workers_starting_at_once_agree_on_one_key(key_file):
    workers = 8
    start = threading.Barrier(workers)
    keys = []

    def worker() -> None:
        start.wait()
        keys.append(secret_key())

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == workers
    assert set(keys) == {key_file.read_text()}


def test_an_empty_key_file_is_refused(key_file):
    key_file.parent.mkdir()
    key_file.write_text("\n")
    with pytest.raises(RuntimeError, match="is empty"):
        secret_key()
