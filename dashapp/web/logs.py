"""Logging, configured once from the settings: plain lines, or one JSON object per line
(SALES_PULSE_LOG_FORMAT=json) for a log collector."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from dashapp.settings import Settings


class JsonLines(logging.Formatter):
    """time, level, logger and message (and the traceback, if any) as one JSON object."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(settings: Settings) -> None:
    """Send the app's logs to standard error in the chosen format. Leaves alone a process whose
    logging someone else has set up (gunicorn's, pytest's), and is safe to call twice."""
    root = logging.getLogger()
    if root.handlers:  # ours from an earlier call, or someone else's
        return
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonLines()
        if settings.log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(settings.log_level)
