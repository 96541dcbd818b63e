"""Logs as plain lines or one JSON object per line (SALES_PULSE_LOG_FORMAT=json)."""

import json
import logging

from dashapp.settings import Settings
from dashapp.web.logs import JsonLines, configure_logging


def test_a_record_is_one_json_line():
    record = logging.LogRecord(
        "dashapp.x", logging.WARNING, __file__, 1, "saved %s", ("SO-1",), None
    )
    record.created = 0.25  # 1970-01-01 00:00:00.250 UTC
    line = JsonLines().format(record)
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "1970-01-01T00:00:00.250+00:00",
        "level": "WARNING",
        "logger": "dashapp.x",
        "message": "saved SO-1",
    }


def test_configured_once_and_never_over_someone_elses_handlers(monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", logging.WARNING)
    configure_logging(Settings.from_env({"SALES_PULSE_LOG_FORMAT": "json"}))
    configure_logging(Settings.from_env({}))
    assert len(root.handlers) == 1
    assert isinstance(root.handlers[0].formatter, JsonLines)
    assert root.level == logging.INFO
