"""A process forked from the web server (a Celery prefork worker, gunicorn without preload)
opens its own database connections instead of reusing the parent's pooled ones."""

from __future__ import annotations

import os

from sqlalchemy import text


def _connection_identity(engine) -> str:  # noqa: ANN001
    """Which connection the pool hands out: the server process on PostgreSQL; on SQLite a
    temporary table (one per connection) named on the connection's first use."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return str(conn.execute(text("select pg_backend_pid()")).scalar())
        found = conn.execute(text("select name from sqlite_temp_master")).scalar()
        if found is None:
            found = f"opened_by_{os.getpid()}"
            conn.execute(text(f"create temp table {found} (x)"))
            conn.commit()
        return found


def test_a_forked_process_does_not_reuse_the_parents_pooled_connection(engine):
    parent = _connection_identity(engine)
    assert _connection_identity(engine) == parent  # pooled: the same connection comes back
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report the connection it got, then leave without cleanup
        try:
            os.write(write, _connection_identity(engine).encode())
        finally:
            os._exit(0)
    os.close(write)
    child = os.read(read, 100).decode()
    os.close(read)
    os.waitpid(pid, 0)
    assert child and child != parent
    assert _connection_identity(engine) == parent  # the parent's pool is untouched
