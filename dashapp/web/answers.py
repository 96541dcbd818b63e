"""The shared cache of read-only analytics answers (the Overview's callbacks, the REST API).

An answer is stored under its name, its parameters, the whole Filters value (created_by
included, so a sales user's own view never meets anyone else's answer), the database and that
database's data version. Every committed write moves the data version forward inside the
write's own transaction, so after a write every worker of every server computes afresh and
nothing ever needs deleting; old answers simply expire.

Backends (Flask-Caching): Redis when REDIS_URL is set, shared by every worker and server;
otherwise a FileSystemCache in the local cache folder, shared by the workers of one machine.
A cache that fails (Redis down, a full disk) is logged and bypassed: the answer is computed
directly, and the cache is tried again after RETRY_SECONDS.

    answer = cached(engine, "kpi_summary", f, lambda: kpi_summary(conn, f))
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import flask
from flask_caching import Cache
from sqlalchemy import Engine, event

from dashapp.filters import Filters
from dashapp.settings import Settings
from dashapp.store.version import data_version

log = logging.getLogger(__name__)
T = TypeVar("T")

EXTENSION = "sales_pulse_answers"
# Answers of older data versions are never asked for again: let them expire.
ANSWER_SECONDS = 3600
# After a failure, go straight to the database this long instead of waiting on the cache.
RETRY_SECONDS = 30
# A Redis that does not answer must not hold a page up for long.
REDIS_TIMEOUT_SECONDS = 2
LOCAL_CACHE_FILES = 2000


def redis_prefix() -> str:
    """The prefix of every Redis key this app writes (answers, Celery queues and results)."""
    return Settings.from_env().redis_prefix


def local_cache_dir(engine: Engine) -> Path:
    """SALES_PULSE_CACHE_DIR, else cache/ beside the SQLite file, else data/cache."""
    settings = Settings.from_env()
    if settings.cache_dir:
        return settings.cache_dir
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    base = Path(path).parent if path and path != ":memory:" else settings.data_dir
    return base / "cache"


def cache_config(engine: Engine) -> dict[str, Any]:
    """Flask-Caching settings: Redis when REDIS_URL is set, else files in the cache folder."""
    common = {"CACHE_DEFAULT_TIMEOUT": ANSWER_SECONDS}
    url = Settings.from_env().redis_url
    if url:
        return {
            **common,
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": _with_timeouts(url),
            "CACHE_KEY_PREFIX": f"{redis_prefix()}answers:",
        }
    return {
        **common,
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": str(local_cache_dir(engine) / "answers"),
        "CACHE_THRESHOLD": LOCAL_CACHE_FILES,
    }


def _with_timeouts(url: str) -> str:
    """The Redis URL with connect and read timeouts, unless it sets its own."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    for name in ("socket_connect_timeout", "socket_timeout"):
        query.setdefault(name, str(REDIS_TIMEOUT_SECONDS))
    return urlunsplit(parts._replace(query=urlencode(query)))


class AnswerCache:
    """Answers keyed by name, parameters, filters and data version, in one cache backend."""

    def __init__(self, backend, label: str) -> None:
        self.backend = backend
        self.label = label
        self._up = True
        self._down_until = 0.0
        self._lock = threading.Lock()

    def get_or_compute(
        self,
        engine: Engine,
        name: str,
        filters: Filters,
        compute: Callable[[], T],
        params: Iterable[Any] = (),
    ) -> T:
        """The stored answer for this view of the current data, or `compute()` stored."""
        # The version is read BEFORE computing: an answer computed meanwhile from newer data
        # is filed under the older version (harmless), never an older answer under a newer one.
        key = answer_key(engine, name, filters, tuple(params), _data_version(engine))
        found = self._call("get", key)
        if found is not None:
            return found[0]
        value = compute()
        self._call("set", key, (value,))  # wrapped, so a stored None is not a miss
        return value

    def get(self, engine: Engine, name: str, filters: Filters, params: Iterable[Any] = ()) -> Any:
        """The stored answer for this view of the current data, None when there is none."""
        key = answer_key(engine, name, filters, tuple(params), _data_version(engine))
        found = self._call("get", key)
        return None if found is None else found[0]

    def _call(self, method: str, *args: Any) -> Any:
        """One backend call; a failure is logged once per outage and reads as a miss."""
        if time.monotonic() < self._down_until:
            return None
        try:
            result = getattr(self.backend, method)(*args)
        except Exception as exc:  # noqa: BLE001 - no cache failure may break a page
            with self._lock:
                was_up, self._up = self._up, False
                self._down_until = time.monotonic() + RETRY_SECONDS
            if was_up:
                log.warning(
                    "answer cache (%s) failed; computing answers directly, retrying in %ss: %r",
                    self.label,
                    RETRY_SECONDS,
                    exc,
                )
            return None
        if not self._up:
            self._up = True
            log.warning("answer cache (%s) is back", self.label)
        return result


def answer_key(engine: Engine, name: str, filters: Filters, params: tuple, version: str) -> str:
    """A short key naming one answer. repr(filters) lists every field, created_by included."""
    database = engine.url.render_as_string(hide_password=True)
    text = repr((database, name, params, filters, version))
    return f"{name}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def remember_data_version(engine: Engine, version: str) -> None:
    """Answer this request from data version `version` of `engine`, read with the signed-in
    account (web.sessions) at the start of the request."""
    if flask.has_request_context():
        flask.g.sales_pulse_data_version = (engine, version)


def request_data_version(engine: Engine) -> str | None:
    """The data version remembered for this request, None when there is none (an API
    request, a request outside the page) or after this request committed a write."""
    if not flask.has_request_context():
        return None
    engine_seen, version = flask.g.get("sales_pulse_data_version", (None, None))
    return version if engine_seen is engine else None


def _data_version(engine: Engine) -> str:
    """This request's data version (read with the account), else the database's now."""
    version = request_data_version(engine)
    if version is None:
        with engine.connect() as conn:
            version = data_version(conn)
    return version


def _forget_data_version(_conn) -> None:
    """A write committed in this request: its later answers read the version afresh, so
    none is found under, or filed under, the version from before the write."""
    if flask.has_request_context():
        flask.g.pop("sales_pulse_data_version", None)


def init_answer_cache(server: flask.Flask, engine: Engine) -> AnswerCache:
    """Configure the answer cache of `server` from the environment (see the module doc)."""
    if not event.contains(engine, "commit", _forget_data_version):
        event.listen(engine, "commit", _forget_data_version)
    config = cache_config(engine)
    cache = Cache()
    cache.init_app(server, config=config)
    label = "redis" if config["CACHE_TYPE"] == "RedisCache" else config["CACHE_DIR"]
    answers = AnswerCache(server.extensions["cache"][cache], label)
    server.extensions[EXTENSION] = answers
    return answers


def current_answers() -> AnswerCache | None:
    """The answer cache of the Flask app handling this request, if it has one."""
    if flask.has_app_context():
        return flask.current_app.extensions.get(EXTENSION)
    return None


def cached(
    engine: Engine, name: str, filters: Filters, compute: Callable[[], T], *params: Any
) -> T:
    """`compute()`'s answer for `name` under `filters` and `params`, from the shared cache when
    this data version has been answered before. Outside an app with a cache: computed."""
    answers = current_answers()
    if answers is None:
        return compute()
    return answers.get_or_compute(engine, name, filters, compute, params)
