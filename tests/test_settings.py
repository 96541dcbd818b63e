"""Every setting comes from the environment through dashapp.settings, and only from there."""

from pathlib import Path

import pytest

from dashapp.settings import Settings, SettingsError

PACKAGE = Path(__file__).resolve().parents[1] / "dashapp"


def test_defaults_put_every_file_under_the_data_folder_of_the_working_directory(tmp_path):
    s = Settings.from_env({})
    assert s.data_dir == Path.cwd() / "data"
    assert s.sqlite_path == Path.cwd() / "data" / "sales.db"
    assert (s.demo, s.demo_orders, s.port, s.busy_timeout_ms) == (False, 50_000, 8050, 30_000)
    moved = Settings.from_env({"SALES_PULSE_DATA_DIR": str(tmp_path)})
    assert moved.sqlite_path == tmp_path / "sales.db"
    assert moved.secret_path == tmp_path / "secret_key"
    assert moved.backups == tmp_path / "backups"


def test_each_variable_is_read():
    s = Settings.from_env(
        {
            "DATABASE_URL": "postgresql+psycopg://db/sales",
            "SALES_PULSE_DEMO": "1",
            "SALES_PULSE_SECURE_COOKIES": "yes",
            "SALES_PULSE_BACKUP_DIR": "/srv/backups",
            "SALES_PULSE_REDIS_PREFIX": "shop1:",
            "SALES_PULSE_LOG_FORMAT": "JSON",
            "PORT": "9000",
        }
    )
    assert s.database_url == "postgresql+psycopg://db/sales"
    assert s.demo and s.secure_cookies
    assert s.backups == Path("/srv/backups")
    assert s.jobs_queue == "shop1:jobs"
    assert (s.log_format, s.port) == ("json", 9000)


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORT", "80a"), ("SALES_PULSE_BUSY_TIMEOUT_MS", "-5"), ("SALES_PULSE_LOG_FORMAT", "xml")],
)
def test_a_value_that_cannot_be_used_is_named(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_no_other_module_reads_the_environment():
    readers = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "settings.py"
        and ("os.environ" in path.read_text() or "getenv(" in path.read_text())
    ]
    assert readers == []
