"""Every setting the app takes from its environment, read in this one module.

`Settings.from_env()` reads the environment variables below into one frozen value. The
composition root (`dashapp.factory.create_app`) reads it once and hands it to what it builds;
code that runs outside an app (the CLI, a Celery worker, a test calling a function directly)
reads a fresh value when it needs one. No other module reads os.environ.

| variable | meaning (default) |
|---|---|
| DATABASE_URL | SQLAlchemy URL (SQLite file `<data dir>/sales.db`) |
| SALES_PULSE_DATA_DIR | the data folder: database, secret key, backups, cache (`./data`) |
| SALES_PULSE_DEMO, SALES_PULSE_DEMO_ORDERS | demo mode (off), demo orders seeded (50000) |
| SALES_PULSE_DEBUG, HOST, PORT | Dash debug mode (off), where `python app.py` listens |
| SALES_PULSE_SECRET_KEY, ..._SECRET_FILE | session key, else a file (`<data>/secret_key`) |
| SALES_PULSE_SECURE_COOKIES | mark cookies Secure, for HTTPS (off) |
| REDIS_URL, SALES_PULSE_REDIS_PREFIX | shared cache and limits (none), key prefix |
| SALES_PULSE_CACHE_DIR | answer cache without Redis (`cache/` beside the SQLite file) |
| SALES_PULSE_UPLOAD_DIR, SALES_PULSE_BACKUP_DIR | uploads (temp dir), backups (`<data>/backups`)|
| CELERY_BROKER_URL, CELERY_RESULT_BACKEND, SALES_PULSE_CELERY_QUEUE | background jobs |
| SALES_PULSE_WEBHOOK_URL | where new anomaly alerts are posted (none) |
| SALES_PULSE_CHECK_HOUR | hour of the daily scheduled anomaly and KPI-alert check (6), or off |
| SALES_PULSE_SMTP_HOST, ..._SMTP_PORT | the mail server for digests (none), its port (25) |
| SALES_PULSE_SMTP_USER, ..._SMTP_PASSWORD | its sign-in, if it asks for one (none) |
| SALES_PULSE_SMTP_FROM, ..._SMTP_STARTTLS | sender (sales-pulse@localhost), STARTTLS (off) |
| SALES_PULSE_BUSY_TIMEOUT_MS | how long a SQLite writer waits for the lock (30000) |
| SALES_PULSE_SIGN_IN_LIMIT, ..._SIGN_IN_ADDRESS_LIMIT, ..._TOKEN_LIMIT | failed sign-in limits |
| SALES_PULSE_LOG_FORMAT, SALES_PULSE_LOG_LEVEL | `plain` or `json` lines (plain), level (INFO) |
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
LOG_FORMATS = ("plain", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """An environment variable that cannot be used; the message names it."""


@dataclass(frozen=True)
class Settings:
    """What the environment asks of this process (see the module docstring)."""

    database_url: str | None = None
    data_dir: Path = Path("data")
    demo: bool = False
    demo_orders: int = 50_000
    debug: bool = False
    host: str = "127.0.0.1"
    port: int = 8050
    secret_key: str | None = None
    secret_file: Path | None = None
    secure_cookies: bool = False
    redis_url: str | None = None
    redis_prefix: str = "sales-pulse:"
    cache_dir: Path | None = None
    upload_dir: Path | None = None
    backup_dir: Path | None = None
    celery_broker_url: str | None = None
    celery_result_backend: str | None = None
    celery_queue: str | None = None
    webhook_url: str | None = None
    check_hour: int | None = 6  # None: no scheduled check
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)  # never in a log line
    smtp_from: str = "sales-pulse@localhost"
    smtp_starttls: bool = False
    busy_timeout_ms: int = 30_000
    sign_in_limit: str = "5 per minute"
    sign_in_address_limit: str = "20 per minute"
    token_limit: str = "10 per minute"
    log_format: str = "plain"
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of this environment; a value that cannot be used is a SettingsError."""
        env = os.environ if environ is None else environ

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        def flag(name: str) -> bool:
            return (text(name) or "").lower() in TRUE_WORDS

        def number(name: str, default: int) -> int:
            raw = text(name)
            if raw is None:
                return default
            if not (raw.isascii() and raw.isdigit()):
                raise SettingsError(f"{name} must be a whole number, got {raw!r}")
            return int(raw)

        def path(name: str) -> Path | None:
            raw = text(name)
            return Path(raw).expanduser() if raw else None

        log_format = (text("SALES_PULSE_LOG_FORMAT") or "plain").lower()
        if log_format not in LOG_FORMATS:
            raise SettingsError(f"SALES_PULSE_LOG_FORMAT must be plain or json, got {log_format!r}")
        log_level = (text("SALES_PULSE_LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise SettingsError(
                f"SALES_PULSE_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}"
            )
        check_hour: int | None = 6
        if (text("SALES_PULSE_CHECK_HOUR") or "").lower() == "off":
            check_hour = None
        else:
            check_hour = number("SALES_PULSE_CHECK_HOUR", 6)
            if check_hour > 23:
                raise SettingsError(
                    f"SALES_PULSE_CHECK_HOUR must be an hour from 0 to 23 or off, got {check_hour}"
                )
        return cls(
            database_url=text("DATABASE_URL"),
            data_dir=path("SALES_PULSE_DATA_DIR") or Path.cwd() / "data",
            demo=flag("SALES_PULSE_DEMO"),
            demo_orders=number("SALES_PULSE_DEMO_ORDERS", 50_000),
            debug=flag("SALES_PULSE_DEBUG"),
            host=text("HOST") or "127.0.0.1",
            port=number("PORT", 8050),
            secret_key=text("SALES_PULSE_SECRET_KEY"),
            secret_file=path("SALES_PULSE_SECRET_FILE"),
            secure_cookies=flag("SALES_PULSE_SECURE_COOKIES"),
            redis_url=text("REDIS_URL"),
            redis_prefix=env.get("SALES_PULSE_REDIS_PREFIX", "sales-pulse:"),
            cache_dir=path("SALES_PULSE_CACHE_DIR"),
            upload_dir=path("SALES_PULSE_UPLOAD_DIR"),
            backup_dir=path("SALES_PULSE_BACKUP_DIR"),
            celery_broker_url=text("CELERY_BROKER_URL"),
            celery_result_backend=text("CELERY_RESULT_BACKEND"),
            celery_queue=text("SALES_PULSE_CELERY_QUEUE"),
            webhook_url=text("SALES_PULSE_WEBHOOK_URL"),
            check_hour=check_hour,
            smtp_host=text("SALES_PULSE_SMTP_HOST"),
            smtp_port=number("SALES_PULSE_SMTP_PORT", 25),
            smtp_user=text("SALES_PULSE_SMTP_USER"),
            smtp_password=text("SALES_PULSE_SMTP_PASSWORD"),
            smtp_from=text("SALES_PULSE_SMTP_FROM") or "sales-pulse@localhost",
            smtp_starttls=flag("SALES_PULSE_SMTP_STARTTLS"),
            busy_timeout_ms=number("SALES_PULSE_BUSY_TIMEOUT_MS", 30_000),
            sign_in_limit=text("SALES_PULSE_SIGN_IN_LIMIT") or "5 per minute",
            sign_in_address_limit=text("SALES_PULSE_SIGN_IN_ADDRESS_LIMIT") or "20 per minute",
            token_limit=text("SALES_PULSE_TOKEN_LIMIT") or "10 per minute",
            log_format=log_format,
            log_level=log_level,
        )

    @property
    def sqlite_path(self) -> Path:
        """The embedded database file when no DATABASE_URL is set."""
        return self.data_dir / "sales.db"

    @property
    def secret_path(self) -> Path:
        return self.secret_file or self.data_dir / "secret_key"

    @property
    def backups(self) -> Path:
        return self.backup_dir or self.data_dir / "backups"

    @property
    def uploads(self) -> Path:
        return self.upload_dir or Path(tempfile.gettempdir()) / "sales-pulse-uploads"

    @property
    def jobs_queue(self) -> str:
        return self.celery_queue or f"{self.redis_prefix}jobs"
