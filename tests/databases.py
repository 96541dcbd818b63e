"""Throw-away databases for tests: a temp SQLite file, or a uniquely named PostgreSQL database.

Under `make test-pg`, DATABASE_URL names a PostgreSQL database, and the app-level fixtures
(`fresh_engine`, the `new_engine` fixture) make each test's database on that server instead of
in a SQLite file. `python -m tests.databases create|drop NAME` is what make test-pg runs.

Running the migrations takes 1.5-4 s a database, and the suite makes thousands: each test process
migrates one template database per backend and copies it instead (a file copy on SQLite, CREATE
DATABASE ... TEMPLATE on PostgreSQL), a few milliseconds. The store's own migration tests call
`upgrade` themselves.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import sys
import tempfile
import types
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from dashapp.store.db import make_engine
from dashapp.store.migrate import upgrade

PG_URL = os.environ.get("PG_URL", "postgresql+psycopg://127.0.0.1:5432/test")


def app_database_server() -> str | None:
    """DATABASE_URL when it names a PostgreSQL database (make test-pg), else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """CREATE DATABASE `name` on the server of `server_url` (a copy of database `template`
    when given); returns the new database's URL."""
    copy = f' TEMPLATE "{template}"' if template else ""
    _on_server(server_url, f'CREATE DATABASE "{name}"{copy}')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    """DROP DATABASE `name` (closing its connections) on the server of `server_url`."""
    _on_server(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _on_server(server_url: str, sql: str) -> None:
    """Run `sql` outside a transaction (as CREATE and DROP DATABASE must) on the server."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(sql)
    finally:
        admin.dispose()


@contextmanager
def postgres_database(server_url: str = PG_URL, template: str | None = None) -> Iterator[str]:
    """Create a database with a unique name on the server (a copy of `template` when given);
    drop it afterwards."""
    name = f"sp_test_{uuid.uuid4().hex[:10]}"
    url = create_database(server_url, name, template)
    try:
        yield url
    finally:
        drop_database(server_url, name)


# This process's templates, migrated and maybe seeded: SQLite files' paths and PostgreSQL
# databases' names, by backend (and server) and seed.
_templates: dict[str, str] = {}
_template_servers: dict[str, str] = {}  # a PostgreSQL template's server, by its key


def _seed_key(seed: Callable[[Engine], None] | None) -> str | None:
    """What names a seed's template: a module-level function's full name. None for no seed,
    or for one that cannot be told apart from another of its name (a closure, a lambda), which
    is run on each copy instead."""
    if seed is None or not isinstance(seed, types.FunctionType) or "<" in seed.__qualname__:
        return None
    return f"{seed.__module__}.{seed.__qualname__}"


def _fill(engine: Engine, seed: Callable[[Engine], None] | None) -> None:
    """Migrate a template's new database (seed None) or seed its migrated copy; then close
    the engine's connections, so that nothing holds the template."""
    try:
        if seed is None:
            upgrade(engine)
        else:
            seed(engine)
    finally:
        engine.dispose()


def _sqlite_template(seed: Callable[[Engine], None] | None = None) -> str:
    """The path of a SQLite file migrated to head (and holding what `seed` writes), made once
    per process (removed at exit), its WAL folded back in so that the file alone is the whole
    database."""
    key = f"sqlite:{_seed_key(seed)}"
    if key not in _templates:
        folder = tempfile.mkdtemp(prefix="sp-template-")
        atexit.register(shutil.rmtree, folder, True)
        path = f"{folder}/template.db"
        if seed is not None:
            shutil.copyfile(_sqlite_template(), path)
        _fill(make_engine(f"sqlite:///{path}"), seed)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.close()
        _templates[key] = path
    return _templates[key]


def _drop_orphaned_templates(server_url: str) -> None:
    """Drop the templates of test processes on this machine that are gone without dropping
    them (killed: no exit handlers ran); their names carry their process id."""
    admin = create_engine(server_url)
    try:
        with admin.connect() as conn:
            names = conn.scalars(
                text("SELECT datname FROM pg_database WHERE datname LIKE :names"),
                {"names": "sp\\_template\\_p%"},
            )
            orphans = [
                name
                for name in names
                if (pid := name.split("_")[2][1:]).isdigit() and not os.path.exists(f"/proc/{pid}")
            ]
    finally:
        admin.dispose()
    for name in orphans:
        drop_database(server_url, name)


def _postgres_template(server_url: str, seed: Callable[[Engine], None] | None = None) -> str:
    """The name of a database on the server migrated to head (and holding what `seed` writes),
    made once per process (dropped at exit); nothing stays connected to it, so CREATE DATABASE
    can copy it."""
    key = f"postgresql:{server_url}:{_seed_key(seed)}"
    if key not in _templates:
        if not any(k.startswith("postgresql:") for k in _templates):
            _drop_orphaned_templates(server_url)
        name = f"sp_template_p{os.getpid()}_{uuid.uuid4().hex[:8]}"
        copy_of = None if seed is None else _postgres_template(server_url)
        atexit.register(drop_database, server_url, name)
        _fill(make_engine(create_database(server_url, name, copy_of)), seed)
        _templates[key] = name
        _template_servers[key] = server_url
    return _templates[key]


def drop_templates() -> None:
    """Drop this process's PostgreSQL templates now (the end of a test session: an xdist
    worker may be stopped before its exit handlers have dropped them all)."""
    for key in [key for key in _templates if key.startswith("postgresql:")]:
        server_url, name = _template_servers.pop(key), _templates.pop(key)
        drop_database(server_url, name)


def migrate(engine: Engine, seed: Callable[[Engine], None] | None = None) -> None:
    """upgrade(engine), then `seed(engine)`, for the empty database of a test: on SQLite a copy
    of the template (sqlite3's backup API); elsewhere, or on a database that is not empty, the
    migrations and the seed run."""
    on_file = engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")
    if not on_file or inspect(engine).get_table_names():
        upgrade(engine)
        if seed is not None:
            seed(engine)
        return
    cached = _seed_key(seed) is not None
    source = sqlite3.connect(_sqlite_template(seed if cached else None))
    try:
        with engine.connect() as conn:
            source.backup(conn.connection.driver_connection)
    finally:
        source.close()
    if seed is not None and not cached:
        seed(engine)


@contextmanager
def migrated_engine(
    kind: str, tmp_dir, seed: Callable[[Engine], None] | None = None
) -> Iterator[Engine]:
    """A migrated engine on SQLite (in tmp_dir) or PostgreSQL holding what `seed(engine)`
    writes, if given: a copy of this process's template."""
    cached = _seed_key(seed) is not None
    with ExitStack() as stack:
        if kind == "sqlite":
            shutil.copyfile(_sqlite_template(seed if cached else None), f"{tmp_dir}/test.db")
            url = f"sqlite:///{tmp_dir}/test.db"
        else:
            template = _postgres_template(PG_URL, seed if cached else None)
            url = stack.enter_context(postgres_database(template=template))
        engine = make_engine(url)
        stack.callback(engine.dispose)
        if seed is not None and not cached:
            seed(engine)
        yield engine


@contextmanager
def seeded_engine(kind: str, tmp_dir, seed: Callable[[Engine], None]) -> Iterator[Engine]:
    """A migrated engine (see migrated_engine) holding what `seed(engine)` writes."""
    with migrated_engine(kind, tmp_dir, seed) as eng:
        yield eng


@contextmanager
def fresh_database(tmp_dir, name: str = "app") -> Iterator[str]:
    """The URL of an empty database for an app-level test: a new database on DATABASE_URL's
    PostgreSQL server under make test-pg (dropped afterwards), else tmp_dir/NAME.db."""
    server = app_database_server()
    if server is None:
        yield f"sqlite:///{tmp_dir}/{name}.db"
        return
    with postgres_database(server) as url:
        yield url


@contextmanager
def fresh_engine(tmp_dir, name: str = "app") -> Iterator[Engine]:
    """An engine on a `fresh_database` (empty, not migrated)."""
    with fresh_database(tmp_dir, name) as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def main(argv: list[str]) -> int:
    """create NAME: print the URL of a new database on PG_URL's server; drop NAME: drop it."""
    if len(argv) != 2 or argv[0] not in ("create", "drop"):
        print("usage: python -m tests.databases create|drop NAME", file=sys.stderr)
        return 2
    action, name = argv
    if action == "create":
        print(create_database(PG_URL, name))
        return 0
    drop_database(PG_URL, name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
